"""Competitions themselves: creating, deleting, reading one, and the cached list of the active
ones."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.auth.principal import Principal
from agora.platform.cache.base import get_json, set_json
from agora.platform.db import after_commit
from agora.platform.errors import Forbidden, NotFound, ValidationFailed
from agora.services.competitions import repository as repo
from agora.services.competitions.models import Competition
from agora.services.competitions.schemas import CompetitionCreate, CompetitionSummary
from agora.services.competitions.service.deadlines import Deadlines

log = structlog.get_logger("agora.competitions")

# The active list is cached under a generation: writers move the generation after commit, so a
# reader that built its list from data older than the change stores it under a dead key.
ACTIVE_GENERATION_KEY = "active:generation"
ACTIVE_LIST_TTL = 300.0
GENERATION_TTL = 86_400.0


def active_summary(competition: Competition) -> dict[str, Any]:
    """A competition as the active list answers it (seed 001's item, in its JSON form)."""
    return CompetitionSummary(
        competition_id=str(competition.id),
        title=competition.title,
        description=competition.description,
        start_date=competition.start_date,
        end_date=competition.end_date,
    ).model_dump(mode="json")


@dataclass(frozen=True, slots=True)
class ActiveList:
    """The competitions accepting entries now, as the list answers them (`active_summary`), and
    until when that list holds (the next start or end of any competition; None: no such
    moment)."""

    items: list[dict[str, Any]]
    holds_until: datetime | None


class CompetitionRules(Deadlines):
    """Competitions and the active list."""

    async def get_competition(
        self, session: AsyncSession, competition_id: int
    ) -> tuple[Competition, int]:
        """A competition and how many entries it has (`status_of` tells how it stands now)."""
        competition = await self.access_competition(session, competition_id)
        return competition, await repo.count_submissions(session, competition_id)

    async def do_create_competition(
        self, session: AsyncSession, me: Principal, data: CompetitionCreate
    ) -> Competition:
        if not me.is_admin:
            raise Forbidden("Only admins create competitions", code="admin_required")
        now = self.clock.now()
        if data.end_date <= now:
            raise ValidationFailed.field("body.end_date", "must be in the future")
        competition = await repo.add_competition(
            session,
            title=data.title,
            description=data.description,
            admin_id=me.user_id,
            start_date=data.start_date,
            end_date=data.end_date,
            allow_multiple_entries=data.allow_multiple_entries,
            now=now,
        )
        self._invalidate_active(session)
        log.info("competition_created", competition_id=competition.id)
        return competition

    async def do_delete_competition(
        self, session: AsyncSession, me: Principal, competition_id: int
    ) -> None:
        if not me.is_admin:
            raise Forbidden("Only admins delete competitions", code="admin_required")
        if not await repo.delete_competition(session, competition_id):
            raise NotFound(f"No competition with id {competition_id}", code="competition_not_found")
        self._invalidate_active(session)
        log.info("competition_deleted", competition_id=competition_id, by=me.user_id)

    def _invalidate_active(self, session: AsyncSession) -> None:
        async def move_generation() -> None:
            await self.cache.set(ACTIVE_GENERATION_KEY, uuid.uuid4().hex.encode(), GENERATION_TTL)

        after_commit(session, move_generation)

    async def list_active(self) -> ActiveList:
        """The competitions accepting entries now (from the cache when it is fresh: then without
        a unit of work, and with the items as they were answered when cached).

        A cached list is valid until the moment it holds until, so an ended one is never served:
        the entry expires then, and is also checked against the clock on read.
        """
        now = self.clock.now()
        raw = await self.cache.get(ACTIVE_GENERATION_KEY)
        if raw is None:
            # Set before reading the database: a writer committing meanwhile moves it again.
            raw = uuid.uuid4().hex.encode()
            await self.cache.set(ACTIVE_GENERATION_KEY, raw, GENERATION_TTL)
        key = f"active:answer:{raw.decode()}"
        cached = await get_json(self.cache, key)
        if isinstance(cached, dict):
            valid_until = cached.get("valid_until")
            holds_until = datetime.fromisoformat(valid_until) if valid_until else None
            if holds_until is None or holds_until > now:
                return ActiveList(cached["items"], holds_until)
        async with self.database.session(read_only=True) as session:
            competitions = await repo.list_active(session, now)
            next_start = await repo.next_start_after(session, now)
        boundaries = [c.end_date for c in competitions]
        if next_start is not None:
            boundaries.append(next_start)
        until = min(boundaries) if boundaries else None
        items = [active_summary(c) for c in competitions]
        ttl = ACTIVE_LIST_TTL
        if until is not None:
            ttl = min(ttl, (until - now).total_seconds())
        value = {"items": items, "valid_until": until.isoformat() if until else None}
        await set_json(self.cache, key, value, ttl)
        return ActiveList(items, until)
