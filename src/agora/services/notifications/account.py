"""The notifications service's part in the account sagas: a member's notifications and the teams
whose score updates they asked for, and the notifications others got about what the member did
("alice liked your entry"): hidden with the member, erased with them."""

from __future__ import annotations

from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import Database
from agora.platform.sagas.holding import Row
from agora.platform.sagas.participant import (
    BaseRules,
    HoldScope,
    Participant,
    participant_for,
    rows_of,
    table_of,
)
from agora.services.notifications.models import Base, Notification, TeamFollow

NOTIFICATIONS = table_of(Notification)
TEAM_FOLLOWS = table_of(TeamFollow)


# The keys of a notification's data that name who acted (the liker, the commenter, the follower).
ACTOR_KEYS = ("user_id", "follower_id")


async def _about(session: AsyncSession, user_id: int) -> list[int]:
    """Ids of the notifications whose actor is `user_id`. The JSON text is searched first (both
    backends keep what SQLAlchemy wrote), then each candidate's data is checked exactly."""
    needles = [f'%"{key}": "{user_id}"%' for key in ACTOR_KEYS]
    text = cast(NOTIFICATIONS.c.data, String)
    rows = await session.execute(
        select(NOTIFICATIONS.c.id, NOTIFICATIONS.c.data).where(
            or_(*(text.like(n) for n in needles))
        )
    )
    return [
        nid
        for nid, data in rows.all()
        if any(str(data.get(key)) == str(user_id) for key in ACTOR_KEYS)
    ]


class NotificationsRules(BaseRules):
    async def hide(self, scope: HoldScope, user_id: int) -> None:
        await scope.hold(NOTIFICATIONS, NOTIFICATIONS.c.user_id == user_id)
        about = await _about(scope.session, user_id)
        if about:
            await scope.hold(NOTIFICATIONS, NOTIFICATIONS.c.id.in_(about))
        await scope.hold(TEAM_FOLLOWS, TEAM_FOLLOWS.c.user_id == user_id)

    async def export(self, session: AsyncSession, user_id: int) -> dict[str, list[Row]]:
        return {
            "notifications": await rows_of(
                session, NOTIFICATIONS, NOTIFICATIONS.c.user_id == user_id
            ),
            "notification_team_follows": await rows_of(
                session, TEAM_FOLLOWS, TEAM_FOLLOWS.c.user_id == user_id
            ),
        }


def build_participant(database: Database) -> Participant:
    return participant_for("notifications", database, Base.metadata, NotificationsRules())
