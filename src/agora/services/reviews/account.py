"""The reviews service's part in the account sagas: a member's reviews. Album ratings are computed
from the rows, so a hidden review leaves every average at once and comes back on restore; albums
the user added to the catalog stay, without their name."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import Database
from agora.platform.sagas.holding import Row
from agora.platform.sagas.participant import (
    BaseRules,
    HeldRow,
    HoldScope,
    Participant,
    participant_for,
    rows_of,
    table_of,
)
from agora.services.reviews.models import Album, Base, Review

REVIEWS = table_of(Review)
NOBODY = 0


class ReviewsRules(BaseRules):
    async def hide(self, scope: HoldScope, user_id: int) -> None:
        await scope.hold(REVIEWS, REVIEWS.c.user_id == user_id)

    async def after_erase(
        self, session: AsyncSession, kept: Sequence[HeldRow], user_id: int
    ) -> None:
        await session.execute(
            update(Album).where(Album.created_by == user_id).values(created_by=NOBODY)
        )

    async def export(self, session: AsyncSession, user_id: int) -> dict[str, list[Row]]:
        return {"reviews": await rows_of(session, REVIEWS, REVIEWS.c.user_id == user_id)}


def build_participant(database: Database) -> Participant:
    return participant_for("reviews", database, Base.metadata, ReviewsRules())
