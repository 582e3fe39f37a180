"""SQLite statements on the event loop's thread, for SQLAlchemy's aiosqlite dialect
(docs/decisions/0035).

aiosqlite runs each call on a connection's own thread: creating a cursor, executing, fetching and
closing it are each a queue put, a thread switch, a GIL handover and an event-loop wake-up, four
of them per statement. On a small local file the statement itself takes microseconds, a fraction
of one hop. `InlineConnection` offers the part of aiosqlite's interface the dialect uses, with
coroutines that run the `sqlite3` call at once, on the calling thread, and never suspend.

Two kinds of work still leave the loop's thread, for what can wait or sync to disk:

- A statement that meets another connection's lock (`SQLITE_BUSY`: a writer in another process,
  the CLI, a migration) is not waited for in SQLite's busy handler on the loop's thread: the
  connection's busy timeout is 0 there, and the statement is run again on the connection's thread
  with the timeout it was given (`PRAGMA busy_timeout=N` through the connection is recorded, not
  applied).
- WAL checkpoints. Under `synchronous=NORMAL` a commit appends to the WAL without an fsync; the
  fsyncs come with checkpoints, which SQLite runs inside a commit once the WAL passes 1,000 pages.
  The write connection has that off (`checkpoint_every`) and runs a PASSIVE checkpoint on its own
  thread, from a connection of its own, every `checkpoint_every` commits.

A write transaction thus runs, once it has the writer, from `BEGIN IMMEDIATE` to `COMMIT` without
giving the event loop a turn: it holds the writer for its own CPU time only, where a hop per
statement made it wait for a turn of a busy loop at every statement.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import structlog

T = TypeVar("T")

log = structlog.get_logger("agora.db")

# How long a checkpoint waits for a lock it needs (another process's checkpoint); PASSIVE leaves
# the pages it cannot copy yet to the next one.
SQLITE_CHECKPOINT_WAIT_SECONDS = 5.0

_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_BUSY_PRAGMA = re.compile(r"\s*PRAGMA\s+busy_timeout\s*=\s*(\d+)\s*;?\s*$", re.IGNORECASE)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _BUSY_CODES
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


async def _in_thread(executor: ThreadPoolExecutor, call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` on the connection's thread. A caller cancelled meanwhile still waits for the
    call to finish before it hears of the cancellation: the connection must not be lent to anyone
    else (or rolled back) while a statement of its runs."""
    running = asyncio.get_running_loop().run_in_executor(executor, call, *args)
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await running
        raise


class _InlineTx:
    """What the dialect's isolation-level setter puts on aiosqlite's queue, run at once."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except sqlite3.Error as error:  # handed to the waiting setter
            if future is not None and not future.done():
                future.set_exception(error)
            return
        if future is not None and not future.done():
            future.set_result(result)


class InlineCursor:
    """An aiosqlite-like cursor over a `sqlite3.Cursor`, run on the calling thread."""

    def __init__(self, owner: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._owner = owner
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Any = None) -> InlineCursor:
        wanted = _BUSY_PRAGMA.match(sql)
        if wanted is not None:
            # Kept for the statements that meet a lock (run on a worker thread); the connection
            # itself never waits on the loop's thread.
            self._owner.busy_timeout_ms = int(wanted.group(1))
            return self
        args: tuple[Any, ...] = (sql,) if parameters is None else (sql, parameters)
        await self._owner.run(self._cursor.execute, *args)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        await self._owner.run(self._cursor.executemany, sql, list(parameters))
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    def __aiter__(self) -> InlineCursor:
        return self

    async def __anext__(self) -> Any:
        row = self._cursor.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row


class InlineConnection:
    """An aiosqlite-like connection whose calls run on the calling thread (see the module)."""

    def __init__(
        self, connection: sqlite3.Connection, path: str, *, checkpoint_every: int | None
    ) -> None:
        self._conn = connection
        self._path = path
        self._tx = _InlineTx()
        self.checkpoint_every = checkpoint_every
        self.checkpoints = 0
        self.busy_timeout_ms = 0
        self._commits = 0
        self._checkpoint: Future[None] | None = None
        self._checkpointer: sqlite3.Connection | None = None
        self._closed = False
        # A thread of its own (started on first use): not the loop's default executor, which
        # other work (DBOS, `to_thread` callers) may keep busy.
        self._executor: ThreadPoolExecutor | None = None

    def _thread(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="agora-sqlite")
        return self._executor

    @property
    def _connection(self) -> sqlite3.Connection | None:
        # The dialect asks for this before committing or rolling back: None once closed.
        return None if self._closed else self._conn

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)` now; if it meets another connection's lock, again on the connection's
        thread with the busy timeout this connection was given."""
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or self.busy_timeout_ms <= 0:
                raise
        return await _in_thread(self._thread(), self._waiting, call, *args)

    def _waiting(self, call: Callable[..., T], *args: Any) -> T:
        self._conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
        try:
            return call(*args)
        finally:
            self._conn.execute("PRAGMA busy_timeout=0")

    def cursor(self) -> InlineCursor:
        return InlineCursor(self, self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        cursor = self.cursor()
        await cursor.execute(sql, parameters)
        return cursor

    async def commit(self) -> None:
        await self.run(self._conn.commit)
        if self.checkpoint_every:
            self._commits += 1
            if self._commits >= self.checkpoint_every and self._checkpoint is None:
                self._commits = 0
                self._checkpoint = self._thread().submit(self._checkpoint_wal)
                self._checkpoint.add_done_callback(self._checkpointed)

    def _checkpoint_wal(self) -> None:
        """Copy the WAL's committed pages into the database file (and fsync), on the thread:
        PASSIVE, so that writers and readers never wait for it."""
        if self._checkpointer is None:
            self._checkpointer = sqlite3.connect(
                self._path, timeout=SQLITE_CHECKPOINT_WAIT_SECONDS, check_same_thread=False
            )
        self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _checkpointed(self, done: Future[None]) -> None:
        self._checkpoint = None
        self.checkpoints += 1
        error = done.exception()
        if error is not None:
            log.warning("sqlite_checkpoint_failed", path=self._path, error=str(error))

    def _close(self) -> None:
        # A transaction still open is rolled back first. `close()` alone leaves SQLite's
        # connection open, with its locks, while a statement of it is alive (a failed cursor held
        # by a traceback): other connections would wait for the garbage collector.
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.rollback()
        self._conn.close()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        self._closed = True
        if self._executor is None:
            self._close()
            return
        # A statement of this connection may still be running on its thread: its caller was
        # cancelled while it waited for another connection's lock, and the pool now throws the
        # connection away. Closing it under that statement frees what the statement is using
        # (a segfault, seen in CI), so the thread closes it, after the statement.
        self._executor.submit(self._close_on_thread)
        self._executor.shutdown(wait=False)
        self._executor = None

    def _close_on_thread(self) -> None:
        self._close()
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None


def inline_connector(path: str, *, checkpoint_every: int | None = None) -> Callable[[], Any]:
    """An `async_creator` for `create_async_engine("sqlite+aiosqlite:///...")`: connections to
    the file at `path` whose statements run on the loop's thread. With `checkpoint_every` (the
    write connection), the connection does not checkpoint the WAL in its commits; a PASSIVE
    checkpoint runs on its thread after that many commits."""

    async def connect() -> InlineConnection:
        # timeout=0: SQLite's busy handler never sleeps on the loop's thread (see the module).
        connection = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
        if checkpoint_every:
            connection.execute("PRAGMA wal_autocheckpoint=0")
        return InlineConnection(connection, path, checkpoint_every=checkpoint_every)

    return connect
