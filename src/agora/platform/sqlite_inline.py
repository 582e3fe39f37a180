"""SQLite statements on the event loop's thread, for SQLAlchemy's aiosqlite dialect
(docs/decisions/0035).

aiosqlite runs each call on a connection's own thread: creating a cursor, executing, fetching and
closing it are each a queue put, a thread switch, a GIL handover and an event-loop wake-up, four
of them per statement. On a small local file the statement itself takes microseconds, a fraction
of one hop. `InlineConnection` offers the part of aiosqlite's interface the dialect uses, with
coroutines that run the `sqlite3` call at once, on the calling thread, and never suspend.

Two kinds of call still leave the loop's thread, for the calls that can wait:

- A statement that meets another connection's lock (`SQLITE_BUSY`: a writer in another process,
  the CLI, a migration) is not waited for in SQLite's busy handler on the loop's thread: the
  connection's busy timeout is 0 there, and the statement is run again on a worker thread with the
  timeout it was given (`PRAGMA busy_timeout=N` through the connection is recorded, not applied).
- With `offload_commit`, `COMMIT` runs on a worker thread: a commit may run a WAL checkpoint and
  its fsyncs (the write engine; a reading connection's commit writes nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_BUSY_PRAGMA = re.compile(r"\s*PRAGMA\s+busy_timeout\s*=\s*(\d+)\s*;?\s*$", re.IGNORECASE)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _BUSY_CODES
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


async def _in_thread(call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` on a worker thread. A caller cancelled meanwhile still waits for the call to
    finish before it hears of the cancellation: the connection must not be lent to anyone else (or
    rolled back) while a statement of its runs."""
    running = asyncio.get_running_loop().run_in_executor(None, call, *args)
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
        except BaseException as error:
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

    def __init__(self, connection: sqlite3.Connection, *, offload_commit: bool) -> None:
        self._conn = connection
        self._tx = _InlineTx()
        self.offload_commit = offload_commit
        self.busy_timeout_ms = 0

    @property
    def _connection(self) -> sqlite3.Connection | None:
        # The dialect asks for this before committing or rolling back.
        return self._conn

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)` now; if it meets another connection's lock, again on a worker thread
        with the busy timeout this connection was given."""
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or self.busy_timeout_ms <= 0:
                raise
        return await _in_thread(self._waiting, call, *args)

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
        if self.offload_commit and not self._conn.in_transaction:
            return
        if self.offload_commit:
            await _in_thread(self._waiting_commit)
        else:
            await self.run(self._conn.commit)

    def _waiting_commit(self) -> None:
        try:
            self._conn.commit()
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or self.busy_timeout_ms <= 0:
                raise
            self._waiting(self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self._conn.close()

    def stop(self) -> None:
        self._conn.close()


def inline_connector(path: str, *, offload_commit: bool) -> Callable[[], Any]:
    """An `async_creator` for `create_async_engine("sqlite+aiosqlite:///...")`: connections to
    the file at `path` whose statements run on the loop's thread."""

    async def connect() -> InlineConnection:
        # timeout=0: SQLite's busy handler never sleeps on the loop's thread (see the module).
        connection = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
        return InlineConnection(connection, offload_commit=offload_commit)

    return connect
