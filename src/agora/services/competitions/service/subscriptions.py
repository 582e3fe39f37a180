"""Subscriptions: a member hears about new entries in a competition until it ends."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.auth.principal import Principal
from agora.platform.errors import BadRequest
from agora.platform.pagination import parse_id_cursor
from agora.services.competitions import repository as repo
from agora.services.competitions.models import Competition, Subscription
from agora.services.competitions.service.base import status_of
from agora.services.competitions.service.deadlines import Deadlines


class SubscriptionRules(Deadlines):
    """Subscribing and the member's subscriptions."""

    async def do_subscribe(self, session: AsyncSession, me: Principal, competition_id: int) -> bool:
        await self.do_settle(competition_id)
        competition = await self.access_competition(session, competition_id)
        if status_of(competition, self.clock.now()) == "closed":
            raise BadRequest(
                f"Competition {competition_id} has ended; there is nothing more to hear about",
                code="competition_closed",
            )
        return await repo.add_subscription(session, competition_id, me.user_id, self.clock.now())

    async def do_unsubscribe(
        self, session: AsyncSession, me: Principal, competition_id: int
    ) -> bool:
        await self.access_competition(session, competition_id)
        return await repo.remove_subscription(session, competition_id, me.user_id)

    async def list_my_subscriptions(
        self, session: AsyncSession, me: Principal, *, limit: int, before: str | None
    ) -> list[tuple[Subscription, Competition]]:
        """The seed's bare list: the next page starts `before` the last id of this one."""
        return await repo.list_user_subscriptions(
            session, me.user_id, limit=limit, before=parse_id_cursor(before)
        )
