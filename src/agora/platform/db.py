"""Databases: one per service, SQLite (aiosqlite, WAL) or PostgreSQL (asyncpg), through SQLAlchemy 2
async.

The unit of work belongs to the edge: `Database.session()` commits when the block succeeds and rolls
back when it raises. Services and repositories only `flush()`.

SQLite note: a deferred transaction that reads and then writes can deadlock with another writer
(SQLite answers SQLITE_BUSY at once instead of waiting). Write transactions therefore start with
`BEGIN IMMEDIATE`, which takes the write lock up front. Before that, they queue in process, first
come first served, for the one connection of the write engine (`_WriterPool`): SQLite's own wait
(`busy_timeout`) polls with sleeps that grow to 100 ms, so writers queued there wait far longer
than the work in front of them (docs/decisions/0030). `busy_timeout` stays for writers in other
processes (migrations, the CLI). Read-only sessions use a plain `BEGIN` on connections of their own
and never queue (WAL readers see the last commit while a write is under way). A SQLite file's
statements run on the event loop's thread (`platform.sqlite_inline`, decision 0035): a writer
holds the queue for its own CPU time, and request writers go before background ones (relays,
consumers: `mark_background_writer`).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import structlog
from sqlalchemy import DateTime, Insert, MetaData, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool, NullPool
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import await_

from agora.platform.reads import Classify, Reads, Row, Verdict, checkout, open_reads, release
from agora.platform.sqlite_inline import inline_connector
from agora.platform.tracing import trace_engine

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_READ_ONLY = "agora_read_only"
_AFTER_COMMIT = "agora.after_commit"

log = structlog.get_logger("agora.db")

AfterCommit = Callable[[], Awaitable[None]]


def after_commit(session: UnitOfWork, action: AfterCommit) -> None:
    """Run `action` once this session's transaction has committed (never if it rolls back).

    For effects outside the database that must not happen for a change that did not: publishing
    to the real-time hub, invalidating a cache. Actions run in order; a failing one is logged, not
    raised (the change is already committed).
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


def new_metadata() -> MetaData:
    """A MetaData with the naming convention every migration relies on."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores naive UTC text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# How long a writer waits, in process or in SQLite's busy handler, before its unit of work fails as
# unavailable (503); one figure for both waits.
SQLITE_WRITE_WAIT_SECONDS = 30.0


# How long a background writer (an outbox relay, an event consumer) lets request writers go first
# before it goes first itself.
BACKGROUND_WRITER_MAX_WAIT_SECONDS = 0.1

_BACKGROUND: ContextVar[bool] = ContextVar("agora_background_writer", default=False)


def mark_background_writer() -> None:
    """Mark the current task's writes as background work (an outbox relay, an event consumer):
    on a SQLite file they queue behind request writers, for at most
    `BACKGROUND_WRITER_MAX_WAIT_SECONDS` after which they go first. Call at the start of the
    task's own coroutine: the mark stays in that task (and the tasks it creates)."""
    _BACKGROUND.set(True)


def is_background_writer() -> bool:
    return _BACKGROUND.get()


_Waiter = tuple[asyncio.Future[None], object, float]


