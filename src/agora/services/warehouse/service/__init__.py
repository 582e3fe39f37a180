"""Business rules of the warehouse: the ETL run (`etl`) and the analytics read from the star schema
(`analytics`). `do_refresh` changes the warehouse; `get_*` read it."""

from __future__ import annotations

from pathlib import Path

from agora.platform.clock import Clock
from agora.platform.db import Database
from agora.platform.olap import OlapStore
from agora.services.warehouse.service.analytics import (
    AnalyticsRules,
    CompetitionSummary,
    Overview,
    ReviewSummary,
    SportsAnalytics,
)
from agora.services.warehouse.service.etl import EtlRules, RunStats

__all__ = [
    "CompetitionSummary",
    "Overview",
    "ReviewSummary",
    "RunStats",
    "SportsAnalytics",
    "WarehouseService",
]


class WarehouseService(EtlRules, AnalyticsRules):
    """The warehouse: one DuckDB store, the source databases it is fed from, a clock."""

    def __init__(
        self, *, store: OlapStore, sources: dict[str, Database], clock: Clock, workdir: Path
    ) -> None:
        super().__init__(store=store, sources=sources, clock=clock, workdir=workdir)
