"""The in-process `UserDirectory`: other services' questions answered from the users database."""

from __future__ import annotations

from collections.abc import Collection

from agora.contracts.users import NotificationPreferences, UserSummary
from agora.platform.db import Database
from agora.services.users import repository as repo


class LocalUserDirectory:
    """`UserDirectory` over the users service's own database (embedded topology, and the gRPC
    server)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def get_users(self, user_ids: Collection[int]) -> dict[int, UserSummary]:
        async with self._database.session(read_only=True) as session:
            users = await repo.get_users(session, set(user_ids))
        return {u.id: UserSummary(user_id=u.id, username=u.username, role=u.role) for u in users}

    async def get_user_by_username(self, username: str) -> UserSummary | None:
        async with self._database.session(read_only=True) as session:
            user = await repo.get_user_by_identifier(session, username.strip().lower())
        if user is None:
            return None
        return UserSummary(user_id=user.id, username=user.username, role=user.role)

    async def get_followers(self, user_id: int) -> list[int]:
        async with self._database.session(read_only=True) as session:
            return await repo.list_follow_ids(session, user_id, "followers")

    async def get_followings(self, user_id: int) -> list[int]:
        async with self._database.session(read_only=True) as session:
            return await repo.list_follow_ids(session, user_id, "followings")

    async def get_notification_preferences(
        self, user_ids: Collection[int]
    ) -> dict[int, NotificationPreferences]:
        wanted = set(user_ids)
        if not wanted:
            return {}
        if len(wanted) <= repo.FEW_RECIPIENTS:
            # One read per event the notifications consume: below the Session (decision 0046).
            async with self._database.reads() as reads:
                rows = await repo.get_few_notification_preferences(reads, wanted)
        else:
            async with self._database.session(read_only=True) as session:
                rows = await repo.get_notification_preferences(session, wanted)
        return {
            user_id: NotificationPreferences(enabled=enabled, types=types)
            for user_id, enabled, types in rows
        }
