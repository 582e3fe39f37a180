"""The notifications service's part in the account sagas: a member's notifications and the teams
whose score updates they asked for."""

from __future__ import annotations

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


class NotificationsRules(BaseRules):
    async def hide(self, scope: HoldScope, user_id: int) -> None:
        await scope.hold(NOTIFICATIONS, NOTIFICATIONS.c.user_id == user_id)
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
