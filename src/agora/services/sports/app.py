"""Wiring of the sports service: its app, its collaborators, the demo feed job, and its `SPEC`
for composition roots."""

from __future__ import annotations

from pathlib import Path

from agora.platform.http import create_service_app
from agora.platform.service import Job, ServiceContext, ServiceParts, ServiceSpec
from agora.services.sports.account import build_participant
from agora.services.sports.answers import VersionedAnswers
from agora.services.sports.jobs import make_feed
from agora.services.sports.models import Base
from agora.services.sports.router import LEAN_READS, router
from agora.services.sports.service import SportsService

DESCRIPTION = """Live sports (the sports seed): categories, games and their events, scores that
move in one transaction with each event, live updates over a WebSocket, and
team follows (followers are told about score changes by the notifications service). Admins
and feeders schedule games and post events; a demo feed plays games when `AGORA_SPORTS_FEED` is
on."""


def build(ctx: ServiceContext) -> ServiceParts:
    service = SportsService(clock=ctx.clock, hub=ctx.hub)
    app = create_service_app(
        service="sports",
        title="Agora sports",
        description=DESCRIPTION,
        routers=[router],
        health_checks={"database": ctx.database.ping},
        clock=ctx.clock,
        provides=[service, VersionedAnswers()],
        lean_reads=LEAN_READS,
    )
    jobs: list[Job] = []
    if ctx.settings.sports_feed:
        feed = make_feed(ctx.database, service, ctx.clock, ctx.settings.sports_feed_speed)
        jobs.append(feed.run)
    return ServiceParts(app=app, jobs=jobs, account_data=build_participant(ctx.database))


SPEC = ServiceSpec(
    name="sports",
    title="Sports",
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    build=build,
)
