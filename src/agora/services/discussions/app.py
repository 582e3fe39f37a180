"""Wiring of the discussions service: its app, its consumer, and its `SPEC` for composition
roots."""

from __future__ import annotations

from pathlib import Path

from agora.platform.http import create_service_app
from agora.platform.service import ServiceContext, ServiceParts, ServiceSpec
from agora.services.discussions.account import build_participant
from agora.services.discussions.handlers import build_consumer
from agora.services.discussions.models import Base
from agora.services.discussions.router import LEAN_READS, ROUTERS
from agora.services.discussions.router.chat import EncodedFrames
from agora.services.discussions.service import DiscussionsService

DESCRIPTION = """Threads about the book of the month (bookclub seed), discussion rooms about albums
and genres (music seed), sports chatrooms (sports seed), and real-time chat in any room over
WebSocket at `/forums/connect`."""


def build(ctx: ServiceContext) -> ServiceParts:
    service = DiscussionsService(clock=ctx.clock, hub=ctx.hub, rate_limiter=ctx.rate_limiter)
    app = create_service_app(
        service="discussions",
        title="Agora discussions",
        description=DESCRIPTION,
        routers=ROUTERS,
        health_checks={"database": ctx.database.ping},
        clock=ctx.clock,
        provides=[service, EncodedFrames()],
        lean_reads=LEAN_READS,
    )
    return ServiceParts(
        app=app,
        consumer=build_consumer(ctx.database, service),
        account_data=build_participant(ctx.database),
    )


SPEC = ServiceSpec(
    name="discussions",
    title="Discussions",
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    build=build,
)
