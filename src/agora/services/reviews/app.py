"""Wiring of the reviews service: its app and its `SPEC` for composition roots."""

from __future__ import annotations

from pathlib import Path

from agora.platform.http import create_service_app
from agora.platform.service import ServiceContext, ServiceParts, ServiceSpec
from agora.services.reviews.account import build_participant
from agora.services.reviews.models import Base
from agora.services.reviews.router import LEAN_READS, router
from agora.services.reviews.service import ReviewsService

DESCRIPTION = """The music seed's album catalog and reviews, under `/users-reviews`: admins add
albums; each user reviews an album once (0.5 to 5 stars in half steps) and may edit or delete their
review; every album shows its average, count and distribution of ratings."""


def build(ctx: ServiceContext) -> ServiceParts:
    service = ReviewsService(clock=ctx.clock)
    app = create_service_app(
        service="reviews",
        title="Agora reviews",
        description=DESCRIPTION,
        routers=[router],
        health_checks={"database": ctx.database.ping},
        clock=ctx.clock,
        provides=[service],
        lean_reads=LEAN_READS,
    )
    return ServiceParts(app=app, account_data=build_participant(ctx.database))


SPEC = ServiceSpec(
    name="reviews",
    title="Reviews",
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    build=build,
)
