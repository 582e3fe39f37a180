"""Sport categories and teams: the names games are filed under and played by."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.sports import CategoryCreated
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.clock import Clock
from agora.platform.errors import Conflict, Forbidden, NotFound
from agora.platform.ids import parse_id
from agora.platform.pagination import Page, fetch_size, paginate
from agora.platform.reads import Reads
from agora.platform.realtime.base import Hub
from agora.services.sports import repository as repo
from agora.services.sports.models import Category, Team
from agora.services.sports.schemas import CategoryCreate, name_key

T = TypeVar("T")

log = structlog.get_logger("agora.sports")


class CategoryRules:
    """Categories and teams; the base of the other rules, which file games under them."""

    def __init__(self, *, clock: Clock, hub: Hub) -> None:
        self.clock = clock
        self.hub = hub

    async def list_categories(self, session: AsyncSession) -> list[Category]:
        return await repo.list_categories(session)

    async def access_category(self, session: AsyncSession, category_id: int) -> Category:
        category = await repo.get_category(session, category_id)
        if category is None:
            raise NotFound(f"No sport category with id {category_id}", code="category_not_found")
        return category

    async def find_category(self, session: AsyncSession, name_or_id: str) -> Category:
        """A category by name (any case) or by id, as the `sport_category` filters take it."""
        return await _find(
            name_or_id,
            lambda key: repo.get_category_by_key(session, key),
            lambda number: repo.get_category(session, number),
        )

    async def find_category_id(self, reads: Reads, name_or_id: str) -> int:
        """The id of the category `find_category` finds, on plain reads (the hot reads')."""
        return await _find(
            name_or_id,
            lambda key: repo.category_id_by_key(reads, key),
            lambda number: repo.category_id(reads, number),
        )

    async def do_create_category(
        self, session: AsyncSession, actor: Principal, data: CategoryCreate
    ) -> Category:
        if not actor.is_admin:
            raise Forbidden("Only admins create sport categories", code="admin_required")
        category_id = await repo.add_category(
            session, data.category_name, name_key(data.category_name), self.clock.now()
        )
        if category_id is None:
            raise Conflict(
                f"A category named {data.category_name!r} exists already",
                code="duplicate_category",
                details=[{"field": "body.category_name", "message": "is already taken"}],
            )
        await emit(session, CategoryCreated(category_id=category_id, name=data.category_name))
        log.info("category_created", category_id=category_id)
        return await self.access_category(session, category_id)

    async def access_team(self, session: AsyncSession, name: str) -> Team:
        team = await repo.get_team_by_key(session, name_key(name))
        if team is None:
            raise NotFound(
                f"No team named {name!r} has played or been scheduled", code="team_not_found"
            )
        return team

    async def list_teams(
        self, session: AsyncSession, *, limit: int, cursor: str | None
    ) -> Page[Team]:
        """Teams by name; the cursor is the last name key of the previous page."""
        teams = await repo.list_teams(session, limit=fetch_size(limit), after=cursor or None)
        return paginate(teams, limit, cursor_of=lambda team: team.name_key)


async def _find(
    name_or_id: str,
    by_key: Callable[[str], Awaitable[T | None]],
    by_id: Callable[[int], Awaitable[T | None]],
) -> T:
    """What the `sport_category` filters name: the category of that name (any case) first, else
    the one with that id."""
    found = await by_key(name_key(name_or_id))
    number = parse_id(name_or_id)
    if found is None and number is not None:
        found = await by_id(number)
    if found is None:
        raise NotFound(f"No sport category {name_or_id!r}", code="category_not_found")
    return found
