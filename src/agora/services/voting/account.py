"""The voting service's part in the account sagas: a member's votes, nominations and nomination
count. A hidden vote stops counting at once (live counts come from the rows); a vote in a closed
poll also leaves that poll's recorded totals, and comes back into them on restore."""

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
    of_table,
    participant_for,
    rows_of,
    table_of,
)
from agora.services.voting.models import OPEN, Base, Nomination, Nominator, Poll, Vote

VOTES = table_of(Vote)
NOMINATIONS = table_of(Nomination)
NOMINATORS = table_of(Nominator)


async def _shift_closed_totals(session: AsyncSession, votes: Sequence[Row], by: int) -> None:
    for vote in votes:
        await session.execute(
            update(Poll)
            .where(Poll.id == vote["poll_id"], Poll.status != OPEN)
            .values(total_votes=Poll.total_votes + by)
        )
        await session.execute(
            update(Poll)
            .where(
                Poll.id == vote["poll_id"],
                Poll.status != OPEN,
                Poll.winner_book_id == vote["book_id"],
            )
            .values(winner_votes=Poll.winner_votes + by)
        )


class VotingRules(BaseRules):
    async def hide(self, scope: HoldScope, user_id: int) -> None:
        votes = await scope.hold(VOTES, VOTES.c.user_id == user_id)
        await _shift_closed_totals(scope.session, votes, -1)
        await scope.hold(NOMINATIONS, NOMINATIONS.c.user_id == user_id)
        await scope.hold(NOMINATORS, NOMINATORS.c.user_id == user_id)

    async def after_restore(self, session: AsyncSession, rows: Sequence[HeldRow]) -> None:
        await _shift_closed_totals(session, of_table(rows, VOTES), +1)

    async def export(self, session: AsyncSession, user_id: int) -> dict[str, list[Row]]:
        return {
            "votes": await rows_of(session, VOTES, VOTES.c.user_id == user_id),
            "nominations": await rows_of(session, NOMINATIONS, NOMINATIONS.c.user_id == user_id),
        }


def build_participant(database: Database) -> Participant:
    return participant_for("voting", database, Base.metadata, VotingRules())
