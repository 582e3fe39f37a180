"""Plain writes (`Database.writes()`, decision 0046) on SQLite and the real PostgreSQL: one
transaction committed or rolled back as a session's, the outbox row in it and the relay woken,
`after_commit` only after a commit, SQLAlchemy's error classes, the statements it refuses, the
SQLite writer queue shared with sessions, and the inbox's plain handlers applied once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Table,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from agora.contracts.events.users import UserRegistered
from agora.platform.bus.event import Event
from agora.platform.bus.inbox import Consumer
from agora.platform.bus.memory import InMemoryBus
from agora.platform.bus.outbox import OutboxRelay, emit, use_outbox
from agora.platform.clock import ManualClock
from agora.platform.db import Database, Writes, after_commit
from agora.platform.reads import Reads
from agora.services.users.models import User, inbox, outbox
from tests.support.waiting import eventually

NOW = datetime(2026, 1, 1, 12, 30, tzinfo=UTC)
USERS = cast(Table, User.__table__)
_VALUES: dict[str, Any] = {
    "email": None,
    "password_hash": "x",
    "role": "member",
    "bio": "",
    "profile_picture": "",
    "notifications_enabled": True,
    "notification_types": [],
    "token_version": 0,
    "created_at": NOW,
    "updated_at": NOW,
    "deactivated_at": None,
}
_ADD_USER = (
    insert(USERS)
    .values({name: bindparam(name, type_=USERS.c[name].type) for name in ("username", *_VALUES)})
    .returning(USERS.c.id)
)
_APPEND_BIO = (
    update(USERS)
    .where(USERS.c.id == bindparam("user_id"))
    .values(bio=USERS.c.bio + bindparam("more"))
    .returning(USERS.c.bio)
)
_BIO = select(USERS.c.bio).where(USERS.c.id == bindparam("user_id"))
_COUNT = select(func.count()).select_from(USERS)


async def _add(writes: Writes, name: str) -> int:
    rows = await writes.tuples(_ADD_USER, {"username": name, **_VALUES})
    return int(rows[0][0])


async def _count(database: Database) -> int:
    async with database.reads() as reads:
        return int(await reads.scalar(_COUNT))


async def test_a_block_commits_its_statements_and_then_runs_its_actions(
    database: Database,
) -> None:
    done: list[int] = []
    async with database.writes() as writes:
        user_id = await _add(writes, "ann")
        assert await writes.tuples(_APPEND_BIO, {"user_id": user_id, "more": "hi"}) == [("hi",)]

        async def action() -> None:
            done.append(await _count(database))

        after_commit(writes, action)
        assert done == []
    # The action saw the committed row.
    assert done == [1]
    async with database.reads() as reads:
        assert await reads.scalar(_BIO, {"user_id": user_id}) == "hi"


async def test_a_block_that_raises_writes_nothing_and_runs_no_action(database: Database) -> None:
    done: list[str] = []

    async def action() -> None:
        done.append("ran")

    async def refused() -> None:
        async with database.writes() as writes:
            await _add(writes, "bob")
            after_commit(writes, action)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError, match="refused"):
        await refused()
    assert await _count(database) == 0
    assert done == []
    # The connection went back clean: the next block commits.
    async with database.writes() as writes:
        await _add(writes, "bob")
    assert await _count(database) == 1


async def test_a_constraint_violation_is_sqlalchemys_integrity_error(database: Database) -> None:
    async with database.writes() as writes:
        await _add(writes, "cat")

    async def twice() -> None:
        async with database.writes() as writes:
            await _add(writes, "dan")
            await _add(writes, "cat")

    with pytest.raises(IntegrityError):
        await twice()
    # Rolled back as a whole: "dan" is not there either.
    assert await _count(database) == 1
    async with database.writes() as writes:
        await _add(writes, "dan")
    assert await _count(database) == 2


_SCRATCH = Table("scratch", MetaData(), Column("id", Integer))
_SCRATCH_IDS = select(_SCRATCH.c.id)


async def _scratch_read_then_renamed_away(
    database: Database, block: Callable[[], AbstractAsyncContextManager[Reads]]
) -> None:
    """A `scratch` table read once in a `block` (its statement then prepared on that block's
    connection), then renamed away by a session."""
    async with database.session() as session:
        await session.execute(text("CREATE TABLE scratch (id INTEGER)"))
    async with block() as first:
        assert await first.tuples(_SCRATCH_IDS) == []
    async with database.session() as session:
        await session.execute(text("ALTER TABLE scratch RENAME TO scratch_away"))


async def test_a_statement_that_fails_is_rolled_back_at_once(database: Database) -> None:
    """A statement the database refuses rolls its transaction back before the block's error goes
    up. Here the statement ran before on the write connection (SQLite keeps it prepared in the
    connection's cache) and its table has since been renamed away, as the warehouse's test of a
    failed run does. While the error, and the failed statement its traceback holds, are kept (a
    consumer that logs the error and retries), the next write does not wait out SQLite's busy
    timeout (30 s) behind a closed connection that still holds the write lock."""
    await _scratch_read_then_renamed_away(database, database.writes)

    async def broken() -> None:
        async with database.writes() as writes:
            await _add(writes, "eve")
            await writes.execute(_SCRATCH_IDS)

    kind = OperationalError if database.dialect_name == "sqlite" else ProgrammingError
    with pytest.raises(kind, match="scratch") as failed:
        await broken()
    async with asyncio.timeout(5):
        async with database.session() as session:
            await session.execute(text("ALTER TABLE scratch_away RENAME TO scratch"))
        async with database.writes() as writes:
            await _add(writes, "eve")
            assert await writes.tuples(_SCRATCH_IDS) == []
    # "eve" once: the failed block's row was rolled back.
    assert await _count(database) == 1
    assert failed.value is not None


async def test_a_failed_read_ends_its_transaction(database: Database) -> None:
    """The same for a plain read whose table was renamed away: its transaction ends, and its
    connection goes back clean."""
    await _scratch_read_then_renamed_away(database, database.reads)
    kind = OperationalError if database.dialect_name == "sqlite" else ProgrammingError
    with pytest.raises(kind, match="scratch") as failed:
        async with database.reads() as reads:
            await reads.all(_SCRATCH_IDS)
    async with asyncio.timeout(5):
        async with database.session() as session:
            await session.execute(text("ALTER TABLE scratch_away RENAME TO scratch"))
        async with database.writes() as writes:
            await _add(writes, "fin")
        async with database.reads() as reads:
            assert await reads.scalar(_COUNT) == 1
    assert failed.value is not None


async def test_statements_that_need_what_the_session_fills_in_are_refused(
    database: Database,
) -> None:
    # A value left to a column's default (`token_version`, filled in by the Session's execution),
    # and a RETURNING of a column the driver does not hand back as its Python value everywhere.
    unbound = {name: value for name, value in _VALUES.items() if name != "token_version"}
    defaulted = insert(USERS).values(
        {name: bindparam(name, type_=USERS.c[name].type) for name in ("username", *unbound)}
    )
    with pytest.raises(
        ValueError, match=r"does not fill in column defaults: bind \['token_version'\]"
    ):
        async with database.writes() as writes:
            await writes.execute(defaulted, {"username": "eve", **unbound})
    returning_date = _ADD_USER.returning(USERS.c.created_at)
    with pytest.raises(ValueError, match="cannot return 'created_at'"):
        async with database.writes() as writes:
            await writes.execute(returning_date, {"username": "eve", **_VALUES})
    assert await _count(database) == 0


async def test_an_event_emitted_in_a_plain_write_is_relayed_after_commit(
    database: Database,
) -> None:
    bus = InMemoryBus()
    seen: list[Event] = []

    async def record(event: Event) -> None:
        seen.append(event)

    bus.subscribe("capture", ["user.registered"], record)
    await bus.start()
    relay = OutboxRelay(database, outbox, bus, poll_interval=60)
    use_outbox(database, outbox, relay, ManualClock(NOW))
    relay.start()
    try:

        async def rolled_back() -> None:
            async with database.writes() as writes:
                await emit(writes, _registered(1, "gone"))
                raise RuntimeError("rolled back")

        with pytest.raises(RuntimeError):
            await rolled_back()
        async with database.writes() as writes:
            user_id = await _add(writes, "fay")
            await emit(writes, _registered(user_id, "fay"))
        # Woken by the commit, not by its poll (60 s).
        await eventually(lambda: len(seen) == 1, what="the event relayed")
        assert seen[0].payload["username"] == "fay"
    finally:
        await relay.stop()
        await bus.stop()


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_sqlite_plain_writes_queue_with_sessions_for_the_one_writer(
    database: Database,
) -> None:
    assert database.writers is not None
    holding = asyncio.Event()
    release = asyncio.Event()

    async def hold() -> None:
        async with database.session() as session:
            await session.execute(select(1))
            holding.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await holding.wait()

    async def write() -> None:
        async with database.writes() as writes:
            await _add(writes, "gil")

    writer = asyncio.create_task(write())
    writers = database.writers
    await eventually(lambda: writers.waiting == 1, what="the plain write to queue")
    assert not writer.done()
    release.set()
    await asyncio.gather(holder, writer)
    assert await _count(database) == 1


async def test_a_plain_handler_applies_a_redelivered_event_once(database: Database) -> None:
    async with database.writes() as writes:
        user_id = await _add(writes, "hal")
    calls = 0

    async def append(writes: Writes, payload: UserRegistered, event: Event) -> None:
        nonlocal calls
        calls += 1
        await writes.execute(_APPEND_BIO, {"user_id": user_id, "more": "x"})

    consumer = Consumer(database, inbox, group="test")
    consumer.on_plain(UserRegistered, append)
    event = _event(user_id, "hal")
    await consumer.handle(event)
    await consumer.handle(Event.from_json(event.to_json()))
    await asyncio.gather(*(consumer.handle(event) for _ in range(5)), return_exceptions=True)
    assert calls == 1
    async with database.reads() as reads:
        assert await reads.scalar(_BIO, {"user_id": user_id}) == "x"


async def test_a_failed_plain_handler_leaves_no_inbox_mark(database: Database) -> None:
    async with database.writes() as writes:
        user_id = await _add(writes, "ivy")
    attempts = 0

    async def flaky(writes: Writes, payload: UserRegistered, event: Event) -> None:
        nonlocal attempts
        attempts += 1
        await writes.execute(_APPEND_BIO, {"user_id": user_id, "more": "y"})
        if attempts == 1:
            raise RuntimeError("transient")

    consumer = Consumer(database, inbox, group="test")
    consumer.on_plain(UserRegistered, flaky)
    event = _event(user_id, "ivy")
    with pytest.raises(RuntimeError):
        await consumer.handle(event)
    await consumer.handle(event)
    await consumer.handle(event)
    assert attempts == 2
    async with database.reads() as reads:
        assert await reads.scalar(_BIO, {"user_id": user_id}) == "y"


def _registered(user_id: int, name: str) -> UserRegistered:
    return UserRegistered(user_id=user_id, username=name, role="member", registered_at=NOW)


def _event(user_id: int, name: str) -> Event:
    return Event(
        type="user.registered",
        producer="users",
        occurred_at=NOW,
        payload=_registered(user_id, name).model_dump(mode="json"),
    )
