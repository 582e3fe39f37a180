"""Wiring of the voting service: its app, its deadline job, and its `SPEC` for composition
roots."""

from __future__ import annotations

from pathlib import Path

from agora.platform.http import create_service_app
from agora.platform.service import ServiceContext, ServiceParts, ServiceSpec
from agora.services.voting.account import build_participant
from agora.services.voting.jobs import deadline_job
from agora.services.voting.models import Base
from agora.services.voting.router import LEAN_READS, router
from agora.services.voting.service import VotingService

DESCRIPTION = """The bookclub seed's voting service: candidate books, members' nominations, one
poll per month with one vote per member (voting again moves the vote), the book of the month, and
live counts over the `/vote/live` WebSocket."""


def build(ctx: ServiceContext) -> ServiceParts:
    service = VotingService(database=ctx.database, clock=ctx.clock, hub=ctx.hub)
    app = create_service_app(
        service="voting",
        title="Agora voting",
        description=DESCRIPTION,
        routers=[router],
        health_checks={"database": ctx.database.ping},
        clock=ctx.clock,
        provides=[service],
        lean_reads=LEAN_READS,
    )
    return ServiceParts(
        app=app, jobs=[deadline_job(service)], account_data=build_participant(ctx.database)
    )


SPEC = ServiceSpec(
    name="voting",
    title="Voting",
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    build=build,
)