class WriterQueue:
    """One SQLite database's writers, one at a time: request writers in the order they asked,
    then background writers (`mark_background_writer`) in the order they asked.

    The holder hands the queue straight to the next waiter when it releases, so a newcomer never
    overtakes a writer of its kind that is already waiting. A background writer waits behind
    request writers that came after it for at most `background_max_wait` seconds; then it is next.
    A waiter that is cancelled or times out leaves the line; one that was handed the queue just as
    it gave up passes it on. Each `acquire` names a holder of its own (any object); only the
    holder releases.
    """

    def __init__(
        self,
        timeout: float = SQLITE_WRITE_WAIT_SECONDS,
        background_max_wait: float = BACKGROUND_WRITER_MAX_WAIT_SECONDS,
    ) -> None:
        self.timeout = timeout
        self.background_max_wait = background_max_wait
        self._holder: object | None = None
        self._waiters: deque[_Waiter] = deque()
        self._background: deque[_Waiter] = deque()

    @property
    def holder(self) -> object | None:
        return self._holder

    @property
    def waiting(self) -> int:
        return len(self._waiters) + len(self._background)

    async def acquire(self, holder: object, *, background: bool | None = None) -> None:
        """Wait for the queue; `TimeoutError` (database unavailable) after `timeout` seconds.
        `background` defaults to the current task's mark (`mark_background_writer`)."""
        if self._holder is None and not self._waiters and not self._background:
            self._holder = holder
            return
        if background is None:
            background = _BACKGROUND.get()
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        entry = (ready, holder, loop.time())
        line = self._background if background else self._waiters
        line.append(entry)
        try:
            async with asyncio.timeout(self.timeout):
                await ready
        except BaseException:
            if self._holder is holder:
                self.release(holder)  # handed over as this waiter gave up: pass it on
            else:
                line.remove(entry)
            raise

    def release(self, holder: object) -> None:
        """Hand the queue to the next waiter, if `holder` holds it (otherwise do nothing)."""
        if self._holder is not holder:
            return
        while (line := self._next_line()) is not None:
            ready, waiter, _ = line.popleft()
            if not ready.done():
                self._holder = waiter
                _wake(ready)
                return
        self._holder = None

    def _next_line(self) -> deque[_Waiter] | None:
        if not self._background:
            return self._waiters or None
        if not self._waiters:
            return self._background
        ready, _, since = self._background[0]
        overdue = ready.get_loop().time() - since >= self.background_max_wait
        return self._background if overdue else self._waiters


def _wake(ready: asyncio.Future[None]) -> None:
    loop = ready.get_loop()
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        ready.set_result(None)
    else:
        # A connection the garbage collector returns to the pool, from whatever thread it runs in.
        loop.call_soon_threadsafe(_set_ready, ready)


def _set_ready(ready: asyncio.Future[None]) -> None:
    if not ready.done():
        ready.set_result(None)


class _WriterPool(AsyncAdaptedQueuePool):
    """A SQLite file's write engine pool: one connection, lent to one unit of work at a time, in
    the order they asked (its `WriterQueue`). Waiting writers hold no connection; the connection
    comes back, and the next writer gets it, after COMMIT or ROLLBACK."""

    def __init__(self, creator: Any, **kwargs: Any) -> None:
        kwargs.update(pool_size=1, max_overflow=0)
        super().__init__(creator, **kwargs)
        self.writers = WriterQueue()
        self._lent_to: object | None = None

    def _do_get(self) -> Any:
        borrower = object()
        await_(self.writers.acquire(borrower))
        try:
            record = super()._do_get()
        except BaseException:
            self.writers.release(borrower)
            raise
        self._lent_to = borrower
        return record

    def _do_return_conn(self, record: Any) -> None:
        try:
            super()._do_return_conn(record)
        finally:
            borrower, self._lent_to = self._lent_to, None
            self.writers.release(borrower)


# How many commits of a SQLite file's writer between two checkpoints of its WAL (on a thread).
# A small transaction appends a few pages: SQLite's own default is a checkpoint at 1,000 pages.
SQLITE_CHECKPOINT_EVERY_COMMITS = 200

# How long the event loop's thread may keep the GIL while another thread asks for it (Python's
# default is 5 ms).
SQLITE_SWITCH_INTERVAL_SECONDS = 0.0005


def prompt_thread_handoffs() -> None:
    """Let aiosqlite's threads have the GIL within 0.5 ms of asking for it, instead of 5 ms.

    Every SQLite statement is a hop to a connection's thread and back. While the event loop runs
    Python code (another request), the thread waits for the GIL up to the interpreter's switch
    interval at each end of the hop, and a writer holds the database that long. For a process that
    serves SQLite databases (the embedded topology): decision 0030 has the measurements. Only ever
    shortens the interval; process-wide, so the composition root calls it.
    """
    if sys.getswitchinterval() > SQLITE_SWITCH_INTERVAL_SECONDS:
        sys.setswitchinterval(SQLITE_SWITCH_INTERVAL_SECONDS)


