"""Deadlines and results.

Reads never write. A competition past its end date ended then, whether or not the closing job has
recorded that yet (it does within seconds, and every write about the competition settles it first,
in its own transaction): a read shows it closed, with the places its likes give (no like counts
after the end), and writes nothing. Closing is one guarded transition (`UPDATE ... WHERE
status='open' RETURNING`): however many callers race, exactly one ranks the entries and emits the
results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.competitions import Placing, ResultsPublished
from agora.platform.bus.outbox import emit
from agora.platform.errors import Conflict
from agora.platform.schemas import iso
from agora.services.competitions import repository as repo
from agora.services.competitions.models import CLOSED, OPEN, Competition
from agora.services.competitions.repository import Counted
from agora.services.competitions.service.base import ServiceBase

log = structlog.get_logger("agora.competitions")


class Standing(Protocol):
    """What deciding whether a competition is open needs: a `Competition`, or a hot write's
    lighter read of it."""

    @property
    def id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def start_date(self) -> datetime: ...
    @property
    def end_date(self) -> datetime: ...


def is_due(competition: Standing, now: datetime) -> bool:
    """Past its end but not recorded as closed yet."""
    return competition.status == OPEN and now >= competition.end_date


def placed(ranked: Sequence[Counted]) -> list[Counted]:
    """Entries best first, each given its place."""
    return [replace(entry, place=place) for place, entry in enumerate(ranked, start=1)]


class Deadlines(ServiceBase):
    """Closing competitions at their end, and their results."""

    async def do_settle(self, competition_id: int) -> None:
        """Close the competition now if its end has passed: writes about one competition call this
        first, in its own units of work, so they then see it closed."""
        now = self.clock.now()
        async with self.database.session(read_only=True) as session:
            due = await repo.is_due(session, competition_id, now)
        if due:
            async with self.database.session() as session:
                await self._do_close(session, competition_id, now)

    async def do_close_due(self) -> int:
        """Close every competition whose end has passed (the closing job's round); returns how many
        this call closed."""
        now = self.clock.now()
        async with self.database.session(read_only=True) as session:
            due = await repo.list_due_ids(session, now)
        closed = 0
        for competition_id in due:
            async with self.database.session() as session:
                closed += await self._do_close(session, competition_id, now)
        return closed

    async def _do_close(self, session: AsyncSession, competition_id: int, now: datetime) -> bool:
        if not await repo.mark_closed(session, competition_id, now):
            return False
        competition = await repo.get_competition(session, competition_id)
        if competition is None:
            return False
        ranked = await repo.rank_submissions(session, competition_id)
        placings = []
        for place, entry in enumerate(ranked, start=1):
            await repo.set_place(session, entry.submission.id, place)
            placings.append(
                Placing(
                    place=place,
                    submission_id=entry.submission.id,
                    user_id=entry.submission.user_id,
                    title=entry.submission.title,
                    likes=entry.likes,
                )
            )
        await emit(
            session,
            ResultsPublished(
                competition_id=competition_id,
                title=competition.title,
                closed_at=competition.end_date,
                entry_count=len(placings),
                placings=placings,
            ),
        )
        log.info("competition_closed", competition_id=competition_id, entries=len(placings))
        return True

    async def get_results(
        self, session: AsyncSession, competition_id: int
    ) -> tuple[Competition, list[Counted]]:
        """The places: as recorded, or, past the end before they are recorded, as the likes give
        them."""
        competition = await self.access_competition(session, competition_id)
        if competition.status == CLOSED:
            return competition, await repo.list_placed(session, competition_id)
        if is_due(competition, self.clock.now()):
            return competition, placed(await repo.rank_submissions(session, competition_id))
        raise Conflict(
            f"Results are published when the competition ends, at {iso(competition.end_date)}",
            code="results_not_ready",
        )

    async def _as_of_now(
        self, session: AsyncSession, entries: list[Counted], due_ids: set[int]
    ) -> list[Counted]:
        """`entries` with the places their competitions (among `due_ids`: past their end, places
        not recorded yet) give them now."""
        places: dict[int, int] = {}
        for competition_id in due_ids & {e.submission.competition_id for e in entries}:
            ranked = await repo.rank_submissions(session, competition_id)
            places.update((e.submission.id, place) for place, e in enumerate(ranked, start=1))
        return [
            replace(e, place=places[e.submission.id]) if e.submission.id in places else e
            for e in entries
        ]
