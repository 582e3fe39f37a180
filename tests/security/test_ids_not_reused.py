"""Issue 11, item 11: a user id is never handed out twice, so a token of a deleted account can never
name the next one. SQLite reused the largest id after the newest row was deleted; users.id is
AUTOINCREMENT now (PostgreSQL's sequence never reused one). The migration rebuilds the table
without cascading the rebuild's drop into the rows that refer to users."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from agora.entrypoints.embedded import Platform
from agora.entrypoints.registry import available_specs
from agora.platform import migrations
from agora.platform.db import Database
from agora.services.users.app import SPEC
from tests.support.api import Api

BEFORE = "3f6b0d1e8a57"  # the revision before users.id became AUTOINCREMENT


async def test_the_id_of_a_deleted_newest_user_is_not_handed_out_again(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    await api.register("first")
    doomed = await api.register("doomed")
    async with platform.databases["users"].session() as session:
        await session.execute(text("DELETE FROM users WHERE id = :id"), {"id": doomed.id})
    newcomer = await api.register("newcomer")
    assert newcomer.id > doomed.id
    # The deleted user's token names nobody; it does not act as the newcomer.
    response = await client.get("/api/users/profile", headers=doomed.headers)
    assert response.status_code == 404


def _user(n: int) -> dict[str, object]:
    return {
        "id": n,
        "username": f"user{n}",
        "email": f"user{n}@example.com",
        "hash": "x",
        "now": "2026-12-01 10:00:00.000000",
    }


async def test_the_sqlite_migration_keeps_every_row_that_refers_to_users(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'users.db'}", service="users")
    try:
        await migrations.upgrade(database, SPEC.migrations, BEFORE)
        async with database.session() as session:
            for n in (1, 2, 3):
                await session.execute(
                    text(
                        "INSERT INTO users (id, username, email, password_hash, role, bio, "
                        "profile_picture, notifications_enabled, notification_types, "
                        "created_at, updated_at) VALUES (:id, :username, :email, :hash, "
                        "'member', '', '', 1, '[]', :now, :now)"
                    ),
                    _user(n),
                )
            await session.execute(
                text(
                    "INSERT INTO follows (follower_id, followee_id, created_at) "
                    "VALUES (1, 3, '2026-12-01 10:00:00.000000')"
                )
            )
        await migrations.upgrade(database, SPEC.migrations)
        async with database.session() as session:
            schema = (
                await session.execute(
                    text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'")
                )
            ).scalar_one()
            assert "AUTOINCREMENT" in schema
            follows = (await session.execute(text("SELECT count(*) FROM follows"))).scalar_one()
            assert follows == 1
            await session.execute(text("DELETE FROM users WHERE id = 3"))
            assert (await session.execute(text("SELECT count(*) FROM follows"))).scalar_one() == 0
            await session.execute(
                text(
                    "INSERT INTO users (username, email, password_hash, role, bio, "
                    "profile_picture, notifications_enabled, notification_types, "
                    "created_at, updated_at) VALUES ('user4', NULL, 'x', 'member', '', '', 1, "
                    "'[]', '2026-12-01 10:00:00.000000', '2026-12-01 10:00:00.000000')"
                )
            )
            new_id = (
                await session.execute(text("SELECT id FROM users WHERE username = 'user4'"))
            ).scalar_one()
        assert new_id == 4
        # Foreign keys are on again for everyone else.
        async with database.session() as session:
            assert (await session.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
    finally:
        await database.dispose()


@pytest.mark.parametrize(
    ("service", "table"),
    [("users", "users"), ("timeline", "tweets"), ("reviews", "reviews"), ("discussions", "rooms")],
)
async def test_deletable_rows_named_in_urls_never_reuse_ids_on_sqlite(
    tmp_path: Path, service: str, table: str
) -> None:
    (spec,) = available_specs([service])
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", service=service)
    try:
        await migrations.upgrade(database, spec.migrations)
        async with database.session(read_only=True) as session:
            schema = (
                await session.execute(
                    text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"),
                    {"t": table},
                )
            ).scalar_one()
        assert "AUTOINCREMENT" in schema
    finally:
        await database.dispose()