def _sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN out of the driver's hands so `_on_begin` decides the transaction mode.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # The busy timeout first: switching a new file to WAL takes its lock.
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_WRITE_WAIT_SECONDS * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # Under WAL, NORMAL syncs at checkpoints only, not at each commit; a commit survives a
        # crash of the process, and may be lost with the machine's power.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        read_only = conn.get_execution_options().get(_READ_ONLY, False)
        statement = "BEGIN" if read_only else "BEGIN IMMEDIATE"
        # Straight to the driver's cursor: `exec_driver_sql` takes a statement's whole path
        # (execution context, cursor events, a tracing span) for every unit of work, reads too.
        dbapi = conn.dialect.loaded_dbapi
        cursor = conn.connection.cursor()
        try:
            cursor.execute(statement)
        except dbapi.Error as error:
            # Wrapped as `exec_driver_sql` would: `is_database_unavailable` reads the wrapper.
            raise DBAPIError.instance(statement, None, error, dbapi.Error) from error
        finally:
            cursor.close()


def _install_postgresql_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "handle_error")
    def _on_error(context: Any) -> None:
        # The driver only calls a closed socket a disconnect. A server shutting down, in
        # recovery or demoted to a read-only standby (a failover) is as lost to this pool: marking
        # it a disconnect invalidates every connection of the pool, not only this one.
        orig = context.original_exception
        sqlstate = getattr(orig, "sqlstate", None) or getattr(orig.__cause__, "sqlstate", None)
        if isinstance(sqlstate, str) and (
            sqlstate.startswith("08") or sqlstate in _LOST_SERVER_SQLSTATES
        ):
            context.is_disconnect = True


