"""Plain reads (`Database.reads()`, decision 0044) on SQLite and the real PostgreSQL: the rows a
read-only session would give, one snapshot per block on SQLite, SQLAlchemy's errors, and a pool
that survives a lost server and a cancelled statement."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from opentelemetry import propagate
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import DBAPIError

from agora.platform import reads as reads_module
from agora.platform import tracing
from agora.platform.db import Database, is_database_unavailable
from agora.platform.reads import in_slots, slot_values
from agora.platform.tracing import JsonLinesSpanExporter, RequestSampler, read_trace
from agora.services.users.app import SPEC
from agora.services.users.models import Follow, User
from agora.services.users.repository import _PUBLIC_PROFILE
from tests.support.databases import DatabaseFactory

NOW = datetime(2026, 1, 1, 12, 30, tzinfo=UTC)
USERS = User.__table__

_BY_NAME = select(USERS.c.id, USERS.c.username).where(USERS.c.username == bindparam("name"))
# A value fixed in the statement beside one the caller gives.
_MEMBERS_AFTER = (
    select(USERS.c.username)
    .where(USERS.c.role == "member", USERS.c.id > bindparam("after"))
    .order_by(USERS.c.id)
)
# Columns whose driver values need SQLAlchemy's processing on SQLite (JSON text, 0/1, datetime
# text) and a TypeDecorator's on both.
_SETTINGS = select(
    USERS.c.notification_types, USERS.c.notifications_enabled, USERS.c.created_at
).where(USERS.c.id == bindparam("user_id"))
_COUNT = select(func.count()).select_from(USERS)
FOLLOWS = Follow.__table__
_FOLLOWER_AND_FOLLOW_IDS = (
    select(USERS.c.id, FOLLOWS.c.id)
    .join(FOLLOWS, FOLLOWS.c.follower_id == USERS.c.id)
    .where(FOLLOWS.c.followee_id == bindparam("user_id"))
)
_EXPANDING = select(USERS.c.id).where(USERS.c.id.in_(bindparam("ids", expanding=True)))


def _user(name: str, *, types: list[str] | None = None) -> User:
    return User(
        username=name,
        email=None,
        password_hash="x",
        role="member",
        bio=f"{name}'s bio",
        profile_picture="",
        notifications_enabled=False,
        notification_types=types or ["like", "comment"],
        created_at=NOW,
        updated_at=NOW,
    )


async def _three_users(backend: str, factory: DatabaseFactory) -> AsyncIterator[Database]:
    url = await factory.create(backend, "users", SPEC.migrations)
    db = Database(url, service="users")
    async with db.session() as session:
        session.add_all([_user("ada"), _user("bob"), _user("cy")])
        await session.flush()
        ada, bob = (await session.execute(select(User.id).order_by(User.id))).scalars().all()[:2]
        session.add(Follow(follower_id=bob, followee_id=ada, created_at=NOW))
    yield db
    await db.dispose()
    await factory.drop(url)


@pytest.fixture
async def database(db_backend: str, database_factory: DatabaseFactory) -> AsyncIterator[Database]:
    async for db in _three_users(db_backend, database_factory):
        yield db


@pytest.fixture
async def postgres(database_factory: DatabaseFactory) -> AsyncIterator[Database]:
    async for db in _three_users("postgres", database_factory):
        yield db


async def _ids(database: Database) -> list[int]:
    async with database.session(read_only=True) as session:
        return list((await session.execute(select(User.id).order_by(User.id))).scalars())


async def test_rows_are_what_a_read_only_session_reads(database: Database) -> None:
    ada = (await _ids(database))[0]
    async with database.session(read_only=True) as session:
        expected = [
            dict((await session.execute(statement, params)).mappings().one())
            for statement, params in (
                (_PUBLIC_PROFILE, {"user_id": ada}),
                (_SETTINGS, {"user_id": ada}),
            )
        ]
    async with database.reads() as reads:
        profile = await reads.one(_PUBLIC_PROFILE, {"user_id": ada})
        settings = await reads.one(_SETTINGS, {"user_id": ada})
    assert [profile, settings] == expected
    async with database.reads() as reads:
        # By position: the same values, and two columns of one name both kept.
        assert await reads.tuples(_SETTINGS, {"user_id": ada}) == [tuple(expected[1].values())]
        pairs = await reads.tuples(_FOLLOWER_AND_FOLLOW_IDS, {"user_id": ada})
    (pair,) = pairs
    assert len(pair) == 2
    assert pair[0] == (await _ids(database))[1]  # bob follows ada
    assert profile is not None
    assert profile["followers_count"] == 1
    assert settings == {
        "notification_types": ["like", "comment"],
        "notifications_enabled": False,
        "created_at": NOW,
    }
    assert settings["created_at"].tzinfo is not None


async def test_parameters_given_fixed_and_missing(database: Database) -> None:
    ada, bob, cy = await _ids(database)
    async with database.reads() as reads:
        assert await reads.all(_MEMBERS_AFTER, {"after": ada}) == [
            {"username": "bob"},
            {"username": "cy"},
        ]
        assert await reads.one(_BY_NAME, {"name": "cy"}) == {"id": cy, "username": "cy"}
        assert await reads.one(_BY_NAME, {"name": "nobody"}) is None
        assert await reads.scalar(_COUNT) == 3
        with pytest.raises(ValueError, match="'name'"):
            await reads.one(_BY_NAME, {})
        with pytest.raises(ValueError, match="expanding"):
            await reads.all(_EXPANDING, {"ids": [ada, bob]})


async def test_a_list_fills_a_fixed_number_of_slots(database: Database) -> None:
    ada, bob, cy = await _ids(database)
    statement = select(USERS.c.username).where(in_slots(USERS.c.id, "id", 4)).order_by(USERS.c.id)
    async with database.reads() as reads:
        for ids, names in (([cy], ["cy"]), ([ada, cy], ["ada", "cy"]), ([cy, bob, ada, 0], None)):
            found = await reads.all(statement, slot_values("id", ids, 4))
            assert [row["username"] for row in found] == (names or ["ada", "bob", "cy"])
    assert slot_values("id", [7, 8], 4) == {"id_0": 7, "id_1": 8, "id_2": 8, "id_3": 8}
    for wrong in ([], [1, 2, 3, 4, 5]):
        with pytest.raises(ValueError, match="'id' takes 1 to 4 values"):
            slot_values("id", wrong, 4)


async def test_a_block_reads_one_snapshot_on_sqlite_and_each_statement_its_own_on_postgresql(
    database: Database,
) -> None:
    async with database.reads() as reads:
        before = await reads.scalar(_COUNT)
        async with database.session() as session:
            session.add(_user("dee"))
        after = await reads.scalar(_COUNT)
    # SQLite: as the read-only session's deferred transaction; PostgreSQL: autocommit, as the
    # read-only session's AUTOCOMMIT (each statement sees the last commit).
    assert (before, after) == ((3, 3) if database.dialect_name == "sqlite" else (3, 4))
    async with database.reads() as reads:
        assert await reads.scalar(_COUNT) == 4


async def test_a_bad_statement_raises_sqlalchemys_error_and_the_pool_goes_on(
    database: Database,
) -> None:
    with pytest.raises(DBAPIError) as raised:
        async with database.reads() as reads:
            await reads.all(text("SELECT * FROM no_such_table"))
    assert not is_database_unavailable(raised.value)
    async with database.reads() as reads:
        assert await reads.scalar(_COUNT) == 3


async def test_an_error_of_the_block_leaves_the_connection_usable(database: Database) -> None:
    async def failing() -> None:
        async with database.reads() as reads:
            await reads.scalar(_COUNT)
            raise LookupError("the caller's own error")

    with pytest.raises(LookupError):
        await failing()
    async with database.reads() as reads:
        assert await reads.scalar(_COUNT) == 3


@pytest.mark.postgres
async def test_a_connection_the_server_dropped_is_a_503_once_then_the_pool_reconnects(
    postgres: Database,
) -> None:
    database = postgres
    async with database.reads() as reads:
        pid = await reads.scalar(text("SELECT pg_backend_pid()"))
    # From a pool of its own: every connection of `database`'s pool is cut (as a restart does).
    killer = Database(database.url, service="users")
    async with killer.session() as session:
        await session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await killer.dispose()
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the driver's error, wrapped
        async with database.reads() as reads:
            await reads.scalar(_COUNT)
    assert is_database_unavailable(raised.value)
    async with database.reads() as reads:
        assert await reads.scalar(text("SELECT pg_backend_pid()")) != pid
        assert await reads.scalar(_COUNT) == 3


@pytest.mark.postgres
async def test_a_cancelled_statement_does_not_leave_its_connection_in_the_pool(
    postgres: Database,
) -> None:
    database = postgres

    async def slow() -> None:
        async with database.reads() as reads:
            await reads.all(text("SELECT pg_sleep(5)"))

    task = asyncio.create_task(slow())
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with database.reads() as reads:
        assert await asyncio.wait_for(reads.scalar(_COUNT), timeout=2) == 3


async def test_a_statement_gets_a_client_span_inside_a_sampled_trace_only(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = TracerProvider(sampler=RequestSampler(1.0))
    provider.add_span_processor(
        SimpleSpanProcessor(JsonLinesSpanExporter(tmp_path / "traces" / "t-1.jsonl"))
    )
    tracer = provider.get_tracer("test")
    monkeypatch.setattr(tracing, "_tracer", tracer)
    sampled, unsampled = "1" * 32, "2" * 32
    for trace_id, flags in ((sampled, "01"), (unsampled, "00")):
        parent = propagate.extract({"traceparent": f"00-{trace_id}-00f067aa0ba902b7-{flags}"})
        with tracer.start_as_current_span("GET /users/profile/1", parent, kind=SpanKind.SERVER):
            async with database.reads() as reads:
                await reads.scalar(_COUNT)
    provider.shutdown()
    statements = [s for s in read_trace(tmp_path, sampled) if s["name"] == "SELECT"]
    assert [s["kind"] for s in statements] == ["client"]
    assert statements[0]["attributes"]["db.system"] == database.dialect_name
    assert "count(*)" in statements[0]["attributes"]["db.statement"]
    assert read_trace(tmp_path, unsampled) == []


async def test_statements_built_per_call_are_not_kept_past_the_bound(database: Database) -> None:
    async with database.reads() as reads:
        for n in range(reads_module._COMPILED_KEPT + 10):
            statement = select(USERS.c.username).where(USERS.c.id == bindparam("id")).limit(n + 1)
            assert await reads.all(statement, {"id": 0}) == []
    # Per dialect object: the reading engine's.
    assert max(len(kept) for kept in reads_module._COMPILED.values()) == reads_module._COMPILED_KEPT
