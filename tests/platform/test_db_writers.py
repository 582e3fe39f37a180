"""The single-writer discipline of a SQLite database (decision 0030), on real SQLite files: write
transactions queue in process, first come first served, before SQLite's write lock; reads never
queue."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from agora.platform.db import (
    SQLITE_CHECKPOINT_EVERY_COMMITS,
    SQLITE_SWITCH_INTERVAL_SECONDS,
    Database,
    WriterQueue,
    is_background_writer,
    is_database_unavailable,
    mark_background_writer,
    prompt_thread_handoffs,
)

Task = asyncio.Task[None]


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'writers.db'}", service="writers")
    async with db.session() as session:
        await session.execute(
            text("CREATE TABLE entries (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
        )
    yield db
    await db.dispose()


def no_busy_wait(db: Database) -> None:
    """SQLite answers `database is locked` at once instead of waiting: any writer that reached
    SQLite's lock while another held it fails."""

    @event.listens_for(db.engine.sync_engine, "connect")
    def _no_wait(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()


def writers(db: Database) -> WriterQueue:
    assert db.writers is not None
    return db.writers


async def names(db: Database) -> list[str]:
    async with db.session(read_only=True) as session:
        rows = await session.execute(text("SELECT name FROM entries ORDER BY id"))
        return [row[0] for row in rows]


async def until(condition: Callable[[], bool], within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.001)


async def holding(db: Database, release: asyncio.Event, name: str = "first") -> None:
    """A write unit of work that has written a row and stays open until `release` is set."""
    async with db.session() as session:
        await session.execute(text("INSERT INTO entries (name) VALUES (:n)"), {"n": name})
        await release.wait()


async def insert(db: Database, name: str) -> None:
    async with db.session() as session:
        # Read then write, the shape that deadlocks without BEGIN IMMEDIATE.
        await session.scalar(text("SELECT count(*) FROM entries"))
        await session.execute(text("INSERT INTO entries (name) VALUES (:n)"), {"n": name})


async def start_queued(db: Database, work: Callable[[], Coroutine[Any, Any, None]]) -> Task:
    """Start `work` and return once it waits in the writer queue."""
    waiting = writers(db).waiting
    task = asyncio.create_task(work())
    await until(lambda: writers(db).waiting == waiting + 1)
    return task


async def test_a_sqlite_file_has_a_writer_queue_and_readers_of_its_own(database: Database) -> None:
    assert database.writers is not None
    memory = Database("sqlite+aiosqlite:///:memory:", service="memory")
    assert memory.writers is None
    await memory.dispose()


async def test_concurrent_writers_all_succeed_without_meeting_sqlites_lock(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}", service="writers")
    no_busy_wait(db)
    try:
        async with db.session() as session:
            await session.execute(text("CREATE TABLE entries (id INTEGER PRIMARY KEY, name TEXT)"))
        await asyncio.gather(*(insert(db, f"w{i}") for i in range(40)))
        assert sorted(await names(db)) == sorted(f"w{i}" for i in range(40))
        assert writers(db).holder is None
    finally:
        await db.dispose()


async def test_without_the_queue_the_same_writers_meet_sqlites_lock(tmp_path: Path) -> None:
    """The control for the test above: two Database objects on one file are two queues, like two
    processes; with no busy wait, one of them meets the lock the other holds."""
    path = tmp_path / "two.db"
    first = Database(f"sqlite+aiosqlite:///{path}", service="one")
    second = Database(f"sqlite+aiosqlite:///{path}", service="two")
    no_busy_wait(second)
    release = asyncio.Event()
    try:
        async with first.session() as session:
            await session.execute(text("CREATE TABLE entries (id INTEGER PRIMARY KEY, name TEXT)"))
        holder = asyncio.create_task(holding(first, release))
        await until(lambda: writers(first).holder is not None)
        await asyncio.sleep(0.05)  # its INSERT has run
        with pytest.raises(Exception, match="database is locked") as caught:
            await insert(second, "blocked")
        assert is_database_unavailable(caught.value)
        release.set()
        await holder
    finally:
        await first.dispose()
        await second.dispose()


async def test_writers_commit_in_the_order_they_asked(database: Database) -> None:
    release = asyncio.Event()
    first = asyncio.create_task(holding(database, release))
    await until(lambda: writers(database).holder is not None)
    queued = [await start_queued(database, partial(insert, database, f"w{i}")) for i in range(25)]
    release.set()
    await asyncio.gather(first, *queued)
    assert await names(database) == ["first", *(f"w{i}" for i in range(25))]


async def test_a_reader_is_not_blocked_by_a_long_write_nor_by_queued_writers(
    database: Database,
) -> None:
    async with database.session() as session:
        await session.execute(text("INSERT INTO entries (name) VALUES ('committed')"))
    release = asyncio.Event()
    first = asyncio.create_task(holding(database, release, "uncommitted"))
    await until(lambda: writers(database).holder is not None)
    # More writers than the write engine's pool has connections: every one of them waits.
    queued = [asyncio.create_task(insert(database, f"w{i}")) for i in range(20)]
    await asyncio.sleep(0.1)
    started = time.monotonic()
    async with asyncio.timeout(2):
        seen = await names(database)
    assert seen == ["committed"]  # the open write is not visible, and did not make us wait
    assert time.monotonic() - started < 1.0
    release.set()
    await asyncio.gather(first, *queued)
    assert len(await names(database)) == 22


async def test_a_failing_write_releases_the_queue(database: Database) -> None:
    class Boom(Exception):
        pass

    async def failing() -> None:
        async with database.session() as session:
            await session.execute(text("INSERT INTO entries (name) VALUES ('lost')"))
            raise Boom

    with pytest.raises(Boom):
        await failing()
    assert writers(database).holder is None
    await insert(database, "dup")
    with pytest.raises(IntegrityError):
        await insert(database, "dup")  # the statement fails inside the transaction
    assert writers(database).holder is None
    async with asyncio.timeout(2):
        await insert(database, "after")
    assert await names(database) == ["dup", "after"]


async def test_a_failing_write_hands_the_queue_to_the_next_writer(database: Database) -> None:
    release = asyncio.Event()

    async def failing() -> None:
        async with database.session() as session:
            await session.execute(text("INSERT INTO entries (name) VALUES ('x')"))
            await release.wait()
            await session.execute(text("INSERT INTO entries (name) VALUES ('x')"))

    first = asyncio.create_task(failing())
    await until(lambda: writers(database).holder is not None)
    second = await start_queued(database, lambda: insert(database, "next"))
    release.set()
    with pytest.raises(IntegrityError):
        await first
    async with asyncio.timeout(2):
        await second
    assert await names(database) == ["next"]


async def test_a_cancelled_waiting_writer_does_not_wedge_the_queue(database: Database) -> None:
    release = asyncio.Event()
    first = asyncio.create_task(holding(database, release))
    await until(lambda: writers(database).holder is not None)
    doomed = await start_queued(database, lambda: insert(database, "doomed"))
    after = await start_queued(database, lambda: insert(database, "after"))
    doomed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await doomed
    assert writers(database).waiting == 1
    release.set()
    async with asyncio.timeout(2):
        await asyncio.gather(first, after)
    assert await names(database) == ["first", "after"]
    assert writers(database).holder is None
    assert writers(database).waiting == 0


async def test_a_cancelled_writer_holding_the_queue_rolls_back_and_releases_it(
    database: Database,
) -> None:
    never = asyncio.Event()
    first = asyncio.create_task(holding(database, never, "cancelled"))
    await until(lambda: writers(database).holder is not None)
    waiting = await start_queued(database, lambda: insert(database, "after"))
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    async with asyncio.timeout(2):
        await waiting
    assert await names(database) == ["after"]


async def test_a_writer_that_waits_too_long_fails_as_unavailable(database: Database) -> None:
    writers(database).timeout = 0.2
    release = asyncio.Event()
    first = asyncio.create_task(holding(database, release))
    await until(lambda: writers(database).holder is not None)
    with pytest.raises(TimeoutError) as caught:
        await insert(database, "late")
    assert is_database_unavailable(caught.value)
    assert writers(database).waiting == 0
    release.set()
    await first
    await insert(database, "later")
    assert await names(database) == ["first", "later"]


async def test_a_writer_in_another_process_is_still_waited_for(database: Database) -> None:
    """busy_timeout stays the safety net for writers outside the queue (migrations, the CLI)."""
    path = database.engine.url.database
    assert path is not None
    locked = threading.Event()

    def other_process() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO entries (name) VALUES ('outside')")
        locked.set()
        time.sleep(0.3)
        conn.execute("COMMIT")
        conn.close()

    outside = asyncio.create_task(asyncio.to_thread(other_process))
    await asyncio.to_thread(locked.wait)
    await insert(database, "inside")
    await outside
    assert await names(database) == ["outside", "inside"]


async def test_a_connection_that_commits_and_begins_again_keeps_its_place(
    database: Database,
) -> None:
    async with database.engine.connect() as conn:
        await conn.execute(text("INSERT INTO entries (name) VALUES ('one')"))
        await conn.commit()
        await conn.execute(text("INSERT INTO entries (name) VALUES ('two')"))
        await conn.commit()
    assert writers(database).holder is None
    assert await names(database) == ["one", "two"]


async def test_the_queue_hands_over_in_order_and_past_a_waiter_that_gave_up() -> None:
    queue = WriterQueue(timeout=5)
    await queue.acquire("a")
    order: list[str] = []

    async def writer(name: str) -> None:
        await queue.acquire(name)
        order.append(name)
        queue.release(name)

    b = asyncio.create_task(writer("b"))
    c = asyncio.create_task(writer("c"))
    await until(lambda: queue.waiting == 2)
    queue.release("a")  # hands over to b...
    b.cancel()  # ...which is cancelled before it runs: it passes the queue on to c
    with pytest.raises(asyncio.CancelledError):
        await b
    await c
    assert order == ["c"]
    assert queue.holder is None
    assert queue.waiting == 0
    queue.release("nobody")  # only the holder releases
    await queue.acquire("d")
    assert queue.holder == "d"


def test_thread_handoffs_are_only_ever_made_quicker() -> None:
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)  # the interpreter's default
        prompt_thread_handoffs()
        assert sys.getswitchinterval() == pytest.approx(SQLITE_SWITCH_INTERVAL_SECONDS)
        sys.setswitchinterval(0.0001)  # someone asked for quicker still
        prompt_thread_handoffs()
        assert sys.getswitchinterval() == pytest.approx(0.0001)
    finally:
        sys.setswitchinterval(before)


