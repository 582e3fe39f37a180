"""The outbox publishes exactly what committed, survives a crash between commit and relay, and the
inbox makes redelivered events harmless. On SQLite and the real PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.users import UserRegistered
from agora.platform.bus.event import Event
from agora.platform.bus.inbox import Consumer
from agora.platform.bus.memory import InMemoryBus
from agora.platform.bus.outbox import OutboxRelay, bind_outbox, emit, use_outbox
from agora.platform.clock import ManualClock
from agora.platform.db import Database
from agora.platform.logging import ecs_formatter
from agora.services.users.models import User, inbox, outbox
from tests.support.waiting import eventually

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _user(name: str) -> User:
    return User(
        username=name,
        email=None,
        password_hash="x",
        role="member",
        bio="",
        profile_picture="",
        notifications_enabled=True,
        notification_types=[],
        created_at=NOW,
        updated_at=NOW,
    )


async def _outbox_rows(db: Database) -> int:
    async with db.session(read_only=True) as session:
        return int(await session.scalar(select(func.count()).select_from(outbox)) or 0)


async def _capture(bus: InMemoryBus) -> list[Event]:
    seen: list[Event] = []

    async def record(event: Event) -> None:
        seen.append(event)

    bus.subscribe("capture", ["user.registered"], record)
    await bus.start()
    return seen


async def test_a_committed_change_is_published_once_and_leaves_the_outbox(
    database: Database,
) -> None:
    bus = InMemoryBus()
    seen = await _capture(bus)
    relay = OutboxRelay(database, outbox, bus)
    use_outbox(database, outbox, relay, ManualClock())
    async with database.session() as session:
        user = _user("alice")
        session.add(user)
        await session.flush()
        await emit(
            session,
            UserRegistered(user_id=user.id, username="alice", role="member", registered_at=NOW),
        )
    assert await relay.relay_once() == 1
    assert await relay.relay_once() == 0
    await bus.drain()
    assert [e.payload["username"] for e in seen] == ["alice"]
    assert await _outbox_rows(database) == 0
    await bus.stop()


async def _write_event_then_fail(database: Database) -> None:
    async with database.session() as session:
        session.add(_user("ghost"))
        await session.flush()
        payload = UserRegistered(user_id=1, username="ghost", role="member", registered_at=NOW)
        await emit(session, payload)
        raise RuntimeError("the request failed after writing")


async def test_a_rolled_back_change_publishes_nothing(database: Database) -> None:
    bus = InMemoryBus()
    relay = OutboxRelay(database, outbox, bus)
    use_outbox(database, outbox, relay, ManualClock())
    with pytest.raises(RuntimeError):
        await _write_event_then_fail(database)
    assert await _outbox_rows(database) == 0
    assert await relay.relay_once() == 0


async def test_the_relay_wakes_after_commit(database: Database) -> None:
    bus = InMemoryBus()
    seen = await _capture(bus)
    relay = OutboxRelay(database, outbox, bus, poll_interval=60)
    use_outbox(database, outbox, relay, ManualClock())
    relay.start()
    try:
        async with database.session() as session:
            await emit(
                session,
                UserRegistered(user_id=1, username="fast", role="member", registered_at=NOW),
            )
        await eventually(lambda: seen, what="the relay to publish at once", within=2)
        assert [e.payload["username"] for e in seen] == ["fast"]
    finally:
        await relay.stop()
        await bus.stop()


async def test_a_failing_bus_keeps_the_event_for_the_next_attempt(database: Database) -> None:
    class DownBus(InMemoryBus):
        async def publish(self, event: Event) -> None:
            raise ConnectionError("bus is down")

    relay = OutboxRelay(database, outbox, DownBus())
    bind_outbox(database, outbox, ManualClock())
    async with database.session() as session:
        await emit(
            session, UserRegistered(user_id=1, username="kept", role="member", registered_at=NOW)
        )
    with pytest.raises(ConnectionError):
        await relay.relay_once()
    assert await _outbox_rows(database) == 1


CRASHING_WRITER = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from datetime import UTC, datetime
    from agora.contracts.events.users import UserRegistered
    from agora.platform.bus.outbox import bind_outbox, emit
    from agora.platform.clock import SystemClock
    from agora.platform.db import Database
    from agora.services.users.models import User, outbox

    async def main() -> None:
        db = Database(sys.argv[1], service="users")
        bind_outbox(db, outbox, SystemClock())
        now = datetime.now(UTC)
        async with db.session() as session:
            user = User(username="survivor", email=None, password_hash="x", role="member", bio="",
                        profile_picture="", notifications_enabled=True, notification_types=[],
                        created_at=now, updated_at=now)
            session.add(user)
            await session.flush()
            await emit(session, UserRegistered(user_id=user.id, username="survivor", role="member",
                                               registered_at=now))
        # Committed. Die before any relay could publish.
        os.kill(os.getpid(), signal.SIGKILL)

    asyncio.run(main())
    """
)