class Database:
    """One service's database: an engine, write and read session factories, and commit hooks."""

    def __init__(
        self,
        url: str,
        *,
        service: str,
        echo: bool = False,
        read_url: str | None = None,
        sqlite_inline: bool = True,
    ) -> None:
        self.url = url
        self.service = service
        self.dialect_name = make_url(url).get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo}
        # A SQLite file: writers queue for one connection, readers have a pool of their own.
        self._sqlite_reads: AsyncEngine | None = None
        writer_pool: dict[str, Any] = {}
        reader_kwargs: dict[str, Any] = {}
        if self.dialect_name == "sqlite":
            path = _sqlite_path(url)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                writer_pool["poolclass"] = _WriterPool
                if sqlite_inline:
                    # Statements on the loop's thread, not a hop each to aiosqlite's thread;
                    # lock waits and the WAL's checkpoints (its fsyncs) on a thread of the write
                    # connection (docs/decisions/0035).
                    writer_pool["async_creator"] = inline_connector(
                        str(path), checkpoint_every=SQLITE_CHECKPOINT_EVERY_COMMITS
                    )
                    reader_kwargs["async_creator"] = inline_connector(str(path))
            else:
                kwargs["poolclass"] = NullPool
        else:
            # No ping per checkout (a round trip per unit of work): connections are recycled
            # after half an hour, and one that turns out dead or attached to a server that is no
            # longer the primary throws the whole pool away (`_install_postgresql_hooks`); the
            # request that met it answers 503, the next ones get fresh connections
            # (docs/decisions/0027). Up to 30 at once, as before; up to 20 kept between uses, not
            # 10: a replica with 11 to 20 requests in flight closed and reopened a connection
            # for every request past the tenth (a connect is a thousand times a read's CPU;
            # decision 0044). Kept connections are only those a replica once used at once.
            kwargs.update(pool_size=20, max_overflow=10, pool_recycle=1800)
        self.read_engine: AsyncEngine | None = None
        if read_url is not None and self.dialect_name == "postgresql":
            # Reads go to replicas, and a commit returns only once the synchronous standbys have
            # applied it (not only flushed it): whoever wrote reads it back on any of them
            # (docs/decisions/0017). Behind HAProxy a failover or switchover cuts every pooled
            # connection, and is expected: here a ping per checkout keeps it from costing each
            # pool one 503 (decision 0027 weighs the round trip against that).
            kwargs["pool_pre_ping"] = True
            writer_kwargs = {
                **kwargs,
                "connect_args": {"server_settings": {"synchronous_commit": "remote_apply"}},
            }
            self.engine: AsyncEngine = create_async_engine(url, **writer_kwargs)
            self.read_engine = create_async_engine(read_url, **kwargs)
        else:
            self.engine = create_async_engine(url, **kwargs, **writer_pool)
        if self.dialect_name == "sqlite":
            _install_sqlite_hooks(self.engine)
            if writer_pool:
                self._sqlite_reads = create_async_engine(url, **kwargs, **reader_kwargs)
                _install_sqlite_hooks(self._sqlite_reads)
                trace_engine(self._sqlite_reads)
        else:
            for engine in (self.engine, self.read_engine):
                if engine is not None:
                    _install_postgresql_hooks(engine)
        trace_engine(self.engine)
        self._writer = async_sessionmaker(self.engine, expire_on_commit=False)
        reading: dict[str, Any] = {_READ_ONLY: True}
        if self.dialect_name == "postgresql":
            # A read-only unit of work needs no BEGIN and COMMIT round trips: under READ COMMITTED
            # each statement sees its own snapshot inside a transaction or not, and reads may go to
            # a standby, where nothing could be written anyway.
            reading["isolation_level"] = "AUTOCOMMIT"
        # Where reads go: the replicas, a SQLite file's reading connections, or the one engine.
        self._reading: AsyncEngine = self.read_engine or self._sqlite_reads or self.engine
        self._reader = async_sessionmaker(
            self._reading.execution_options(**reading),
            expire_on_commit=False,
        )
        self._after_commit: list[Callable[[UnitOfWork], None]] = []
        # Copied into every session's `info`: the outbox table, the clock, anything per-service.
        self.session_info: dict[str, Any] = {}

    @property
    def writers(self) -> WriterQueue | None:
        """The queue of a SQLite file's writers (None on PostgreSQL and in-memory SQLite)."""
        pool = self.engine.sync_engine.pool
        return pool.writers if isinstance(pool, _WriterPool) else None

    def on_commit(self, callback: Callable[[UnitOfWork], None]) -> None:
        """Call `callback(session)` after each successful commit of a session from this database."""
        self._after_commit.append(callback)

    def _new_session(self, read_only: bool) -> AsyncSession:
        session = (self._reader if read_only else self._writer)()
        session.info.update(self.session_info)
        session.info["service"] = self.service
        return session

    @contextlib.asynccontextmanager
    async def session(self, *, read_only: bool = False) -> AsyncIterator[AsyncSession]:
        """A unit of work: commit on success, roll back on error, run commit hooks after commit."""
        session = self._new_session(read_only)
        try:
            yield session
            await session.commit()
        except BaseException:
            session.info.pop(_AFTER_COMMIT, None)
            await session.rollback()
            raise
        finally:
            await session.close()
        await self._committed(session)

    @contextlib.asynccontextmanager
    async def writes(self) -> AsyncIterator[Writes]:
        """A write unit of work below the Session (`Writes`, decision 0046): commit on success,
        roll back on error, then the same commit hooks and `after_commit` actions as `session()`.
        On a SQLite file it queues with the session's writers for the one write connection."""
        info = {**self.session_info, "service": self.service}
        async with open_writes(self.engine, _verdict, info) as writes:
            yield writes
        await self._committed(writes)

    async def _committed(self, unit: UnitOfWork) -> None:
        for callback in self._after_commit:
            callback(unit)
        for action in unit.info.pop(_AFTER_COMMIT, []):
            try:
                await action()
            except Exception:
                log.exception("after_commit_action_failed", service=self.service)

    def reads(self) -> contextlib.AbstractAsyncContextManager[Reads]:
        """Read statements on one pooled connection of the read engine, below the Session
        (`platform.reads`, decision 0044): for hot reads, what `session(read_only=True)` reads,
        at a third of its cost."""
        return open_reads(self._reading, _verdict)

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            # A SQLite file is asked on a reading connection: no need to queue behind writers.
            async with (self._sqlite_reads or self.engine).connect() as conn:
                await conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError, TimeoutError):
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()
        for engine in (self.read_engine, self._sqlite_reads):
            if engine is not None:
                await engine.dispose()


