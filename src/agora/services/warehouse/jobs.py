"""Background job of the warehouse: the scheduled ETL run (`AGORA_WAREHOUSE_REFRESH_SECONDS`,
default every five minutes; 0: only on demand). The first run waits one interval: a first start's
demo content asks for its own refresh once seeded, and tests ask for theirs. The job also owns the
DuckDB file's lifetime: it closes the store when the service stops, so the file is released."""

from __future__ import annotations

import asyncio

import structlog

from agora.platform.errors import AgoraError
from agora.platform.service import Job
from agora.services.warehouse.service import WarehouseService

log = structlog.get_logger("agora.warehouse")


def refresh_job(service: WarehouseService, interval: float) -> Job:
    async def run() -> None:
        try:
            if interval <= 0:
                await asyncio.Event().wait()  # on demand only: wait to be stopped
            while True:
                await asyncio.sleep(interval)
                try:
                    stats = await service.do_refresh()
                    log.info(
                        "warehouse_refreshed",
                        run_id=stats.run_id,
                        rows_read=stats.rows_read,
                        rows_changed=stats.rows_changed,
                        seconds=round(stats.seconds, 3),
                    )
                except AgoraError:
                    pass  # logged with its cause and recorded in etl_run; the next run retries
        finally:
            await service.store.close()

    return run