async def test_a_crash_between_commit_and_relay_loses_no_event(database: Database) -> None:
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", CRASHING_WRITER, database.url],
        capture_output=True,
        timeout=60,
        env={**os.environ},
    )
    assert result.returncode == -9, result.stderr.decode()
    async with database.session(read_only=True) as session:
        assert await session.scalar(select(User.username)) == "survivor"
    assert await _outbox_rows(database) == 1
    # The restarted process relays what the dead one committed.
    bus = InMemoryBus()
    seen = await _capture(bus)
    relay = OutboxRelay(database, outbox, bus)
    assert await relay.relay_once() == 1
    await bus.drain()
    assert [e.payload["username"] for e in seen] == ["survivor"]
    assert await _outbox_rows(database) == 0
    await bus.stop()


async def test_the_inbox_applies_a_redelivered_event_once(database: Database) -> None:
    async with database.session() as session:
        user = _user("reader")
        session.add(user)
    calls = 0

    async def append_to_bio(session: AsyncSession, payload: UserRegistered, event: Event) -> None:
        nonlocal calls
        calls += 1
        target = await session.get(User, user.id)
        assert target is not None
        target.bio += "x"

    consumer = Consumer(database, inbox, group="test")
    consumer.on(UserRegistered, append_to_bio)
    event = Event(
        type="user.registered",
        producer="users",
        occurred_at=NOW,
        payload={
            "user_id": 1,
            "username": "reader",
            "role": "member",
            "registered_at": NOW.isoformat(),
        },
    )
    await consumer.handle(event)
    await consumer.handle(Event.from_json(event.to_json()))
    await asyncio.gather(*(consumer.handle(event) for _ in range(5)), return_exceptions=True)
    async with database.session(read_only=True) as session:
        assert await session.scalar(select(User.bio).where(User.id == user.id)) == "x"


async def test_a_failed_handler_leaves_no_inbox_mark_so_a_retry_applies_it(
    database: Database,
) -> None:
    async with database.session() as session:
        user = _user("retry")
        session.add(user)
    attempts = 0

    async def flaky(session: AsyncSession, payload: UserRegistered, event: Event) -> None:
        nonlocal attempts
        attempts += 1
        target = await session.get(User, user.id)
        assert target is not None
        target.bio += "y"
        if attempts == 1:
            raise RuntimeError("transient")

    consumer = Consumer(database, inbox, group="test")
    consumer.on(UserRegistered, flaky)
    event = Event(
        type="user.registered",
        producer="users",
        occurred_at=NOW,
        payload={
            "user_id": 1,
            "username": "retry",
            "role": "member",
            "registered_at": NOW.isoformat(),
        },
    )
    with pytest.raises(RuntimeError):
        await consumer.handle(event)
    await consumer.handle(event)
    await consumer.handle(event)
    assert attempts == 2
    async with database.session(read_only=True) as session:
        assert await session.scalar(select(User.bio).where(User.id == user.id)) == "y"


async def test_an_invalid_payload_is_dropped_not_retried_forever(database: Database) -> None:
    handled: list[UserRegistered] = []

    async def record(session: AsyncSession, payload: UserRegistered, event: Event) -> None:
        handled.append(payload)

    consumer = Consumer(database, inbox, group="test")
    consumer.on(UserRegistered, record)
    bad = Event(type="user.registered", producer="users", occurred_at=NOW, payload={"nope": 1})
    await consumer.handle(bad)
    assert handled == []