# SQLSTATEs that mean "this server cannot take the statement now" rather than "the statement is
# wrong": connection failures (class 08), a server shutting down or in recovery (57P01-57P03), a
# read-only transaction (25006: a primary demoted under a pooled connection), too many clients.
_UNAVAILABLE_SQLSTATES = frozenset({"25006", "57P01", "57P02", "57P03", "53300"})
# Those of them after which this connection's server will not serve it again.
_LOST_SERVER_SQLSTATES = frozenset({"25006", "57P01", "57P02", "57P03"})
# What drivers say without a SQLSTATE: SQLite's lock wait ran out, a server out of connections.
_UNAVAILABLE_MESSAGES = ("database is locked", "database table is locked", "too many clients")


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether an exception means the database is unreachable or not the primary any more (a
    failover, a restart), as opposed to a bug or a bad statement: callers answer 503, and a
    client may try again once the cluster has a primary."""
    if isinstance(exc, ConnectionError | TimeoutError | PoolTimeout):
        return True  # PoolTimeout: every pooled connection is busy
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, InterfaceError):
        return True
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate is None and orig is not None:
        sqlstate = getattr(orig.__cause__, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith("08") or sqlstate in _UNAVAILABLE_SQLSTATES
    if isinstance(exc, OperationalError):
        message = str(orig).lower()
        return any(text in message for text in _UNAVAILABLE_MESSAGES)
    return False


def _verdict(exc: BaseException) -> Verdict:
    """What a failed plain read (`Reads`) means for its pool, as `_install_postgresql_hooks` and
    SQLAlchemy's disconnect handling decide it for a session's statements."""
    if not is_database_unavailable(exc):
        return None
    if isinstance(exc, InterfaceError | ConnectionError):
        return "lost"
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str) and (
        sqlstate.startswith("08") or sqlstate in _LOST_SERVER_SQLSTATES
    ):
        return "lost"
    return "unavailable"


class Writes(Reads):
    """Write statements in one transaction on the writer's pooled driver connection, below
    SQLAlchemy's Session and Connection (decision 0046): what `Reads` is for hot reads, for the hot
    writes. Statements are Core statements built once, every inserted value bound by name
    (`insert(t).values(c=bindparam("c"))`: no column default is filled in here), and a RETURNING
    only of columns the driver hands back as their Python values (ids, counts, text). `info` is
    the unit of work's as a session's `info`: `emit` and `after_commit` use it alike."""

    def __init__(
        self, driver: Any, dialect: Dialect, classify: Classify, info: dict[str, Any]
    ) -> None:
        super().__init__(driver, dialect, classify)
        self.info = info
        self._postgresql_tx: Any = None

    @property
    def dialect_name(self) -> str:
        """The backend (`postgresql` or `sqlite`), for the statements that differ by it."""
        return str(self._dialect.name)

    async def all(
        self, statement: ClauseElement, params: Mapping[str, Any] | None = None
    ) -> list[Row]:
        _check_plain_write(statement, self._dialect)
        return await super().all(statement, params)

    async def tuples(
        self, statement: ClauseElement, params: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        _check_plain_write(statement, self._dialect)
        return await super().tuples(statement, params)

    async def execute(
        self, statement: ClauseElement, params: Mapping[str, Any] | None = None
    ) -> None:
        """Run a statement whose rows, if any, are not wanted."""
        await self.tuples(statement, params)

    async def _begin(self) -> None:
        if self._postgresql:
            self._postgresql_tx = self._driver.transaction()
            await self._guarded("BEGIN", self._postgresql_tx.start())
        else:
            # Takes the write lock up front, as a write session does (`_on_begin`).
            await self._statement("BEGIN IMMEDIATE")

    async def _commit(self) -> None:
        if self._postgresql:
            await self._guarded("COMMIT", self._postgresql_tx.commit())
        else:
            # The driver's own commit: the inline connection counts commits for its checkpoints.
            await self._guarded("COMMIT", self._driver.commit())

    async def _rollback(self) -> None:
        if self._postgresql:
            if self._postgresql_tx is not None:
                await self._guarded("ROLLBACK", self._postgresql_tx.rollback())
        else:
            await self._guarded("ROLLBACK", self._driver.rollback())


# Statements checked for `Writes` (by id, with the statement kept alive: built once at import).
_CHECKED_WRITES: dict[tuple[str, int], ClauseElement] = {}


def _check_plain_write(statement: ClauseElement, dialect: Dialect) -> None:
    """Refuse, once per statement and dialect, what `Writes` would run wrongly: a value SQLAlchemy
    fills in from a column default at execution (Python side) or a RETURNING column whose value
    the driver does not give as is (a date on SQLite)."""
    key = (dialect.name, id(statement))
    if _CHECKED_WRITES.get(key) is statement:
        return
    if isinstance(statement, UpdateBase):
        compiled = statement.compile(dialect=dialect)
        filled = [*compiled.insert_prefetch, *compiled.update_prefetch]
        if filled:
            names = [column.key for column in filled]
            raise ValueError(f"a plain write does not fill in column defaults: bind {names}")
        # The statement's own RETURNING: `exported_columns` (and the compiled `returning`) of a
        # statement made from another by `.returning()` can be the other's, memoised.
        returned: tuple[Any, ...] = getattr(statement, "_returning", ())
        for column in returned:
            if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
                raise ValueError(f"a plain write cannot return {column.key!r} as stored")
    _CHECKED_WRITES[key] = statement


@contextlib.asynccontextmanager
async def open_writes(
    engine: AsyncEngine, classify: Classify, info: dict[str, Any]
) -> AsyncIterator[Writes]:
    """A `Writes` in a transaction on a connection checked out of `engine`'s pool (a SQLite
    file's writer queue included); committed if the block succeeds, rolled back if it raises,
    the connection then returned (or invalidated, as `open_reads` does)."""
    raw = await checkout(engine)
    writes = Writes(raw.driver_connection, engine.dialect, classify, info)
    try:
        await writes._begin()
        try:
            yield writes
        except BaseException:
            if writes.verdict is None and not writes.in_flight:
                try:
                    await writes._rollback()
                except (SQLAlchemyError, OSError):
                    # The block's own error goes on up; a connection whose rollback failed is
                    # not known to be clean, and is closed rather than pooled.
                    writes.in_flight = True
            raise
        await writes._commit()
    finally:
        await release(engine, raw, writes)


UnitOfWork = AsyncSession | Writes

RowT = TypeVar("RowT")


async def add_row(session: AsyncSession, row: RowT) -> RowT:
    """Insert one ORM row and flush, so that its generated id and defaults are known."""
    session.add(row)
    await session.flush()
    return row


def insert_ignore(session: AsyncSession, model: type[Any] | Table, **values: Any) -> Insert:
    """`INSERT ... ON CONFLICT DO NOTHING` of one row of a mapped model (or a table), on either
    backend. Add `.returning(...)` to learn whether the row went in."""
    table = model if isinstance(model, Table) else model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model!r} is not mapped to a table")
    dialect = dialect_of(session)
    if dialect == "postgresql":
        return postgresql.insert(table).values(**values).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).values(**values).on_conflict_do_nothing()
    raise NotImplementedError(f"insert_ignore is not implemented for {dialect}")


def dialect_of(session: AsyncSession) -> str:
    """The backend a session talks to (`postgresql` or `sqlite`): the one way code asks."""
    return session.get_bind().dialect.name


async def ensure_database(url: str) -> None:
    """Create the database a URL names if it does not exist (PostgreSQL); SQLite creates files
    itself."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    name = parsed.database
    if not name:
        raise ValueError(f"database URL has no database name: {parsed.render_as_string()}")
    admin = create_async_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    try:
        async with admin.connect() as conn:
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                quoted = admin.dialect.identifier_preparer.quote(name)
                await conn.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        await admin.dispose()


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def drop_database(url: str) -> None:
    """Drop a PostgreSQL database (tests), or delete a SQLite file and its WAL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        if path is not None:
            await asyncio.to_thread(_remove_sqlite_files, path)
        return
    admin = create_async_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    try:
        async with admin.connect() as conn:
            quoted = admin.dialect.identifier_preparer.quote(parsed.database or "")
            await conn.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
    finally:
        await admin.dispose()