async def test_request_writers_go_before_background_writers_that_asked_first() -> None:
    queue = WriterQueue(timeout=5, background_max_wait=60)
    await queue.acquire("holder")
    order: list[str] = []

    async def writer(name: str, background: bool) -> None:
        if background:
            mark_background_writer()  # in this task only
        await queue.acquire(name)
        order.append(name)
        queue.release(name)

    tasks = [asyncio.create_task(writer("relay", True))]
    await until(lambda: queue.waiting == 1)
    tasks.append(asyncio.create_task(writer("consumer", True)))
    await until(lambda: queue.waiting == 2)
    tasks += [asyncio.create_task(writer(f"request{i}", False)) for i in range(2)]
    await until(lambda: queue.waiting == 4)
    assert not is_background_writer()  # the mark did not leak out of the writers' tasks
    queue.release("holder")
    await asyncio.gather(*tasks)
    assert order == ["request0", "request1", "relay", "consumer"]
    assert queue.holder is None


async def test_a_background_writer_waits_behind_requests_only_so_long() -> None:
    queue = WriterQueue(timeout=5, background_max_wait=0.05)
    await queue.acquire("holder")
    order: list[str] = []

    async def writer(name: str, background: bool) -> None:
        await queue.acquire(name, background=background)
        order.append(name)
        queue.release(name)

    relay = asyncio.create_task(writer("relay", True))
    await until(lambda: queue.waiting == 1)
    await asyncio.sleep(0.06)  # the relay has waited its share
    request = asyncio.create_task(writer("request", False))
    await until(lambda: queue.waiting == 2)
    queue.release("holder")
    await asyncio.gather(relay, request)
    assert order == ["relay", "request"]


