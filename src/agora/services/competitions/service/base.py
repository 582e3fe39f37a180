"""What every part of the competitions rules shares: the collaborators, how a competition stands
now, and fetching a competition or an entry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.cache.base import Cache
from agora.platform.clock import Clock
from agora.platform.db import Database, UnitOfWork, after_commit
from agora.platform.errors import NotFound
from agora.platform.realtime.base import Hub
from agora.services.competitions import repository as repo
from agora.services.competitions.models import CLOSED, Competition, Submission


def status_of(competition: Competition, now: datetime) -> str:
    """`upcoming`, `active` or `closed`, as a user sees it now."""
    if competition.status == CLOSED or now >= competition.end_date:
        return "closed"
    if now < competition.start_date:
        return "upcoming"
    return "active"


def closed_at_of(competition: Competition, now: datetime) -> datetime | None:
    """When the competition closed, as a user sees it now: at its end date, recorded or not."""
    if competition.closed_at is not None:
        return competition.closed_at
    return competition.end_date if now >= competition.end_date else None


def competition_channel(competition_id: int) -> str:
    """The hub channel of a competition's live counts."""
    return f"competition:{competition_id}"


class ServiceBase:
    """The competitions rules' collaborators. Endpoints hand the rules the request's session; the
    rules only flush."""

    def __init__(self, *, database: Database, cache: Cache, clock: Clock, hub: Hub) -> None:
        self.database = database
        self.cache = cache
        self.clock = clock
        self.hub = hub

    async def _publish_counts(
        self, session: UnitOfWork, competition_id: int, submission_id: int
    ) -> int:
        """After this transaction commits, tell whoever has the competition open the entry's like
        and comment counts; the like count."""
        likes, comments = await repo.get_counts(session, submission_id)
        frame = {
            "type": "counts",
            "submission_id": str(submission_id),
            "likes": likes,
            "comments": comments,
        }

        async def publish() -> None:
            await self.hub.publish(competition_channel(competition_id), frame)

        after_commit(session, publish)
        return likes

    async def access_competition(self, session: AsyncSession, competition_id: int) -> Competition:
        competition = await repo.get_competition(session, competition_id)
        if competition is None:
            raise NotFound(f"No competition with id {competition_id}", code="competition_not_found")
        return competition

    async def _access_submission(
        self, session: AsyncSession, competition_id: int, submission_id: int
    ) -> Submission:
        submission = await repo.get_submission(session, submission_id)
        if submission is None or submission.competition_id != competition_id:
            raise NotFound(
                f"No submission {submission_id} in competition {competition_id}",
                code="submission_not_found",
            )
        return submission
