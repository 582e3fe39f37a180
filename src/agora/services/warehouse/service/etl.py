"""The ETL run: extract what changed from each source table, then stage and merge it into the
star schema in one DuckDB transaction, and log the run in `etl_run` (decision 0020)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import structlog

from agora.platform.clock import Clock
from agora.platform.db import Database
from agora.platform.errors import ServiceUnavailable
from agora.platform.olap import OlapConnection, OlapStore
from agora.services.warehouse import repository as repo
from agora.services.warehouse.models import SOURCES, SourceTable

log = structlog.get_logger("agora.warehouse")


@dataclass(frozen=True, slots=True)
class RunStats:
    """What one run did: per warehouse table, rows read and rows changed."""

    run_id: int
    started_at: datetime
    finished_at: datetime
    seconds: float
    tables: dict[str, repo.TableChange]
    watermarks: dict[str, dict[str, str | int | None]]
    erased_users: int

    @property
    def rows_read(self) -> int:
        return sum(t.read for t in self.tables.values())

    @property
    def rows_changed(self) -> int:
        return sum(t.changed for t in self.tables.values())


class EtlRules:
    """Refreshes the warehouse from the sources it is given; one run at a time."""

    def __init__(
        self, *, store: OlapStore, sources: dict[str, Database], clock: Clock, workdir: Path
    ) -> None:
        self.store = store
        self.sources = sources
        self.clock = clock
        self.workdir = workdir
        self._run_lock = asyncio.Lock()
        self._ready = False

    @property
    def tables(self) -> list[SourceTable]:
        """The source tables of the services this platform runs."""
        return [s for s in SOURCES if s.service in self.sources]

    async def check_schema(self) -> None:
        """Create the staging and star schemas if they are not there yet."""
        if not self._ready:
            await self.store.write(repo.create_schema)
            self._ready = True

    async def do_refresh(self) -> RunStats:
        """One ETL run. A failed run leaves the warehouse as it was and is logged with its
        error; the caller gets a 503."""
        async with self._run_lock:
            await self.check_schema()
            started_at = self.clock.now()
            began = time.perf_counter()
            try:
                staged = await self._extract()
                return await self.store.write(
                    lambda conn: self._load(conn, staged, started_at, began)
                )
            except Exception as exc:
                seconds = time.perf_counter() - began
                error = f"{type(exc).__name__}: {exc}"[:2000]
                log.exception("warehouse_refresh_failed", seconds=round(seconds, 3))
                await self.store.write(
                    lambda conn: repo.record_run(
                        conn,
                        started_at=started_at,
                        finished_at=self.clock.now(),
                        ok=False,
                        rows_read=0,
                        rows_changed=0,
                        seconds=seconds,
                        tables="{}",
                        watermarks="{}",
                        error=error,
                    )
                )
                raise ServiceUnavailable(
                    "The warehouse refresh failed; the warehouse is unchanged",
                    code="warehouse_refresh_failed",
                ) from exc

    async def _extract(self) -> list[repo.Staged]:
        """Per source table: the rows past its watermarks (or missing from the warehouse), and
        the ids the warehouse holds that the source no longer has."""
        watermarks = await repo.read_watermarks(self.store)
        staged = []
        for source in self.tables:
            database = self.sources[source.service]
            mark = watermarks.get(source.name, repo.Watermark(None, None))
            held = await repo.read_warehouse_keys(self.store, source)
            if source.mode == "full":
                rows = await repo.read_source_rows(
                    database, source, after_key=None, changed_since=None
                )
                present = {int(r[0]) for r in rows}
            else:
                present = await repo.read_source_keys(database, source)
                # Rows committed late, under an id below the watermark, are missing: fetch them.
                missing = present - held
                if mark.max_key is not None:
                    missing = {k for k in missing if k <= mark.max_key}
                rows = await repo.read_source_rows(
                    database,
                    source,
                    after_key=mark.max_key if held else None,
                    changed_since=mark.max_changed,
                    keys=missing if held else (),
                )
            staged.append(repo.Staged(source, rows, held - present, mark))
        return staged

    def _load(
        self,
        conn: OlapConnection,
        staged: list[repo.Staged],
        started_at: datetime,
        began: float,
    ) -> RunStats:
        now = self.clock.now()
        merged = repo.merge_staged(conn, staged, self.workdir, now)
        watermarks = {
            s.name: {"max_key": row[0], "max_changed": _iso(row[1])}
            for s in self.tables
            for row in conn.execute(
                "SELECT max_key, max_changed FROM etl_watermark WHERE source = ?", [s.name]
            )
        }
        finished_at = self.clock.now()
        seconds = time.perf_counter() - began
        tables = {
            name: {
                "read": t.read,
                "inserted": t.inserted,
                "updated": t.updated,
                "deleted": t.deleted,
            }
            for name, t in merged.tables.items()
        }
        run_id = repo.record_run(
            conn,
            started_at=started_at,
            finished_at=finished_at,
            ok=True,
            rows_read=sum(t.read for t in merged.tables.values()),
            rows_changed=sum(t.changed for t in merged.tables.values()),
            seconds=seconds,
            tables=json.dumps(tables, sort_keys=True),
            watermarks=json.dumps(watermarks, sort_keys=True),
            error=None,
        )
        return RunStats(
            run_id=run_id,
            started_at=started_at,
            finished_at=finished_at,
            seconds=seconds,
            tables=merged.tables,
            watermarks=watermarks,
            erased_users=merged.erased_users,
        )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.replace(tzinfo=UTC).isoformat()