async def test_statements_and_commits_run_on_the_loops_thread_checkpoints_off_it(
    database: Database,
) -> None:
    """Decision 0035: no thread hop per statement; the writer checkpoints the WAL (the fsyncs)
    on a thread of its own, every so many commits, instead of inside a commit."""
    loop_thread = threading.get_ident()
    ran: list[tuple[str, bool]] = []

    def trace(sql: str) -> None:
        ran.append((sql.split()[0].upper(), threading.get_ident() == loop_thread))

    for read_only in (False, True):
        async with database.session(read_only=read_only) as session:
            connection = await (await session.connection()).get_raw_connection()
            driver = connection.driver_connection
            assert driver is not None
            driver._conn.set_trace_callback(trace)
            if not read_only:
                await session.execute(text("INSERT INTO entries (name) VALUES ('x')"))
                writer = driver
            await session.execute(text("SELECT name FROM entries"))
        driver._conn.set_trace_callback(None)
    write, read = (
        [("INSERT", True), ("SELECT", True), ("COMMIT", True)],
        [
            ("SELECT", True),
            ("COMMIT", True),
        ],
    )
    assert ran == [*write, *read]
    assert await names(database) == ["x"]

    async with database.session() as session:
        assert await session.scalar(text("PRAGMA wal_autocheckpoint")) == 0
    done = writer.checkpoints
    for number in range(SQLITE_CHECKPOINT_EVERY_COMMITS):
        await insert(database, f"n{number}")
    await until(lambda: writer.checkpoints == done + 1)
    async with database.session(read_only=True) as session:
        # Nothing left in the WAL that the database file does not have: (busy, pages, copied).
        busy, pages, copied = (await session.execute(text("PRAGMA wal_checkpoint"))).one()
        assert busy == 0
        assert pages == copied