async def test_a_commit_during_a_relay_pass_is_not_forgotten(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The relay is reading (and finding nothing) when a commit notifies it: it must relay that
    event at once, not at its next poll."""
    bus = InMemoryBus()
    seen = await _capture(bus)
    relay = OutboxRelay(database, outbox, bus, poll_interval=60)
    use_outbox(database, outbox, relay, ManualClock())
    reading = asyncio.Event()
    release = asyncio.Event()
    original = relay.relay_once

    async def slow_first_pass() -> int:
        if reading.is_set():
            return await original()
        sent = await original()  # reads an empty outbox...
        reading.set()
        await release.wait()  # ...and a commit lands, and notifies, before this pass returns
        return sent

    monkeypatch.setattr(relay, "relay_once", slow_first_pass)
    relay.start()
    try:
        await asyncio.wait_for(reading.wait(), 5)
        async with database.session() as session:
            payload = UserRegistered(user_id=1, username="racer", role="member", registered_at=NOW)
            await emit(session, payload)
        release.set()
        await eventually(lambda: seen, what="the relay to publish the racing commit", within=3)
        assert [e.payload["username"] for e in seen] == ["racer"]
    finally:
        await relay.stop()
        await bus.stop()


async def test_an_idle_relay_only_reads_and_finds_rows_it_was_not_told_of(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing written: the relay's polls read (no write transaction). A row committed without a
    wake-up (another process: the CLI) goes out at the next poll."""
    bus = InMemoryBus()
    seen = await _capture(bus)
    relay = OutboxRelay(database, outbox, bus, poll_interval=0.05)
    use_outbox(database, outbox, relay, ManualClock())
    writes = 0
    session = database.session

    def counting(*, read_only: bool = False) -> Any:
        nonlocal writes
        writes += 0 if read_only else 1
        return session(read_only=read_only)

    monkeypatch.setattr(database, "session", counting)
    polls = 0
    pending = relay.pending

    async def counted_pending() -> bool:
        nonlocal polls
        polls += 1
        return await pending()

    monkeypatch.setattr(relay, "pending", counted_pending)
    relay.start()
    try:
        # The pass at start relays what an earlier run left (on PostgreSQL, a write transaction
        # that locks the rows it finds); the polls after it only read.
        await eventually(lambda: polls >= 1, what="the first poll of the idle outbox", within=5)
        at_first_poll = writes
        await eventually(lambda: polls >= 4, what="more polls of the idle outbox", within=5)
        assert writes == at_first_poll
        elsewhere = Database(database.url, service="users")  # not wired to this relay
        bind_outbox(elsewhere, outbox, ManualClock())
        try:
            async with elsewhere.session() as other:
                payload = UserRegistered(
                    user_id=1, username="cli", role="member", registered_at=NOW
                )
                await emit(other, payload)
        finally:
            await elsewhere.dispose()
        await eventually(lambda: seen, what="the poll to find the row", within=5)
        assert [e.payload["username"] for e in seen] == ["cli"]

        async def relayed() -> bool:
            return await _outbox_rows(database) == 0

        # The relay deletes the row once the bus holds it: just after the subscriber saw it.
        await eventually(relayed, what="the relayed row deleted", within=5)
    finally:
        await relay.stop()
        await bus.stop()


async def test_passes_run_one_at_a_time_and_publish_each_row_once(database: Database) -> None:
    """`Platform.settle()` relays while the relay's task may be relaying too."""
    bus = InMemoryBus()
    seen = await _capture(bus)
    relay = OutboxRelay(database, outbox, bus, batch_size=5)
    use_outbox(database, outbox, relay, ManualClock())
    async with database.session() as session:
        for number in range(12):
            payload = UserRegistered(
                user_id=number, username=f"u{number}", role="member", registered_at=NOW
            )
            await emit(session, payload)
    sent = await asyncio.gather(*(relay.relay_once() for _ in range(4)))
    assert sorted(sent) == [0, 2, 5, 5]
    await bus.drain()
    assert [e.payload["username"] for e in seen] == [f"u{n}" for n in range(12)]
    await bus.stop()


async def test_each_event_handled_is_one_log_line_in_its_senders_trace(
    database: Database,
) -> None:
    """An operator follows an event from the request that sent it: the consumer's line carries
    the event, the group and the sender's trace id (an unsampled trace too); a redelivery is
    logged as skipped, not as handled again."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ecs_formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)

    async def nothing(session: AsyncSession, payload: UserRegistered, event: Event) -> None:
        return None

    consumer = Consumer(database, inbox, group="test")
    consumer.on(UserRegistered, nothing)
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    event = Event(
        type="user.registered",
        producer="users",
        occurred_at=NOW,
        traceparent=f"00-{trace_id}-00f067aa0ba902b7-00",
        payload={
            "user_id": 1,
            "username": "reader",
            "role": "member",
            "registered_at": NOW.isoformat(),
        },
    )
    try:
        await consumer.handle(event)
        await consumer.handle(event)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    lines = [json.loads(x) for x in stream.getvalue().splitlines() if x]
    mine = [x for x in lines if x.get("agora.event_id") == event.id]
    assert [x["message"] for x in mine] == ["event_handled", "event_duplicate_skipped"]
    handled = mine[0]
    assert handled["agora.group"] == "test"
    assert handled["trace.id"] == trace_id
    assert handled["log.level"] == "info"
    assert handled["event.duration"] > 0
