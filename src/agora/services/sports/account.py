"""The sports service's part in the account sagas: the teams a member follows. (Their sports chat
messages live in the discussions service; games and events recorded by admins and feeders are the
platform's record of play, not personal content.)"""

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
from agora.services.sports.models import Base, TeamFollow

TEAM_FOLLOWS = table_of(TeamFollow)


class SportsRules(BaseRules):
    async def hide(self, scope: HoldScope, user_id: int) -> None:
        await scope.hold(TEAM_FOLLOWS, TEAM_FOLLOWS.c.user_id == user_id)

    async def export(self, session: AsyncSession, user_id: int) -> dict[str, list[Row]]:
        return {
            "followed_teams": await rows_of(
                session, TEAM_FOLLOWS, TEAM_FOLLOWS.c.user_id == user_id
            )
        }


def build_participant(database: Database) -> Participant:
    return participant_for("sports", database, Base.metadata, SportsRules())