async def test_with_aiosqlites_threads_the_same_discipline_holds(tmp_path: Path) -> None:
    db = Database(
        f"sqlite+aiosqlite:///{tmp_path / 'threads.db'}", service="writers", sqlite_inline=False
    )
    try:
        async with db.session() as session:
            await session.execute(text("CREATE TABLE entries (id INTEGER PRIMARY KEY, name TEXT)"))
        await asyncio.gather(*(insert(db, f"w{i}") for i in range(10)))
        assert sorted(await names(db)) == sorted(f"w{i}" for i in range(10))
        assert writers(db).holder is None
    finally:
        await db.dispose()


_CLOSED_UNDER_A_WAITING_STATEMENT = """
import asyncio, sqlite3, sys
from agora.platform.sqlite_inline import inline_connector

async def once(path):
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (n INTEGER)")
    conn = await inline_connector(path)()
    await conn.execute("PRAGMA busy_timeout=5000")
    holder.execute("BEGIN IMMEDIATE")
    waiting = asyncio.ensure_future(conn.execute("INSERT INTO t VALUES (1)"))
    while conn._executor is None:  # until the INSERT meets the lock and goes to its thread
        await asyncio.sleep(0.005)
    conn.stop()  # what the pool's invalidation does when the INSERT's caller was cancelled
    holder.execute("COMMIT")
    await waiting
    rows = holder.execute("SELECT count(*) FROM t").fetchone()[0]
    holder.close()
    return rows

for n in range(5):
    print(asyncio.run(once(f"{sys.argv[1]}-{n}.db")))
"""


def test_a_connection_stopped_while_its_statement_waits_on_its_thread_closes_after_it(
    tmp_path: Path,
) -> None:
    """A statement that met another connection's lock waits on the connection's thread; if the
    pool throws the connection away meanwhile (its caller was cancelled), the connection is
    closed after that statement, not under it: closing it under it crashed the process."""
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _CLOSED_UNDER_A_WAITING_STATEMENT, str(tmp_path / "db")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["1"] * 5
