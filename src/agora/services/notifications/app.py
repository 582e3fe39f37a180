"""Wiring of the notifications service: its app, its event consumer, and its `SPEC` for
composition roots."""

from __future__ import annotations

from pathlib import Path

from agora.platform.http import create_service_app
from agora.platform.service import ServiceContext, ServiceParts, ServiceSpec
from agora.services.notifications.account import build_participant
from agora.services.notifications.handlers import build_consumer
from agora.services.notifications.models import Base
from agora.services.notifications.router import router
from agora.services.notifications.service import NotificationsService

DESCRIPTION = """Notifications (seed 004): follows, likes, comments and replies on entries, new
entries in subscribed competitions, placements, and score updates of followed teams, each honouring
the user's preferences. Listed over HTTP and delivered live on `/notifications/ws`."""


def build(ctx: ServiceContext) -> ServiceParts:
    service = NotificationsService(directory=ctx.require_directory(), hub=ctx.hub, clock=ctx.clock)
    app = create_service_app(
        service="notifications",
        title="Agora notifications",
        description=DESCRIPTION,
        routers=[router],
        health_checks={"database": ctx.database.ping},
        clock=ctx.clock,
        provides=[service],
    )
    consumer = build_consumer(ctx.database, service)
    return ServiceParts(app=app, consumer=consumer, account_data=build_participant(ctx.database))


SPEC = ServiceSpec(
    name="notifications",
    title="Notifications",
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    build=build,
)
