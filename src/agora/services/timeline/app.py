"""Wiring of the timeline service: its app, its consumer, and its `SPEC` for composition roots."""

from __future__ import annotations

from pathlib import Path

from agora.platform.http import create_service_app
from agora.platform.service import ServiceContext, ServiceParts, ServiceSpec
from agora.services.timeline.account import build_participant
from agora.services.timeline.handlers import build_consumer
from agora.services.timeline.models import Base
from agora.services.timeline.router import LEAN_READS, router
from agora.services.timeline.service import TimelineService

DESCRIPTION = """Tweets and timelines of the Twitter-like seed. The user timeline is public; the
home timeline (whom you follow, and you) is yours only, kept by fan-out on write into capped feeds
and rebuilt from the database when a feed is missing. `/tweets/live` streams your home timeline."""


def build(ctx: ServiceContext) -> ServiceParts:
    service = TimelineService(
        feeds=ctx.feeds,
        hub=ctx.hub,
        clock=ctx.clock,
        cache=ctx.cache,
        directory=ctx.user_directory,
    )
    app = create_service_app(
        service="timeline",
        title="Agora timeline",
        description=DESCRIPTION,
        routers=[router],
        health_checks={"database": ctx.database.ping},
        clock=ctx.clock,
        provides=[service],
        lean_reads=LEAN_READS,
    )
    return ServiceParts(
        app=app,
        consumer=build_consumer(ctx.database, service),
        account_data=build_participant(ctx.database, service),
    )


SPEC = ServiceSpec(
    name="timeline",
    title="Timeline",
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    build=build,
)
