"""Wiring of the competitions service: its app, its deadline job, and its `SPEC` for composition
roots."""

from __future__ import annotations

from pathlib import Path

from agora.platform.http import create_service_app
from agora.platform.service import ServiceContext, ServiceParts, ServiceSpec
from agora.services.competitions.account import build_participant
from agora.services.competitions.jobs import close_due_job
from agora.services.competitions.models import Base
from agora.services.competitions.router import profile_router, router
from agora.services.competitions.service import CompetitionsService

DESCRIPTION = """Literary competitions (seed 001): admins open them for a period; members submit
one entry each (or several where allowed), like and comment on entries (threaded replies), and
subscribe to hear about new entries. At the end date entries are ranked by likes and every entrant
is told their place."""


def build(ctx: ServiceContext) -> ServiceParts:
    service = CompetitionsService(
        database=ctx.database, cache=ctx.cache, clock=ctx.clock, hub=ctx.hub
    )
    app = create_service_app(
        service="competitions",
        title="Agora competitions",
        description=DESCRIPTION,
        routers=[router, profile_router],
        health_checks={"database": ctx.database.ping},
        clock=ctx.clock,
        provides=[service],
    )
    return ServiceParts(
        app=app, jobs=[close_due_job(service)], account_data=build_participant(ctx.database)
    )


SPEC = ServiceSpec(
    name="competitions",
    title="Competitions",
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    build=build,
)
