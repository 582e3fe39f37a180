"""Deadlines and results. A job closes competitions whose end has passed, and every request about
one competition first closes it if it is due (`do_settle`), so the outcome never depends on when
the job last ran. Closing is one guarded transition (`UPDATE ... WHERE status='open'
RETURNING`): however many callers race, exactly one ranks the entries and emits the results."""

from __future__ import annotations

import asyncio
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.competitions import Placing, ResultsPublished
from agora.platform.bus.outbox import emit
from agora.platform.errors import Conflict
from agora.platform.schemas import iso
from agora.services.competitions import repository as repo
from agora.services.competitions.models import CLOSED, Competition
from agora.services.competitions.repository import Counted
from agora.services.competitions.service.base import ServiceBase

log = structlog.get_logger("agora.competitions")


class Deadlines(ServiceBase):
    """Closing competitions at their end, and their results."""

    async def do_settle(self, competition_id: int) -> None:
        """Close the competition now if its end has passed (the lazy half of the deadline).

        Runs in its own units of work, before the request's session reads anything, so the request
        then sees the competition closed.
        """
        now = self.clock.now()
        async with self.database.session(read_only=True) as session:
            due = await repo.is_due(session, competition_id, now)
        if due:
            async with self.database.session() as session:
                await self._do_close(session, competition_id, now)

    async def do_close_due(self) -> int:
        """Close every competition whose end has passed; returns how many this call closed."""
        now = self.clock.now()
        async with self.database.session(read_only=True) as session:
            due = await repo.list_due_ids(session, now)
        closed = 0
        for competition_id in due:
            async with self.database.session() as session:
                closed += await self._do_close(session, competition_id, now)
        return closed

    async def run_closer(self, interval: float) -> None:
        """The job: close due competitions every `interval` seconds."""
        while True:
            try:
                await self.do_close_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("competition_closer_failed")
            await asyncio.sleep(interval)

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
                closed_at=now,
                entry_count=len(placings),
                placings=placings,
            ),
        )
        log.info("competition_closed", competition_id=competition_id, entries=len(placings))
        return True

    async def get_results(
        self, session: AsyncSession, competition_id: int
    ) -> tuple[Competition, list[Counted]]:
        await self.do_settle(competition_id)
        competition = await self.access_competition(session, competition_id)
        if competition.status != CLOSED:
            raise Conflict(
                f"Results are published when the competition ends, at {iso(competition.end_date)}",
                code="results_not_ready",
            )
        return competition, await repo.list_placed(session, competition_id)
