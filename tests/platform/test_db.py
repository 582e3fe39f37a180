"""Units of work and migrations on SQLite and the real PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from agora.platform import migrations
from agora.platform.db import (
    AfterCommit,
    Database,
    after_commit,
    drop_database,
    ensure_database,
    is_database_unavailable,
)
from agora.platform.errors import Unauthorized
from agora.services.users.app import SPEC
from agora.services.users.models import User
from tests.support.databases import POSTGRES_SERVER, DatabaseFactory

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _user(name: str, created: datetime = NOW) -> User:
    return User(
        username=name,
        email=None,
        password_hash="x",
        role="member",
        bio="",
        profile_picture="",
        notifications_enabled=True,
        notification_types=["like"],
        created_at=created,
        updated_at=created,
    )


async def _names(db: Database) -> list[str]:
    async with db.session(read_only=True) as session:
        return list((await session.execute(select(User.username).order_by(User.id))).scalars())


async def test_a_unit_of_work_commits_on_success(database: Database) -> None:
    async with database.session() as session:
        session.add(_user("kept"))
    assert await _names(database) == ["kept"]


async def _write_then_fail(database: Database, name: str, error: Exception) -> None:
    async with database.session() as session:
        session.add(_user(name))
        await session.flush()
        raise error


async def test_a_unit_of_work_rolls_back_on_error(database: Database) -> None:
    with pytest.raises(ValueError, match="nope"):
        await _write_then_fail(database, "lost", ValueError("nope"))
    assert await _names(database) == []


async def test_a_client_error_rolls_back_too(database: Database) -> None:
    # What must outlive a refused request is committed in a unit of work of its own beforehand.
    with pytest.raises(Unauthorized):
        await _write_then_fail(database, "refused", Unauthorized("reuse"))
    assert await _names(database) == []


async def test_datetimes_come_back_aware_and_in_utc(database: Database) -> None:
    tz = timezone(timedelta(hours=3))
    async with database.session() as session:
        session.add(_user("tz", created=datetime(2026, 5, 1, 15, 0, tzinfo=tz)))
    async with database.session(read_only=True) as session:
        created = await session.scalar(select(User.created_at))
    assert created == datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert created is not None
    assert created.tzinfo is not None


async def _store(database: Database, user: User) -> None:
    async with database.session() as session:
        session.add(user)


async def test_naive_datetimes_are_refused(database: Database) -> None:
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(Exception, match="naive"):
        await _store(database, _user("naive", created=naive))


async def test_concurrent_writers_all_succeed(database: Database) -> None:
    async def add(i: int) -> None:
        async with database.session() as session:
            existing = await session.scalar(select(User.id).where(User.username == f"w{i}"))
            assert existing is None
            session.add(_user(f"w{i}"))

    await asyncio.gather(*(add(i) for i in range(20)))
    assert len(await _names(database)) == 20


async def test_migrations_are_idempotent_and_report_pending(database: Database) -> None:
    assert not await migrations.pending(database, SPEC.migrations)
    await migrations.upgrade(database, SPEC.migrations)
    assert not await migrations.pending(database, SPEC.migrations)


@pytest.mark.postgres
async def test_replicas_migrating_together_do_not_collide() -> None:
    from sqlalchemy.engine import make_url

    url = (
        make_url(POSTGRES_SERVER).set(database="agora_t_concurrent_migrate").render_as_string(False)
    )
    await drop_database(url)
    await ensure_database(url)
    replicas = [Database(url, service="users") for _ in range(3)]
    try:
        await asyncio.gather(*(migrations.upgrade(db, SPEC.migrations) for db in replicas))
        async with replicas[0].engine.connect() as conn:
            count = await conn.scalar(text("SELECT count(*) FROM alembic_version"))
        assert count == 1
    finally:
        for db in replicas:
            await db.dispose()
        await drop_database(url)


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_sqlite_runs_in_wal_mode(database: Database) -> None:
    async with database.engine.connect() as conn:
        assert await conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert await conn.scalar(text("PRAGMA foreign_keys")) == 1


async def test_after_commit_actions_run_only_after_a_commit(database: Database) -> None:
    ran: list[str] = []

    async def note(what: str) -> None:
        ran.append(what)

    async with database.session() as session:
        session.add(_user("committed"))
        after_commit(session, lambda: note("first"))
        after_commit(session, lambda: note("second"))
        assert ran == []
    assert ran == ["first", "second"]
    with pytest.raises(ValueError, match="rolled back"):
        await _fail_with_action(database, lambda: note("never"))
    assert ran == ["first", "second"]


async def _fail_with_action(database: Database, action: AfterCommit) -> None:
    async with database.session() as session:
        after_commit(session, action)
        raise ValueError("rolled back")


async def test_a_failing_after_commit_action_does_not_undo_the_commit(database: Database) -> None:
    async def boom() -> None:
        raise RuntimeError("hub down")

    async with database.session() as session:
        session.add(_user("kept_anyway"))
        after_commit(session, boom)
    assert await _names(database) == ["kept_anyway"]


@pytest.mark.postgres
async def test_with_a_read_url_reads_go_there_and_commits_wait_for_replicas_to_apply(
    database_factory: DatabaseFactory,
) -> None:
    url = await database_factory.create("postgres", "users", SPEC.migrations)
    # Same server for both here: the write engine's sessions wait for replicas to apply, the read
    # engine's do not write.
    db = Database(url, service="users", read_url=url)
    try:
        async with db.session() as session:
            level = await session.scalar(text("SHOW synchronous_commit"))
            await session.execute(text("SELECT 1"))
        assert level == "remote_apply"
        async with db.session(read_only=True) as session:
            assert await session.scalar(text("SHOW synchronous_commit")) == "on"
        assert db.read_engine is not None
    finally:
        await db.dispose()


async def test_without_a_read_url_reads_use_the_primary(database: Database) -> None:
    assert database.read_engine is None
    async with database.session(read_only=True) as session:
        assert await session.scalar(text("SELECT 1")) == 1


# A server that drops connections: PostgreSQL only.
@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
async def test_a_connection_the_server_dropped_is_one_503_then_the_pool_reconnects(
    database: Database,
) -> None:
    """No ping per checkout: the unit of work that meets a connection the server closed (a restart,
    a failover) fails as "database unavailable", and the next one gets a fresh connection."""
    async with database.session() as session:
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
    killer = Database(database.url, service="killer")
    try:
        async with killer.session() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await killer.dispose()
    with pytest.raises(DBAPIError) as failure:
        async with database.session(read_only=True) as session:
            await session.execute(text("SELECT 1"))
    assert is_database_unavailable(failure.value)
    async with database.session(read_only=True) as session:
        assert await session.scalar(text("SELECT pg_backend_pid()")) != pid


@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
async def test_a_server_shutting_down_throws_the_whole_pool_away(database: Database) -> None:
    """57P01 (admin shutdown) on one connection: every pooled connection is discarded, since they
    all lead to the same server."""

    async def hold() -> int:
        async with database.session() as session:
            pid = int(await session.scalar(text("SELECT pg_backend_pid()")) or 0)
            await asyncio.sleep(0.2)  # both sessions open at once: two pooled connections
            return pid

    pids = set(await asyncio.gather(hold(), hold()))
    assert len(pids) == 2
    with pytest.raises(DBAPIError) as failure:
        async with database.session() as session:
            await session.execute(
                text("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '57P01'; END $$")
            )
    assert is_database_unavailable(failure.value)
    async with database.session(read_only=True) as session:
        assert await session.scalar(text("SELECT pg_backend_pid()")) not in pids


@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
async def test_a_read_only_unit_of_work_opens_no_transaction(database: Database) -> None:
    """A read costs its statements only: no BEGIN and COMMIT round trips around them."""
    # SET LOCAL lasts until the end of the transaction: the next statement sees it only if both
    # run in one.
    async with database.session(read_only=True) as session:
        await session.execute(text("SET LOCAL statement_timeout = '123s'"))
        assert await session.scalar(text("SHOW statement_timeout")) != "123s"
    async with database.session() as session:
        await session.execute(text("SET LOCAL statement_timeout = '123s'"))
        assert await session.scalar(text("SHOW statement_timeout")) == "123s"
