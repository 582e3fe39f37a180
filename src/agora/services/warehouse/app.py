"""Wiring of the warehouse: the DuckDB store in the data directory, the source databases the
composition root hands over, the scheduled refresh, and its `SPEC` for composition roots."""

from __future__ import annotations

from pathlib import Path

from agora.platform.clock import Clock
from agora.platform.config import Settings
from agora.platform.db import Database
from agora.platform.http import create_service_app
from agora.platform.olap import OlapStore
from agora.platform.service import Job, ServiceContext, ServiceParts, ServiceSpec
from agora.services.warehouse.jobs import refresh_job
from agora.services.warehouse.models import SOURCE_SERVICES, Base
from agora.services.warehouse.router import router
from agora.services.warehouse.service import WarehouseService

DESCRIPTION = """The analytics warehouse (seed 004): a DuckDB star schema fed by an incremental
ETL from every service's database (watermarks per source table, a staging schema, one transaction
per run, deletions and erasures carried through), refreshed on a schedule and on demand. The sports
analytics, the admin overview and the public review and competition summaries answer from it, with
the time of the last refresh (`as_of`)."""


def open_warehouse(
    settings: Settings, sources: dict[str, Database], clock: Clock
) -> WarehouseService:
    """The warehouse on its DuckDB file (`AGORA_WAREHOUSE_FILE`, else `DATA_DIR/warehouse.duckdb`),
    fed from `sources`."""
    path = (settings.warehouse_file or settings.data_dir / "warehouse.duckdb").resolve()
    return WarehouseService(
        store=OlapStore(path),
        sources=sources,
        clock=clock,
        workdir=path.parent / "warehouse-staging",
    )


def build(ctx: ServiceContext) -> ServiceParts:
    service = open_warehouse(ctx.settings, ctx.sources, ctx.clock)

    async def healthy() -> bool:
        return await ctx.database.ping()

    app = create_service_app(
        service="warehouse",
        title="Agora warehouse",
        description=DESCRIPTION,
        routers=[router],
        health_checks={"database": healthy},
        clock=ctx.clock,
        provides=[service],
    )
    jobs: list[Job] = [refresh_job(service, ctx.settings.warehouse_refresh_seconds)]
    return ServiceParts(app=app, jobs=jobs)


SPEC = ServiceSpec(
    name="warehouse",
    title="Warehouse",
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    build=build,
    reads=SOURCE_SERVICES,
)
