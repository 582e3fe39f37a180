"""The users service's own part in the account sagas: the follow graph (both directions) is
hidden and restored like any service's content; on erase the account itself goes.

An erased account leaves a tombstone row (no name, email, password, bio or picture) so its id is
never given to someone else and the rows of others that name it (the first-admin record) stay
valid; its username is quarantined for `username_quarantine_days`, then free.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, or_
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.clock import Clock
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
from agora.services.users import repository as repo
from agora.services.users.models import Base, Follow, RefreshToken, User

FOLLOWS = table_of(Follow)
USERS = table_of(User)


def tombstone_name(user_id: int) -> str:
    """The username an erased account keeps: `~` is never valid in a chosen username."""
    return f"~deleted-{user_id}"


class UsersRules(BaseRules):
    def __init__(self, clock: Clock, quarantine: timedelta) -> None:
        self.clock = clock
        self.quarantine = quarantine

    async def hide(self, scope: HoldScope, user_id: int) -> None:
        await scope.hold(
            FOLLOWS, or_(FOLLOWS.c.follower_id == user_id, FOLLOWS.c.followee_id == user_id)
        )

    async def after_erase(
        self, session: AsyncSession, kept: Sequence[HeldRow], user_id: int
    ) -> None:
        user = await repo.get_user(session, user_id)
        if user is None or user.username == tombstone_name(user_id):
            return
        now = self.clock.now()
        await repo.quarantine_username(session, user.username, now + self.quarantine)
        await session.execute(delete(RefreshToken).where(RefreshToken.user_id == user_id))
        await repo.make_tombstone(session, user, tombstone_name(user_id), now)

    async def export(self, session: AsyncSession, user_id: int) -> dict[str, list[Row]]:
        profile = await rows_of(session, USERS, USERS.c.id == user_id)
        for row in profile:
            row.pop("password_hash", None)
        return {
            "profile": profile,
            "follows": await rows_of(
                session,
                FOLLOWS,
                or_(FOLLOWS.c.follower_id == user_id, FOLLOWS.c.followee_id == user_id),
            ),
        }


def build_participant(database: Database, clock: Clock, quarantine: timedelta) -> Participant:
    return participant_for("users", database, Base.metadata, UsersRules(clock, quarantine))
