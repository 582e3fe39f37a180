"""Team follows: a follower is told about the team's score changes (by the notifications
service, from the events emitted here)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.sports import TeamFollowed, TeamUnfollowed
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.deps import check_acting_user
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.services.sports import repository as repo
from agora.services.sports.models import Team, TeamFollow
from agora.services.sports.service.categories import CategoryRules


class FollowRules(CategoryRules):
    async def do_follow_team(
        self,
        session: AsyncSession,
        actor: Principal,
        team_name: str,
        *,
        user_id: str | int | None = None,
    ) -> tuple[Team, bool]:
        """Follow a team (`user_id`, if given, must be the actor); whether it is a new follow."""
        check_acting_user(actor, user_id, field="user_id")
        team = await self.access_team(session, team_name)
        created = await repo.add_team_follow(session, actor.user_id, team.id, self.clock.now())
        if created:
            await emit(session, TeamFollowed(user_id=actor.user_id, team=team.name))
        return team, created

    async def do_unfollow_team(
        self,
        session: AsyncSession,
        actor: Principal,
        team_name: str,
        *,
        user_id: str | int | None = None,
    ) -> tuple[Team, bool]:
        """Stop following a team; whether there was a follow to remove."""
        check_acting_user(actor, user_id, field="user_id")
        team = await self.access_team(session, team_name)
        removed = await repo.remove_team_follow(session, actor.user_id, team.id)
        if removed:
            await emit(session, TeamUnfollowed(user_id=actor.user_id, team=team.name))
        return team, removed

    async def list_followed_teams(
        self, session: AsyncSession, actor: Principal, *, limit: int, cursor: str | None
    ) -> Page[tuple[TeamFollow, Team]]:
        rows = await repo.list_team_follows(
            session, actor.user_id, limit=fetch_size(limit), before=parse_id_cursor(cursor)
        )
        return paginate(rows, limit, cursor_of=lambda row: row[0].id)
