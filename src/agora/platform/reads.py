"""Hot reads on a pooled connection's driver, below SQLAlchemy's Session and Connection
(docs/decisions/0044).

A read through an `AsyncSession` pays for the unit of work around one statement: a session
transaction, a `Connection` with its events, the ORM's execution of a Core statement, a greenlet
switch for each step, a commit and a close; measured on a profile read (`/tmp`-free figures in
docs/performance.md) that is two thirds of the database part of a request, the driver's own work
one third. `Reads` keeps what a read needs from SQLAlchemy: the pool (checkout, recycle, pre-ping
where configured, invalidation), the statement written once in SQLAlchemy's expression language
and compiled once per dialect, the column types' bind and result processing, and its error
classes, which the error handlers read (`platform.db.is_database_unavailable`: a 503 for a lost
server). The statement then goes straight to the driver: asyncpg's `fetch`, which prepares and
caches it per connection, or the SQLite connection's cursor.

What a `Reads` sees: on PostgreSQL each statement its own snapshot (autocommit, as the read-only
session has it, on the replicas when there are); on SQLite one deferred transaction for the whole
block, so that several statements read one snapshot (as the read-only session does).
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import ClauseElement, ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import greenlet_spawn

from agora.platform.tracing import database_span, in_sampled_trace

Row = dict[str, Any]
# What a failed statement's wrapped error means for the pool: "lost" (the server will not serve
# this pool again: every pooled connection goes), "unavailable" (this connection goes), None.
Verdict = Literal["lost", "unavailable"] | None
Classify = Callable[[BaseException], Verdict]
T = TypeVar("T")


_REQUIRED = object()


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement as one dialect runs it: the SQL; its parameters in order, each by name with
    the value fixed in the statement (`_REQUIRED` where the caller must give one) and its bind
    processor; and the result columns' processors (None where the driver's value is already the
    Python value, and None for all when none needs one)."""

    sql: str
    names: tuple[str, ...]
    values: tuple[Any, ...]
    bind_processors: tuple[Callable[[Any], Any] | None, ...]
    result_processors: tuple[Callable[[Any], Any] | None, ...] | None


# Per dialect, per statement object (statements are built once, at import): compiled once. A
# statement built per call is compiled per call, and the oldest entries go past the bound.
_COMPILED_KEPT = 1024
_COMPILED: weakref.WeakKeyDictionary[Dialect, dict[int, tuple[ClauseElement, _Compiled]]] = (
    weakref.WeakKeyDictionary()
)


def _compile(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
    if "POSTCOMPILE" in compiled.string:
        # An expanding IN, or a value rendered into the SQL per execution.
        raise ValueError("a plain read cannot run a statement with expanding parameters")
    binds = {name: bind for bind, name in compiled.bind_names.items()}
    names, values, processors = [], [], []
    for name in compiled.positiontup or ():
        bind = binds[name]
        if bind.callable is not None or bind.expanding:
            raise ValueError(f"a plain read cannot bind the parameter {name!r}")
        names.append(name)
        values.append(_REQUIRED if bind.required else bind.value)
        processors.append(bind.type.dialect_impl(dialect).bind_processor(dialect))
    columns = getattr(statement, "selected_columns", None)
    results: tuple[Callable[[Any], Any] | None, ...] | None = None
    if columns is not None:
        found = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        results = found if any(found) else None
    return _Compiled(compiled.string, tuple(names), tuple(values), tuple(processors), results)


def compiled_for(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    """`statement` compiled for `dialect`, once."""
    per_dialect = _COMPILED.setdefault(dialect, {})
    known = per_dialect.get(id(statement))
    if known is not None and known[0] is statement:
        return known[1]
    compiled = _compile(statement, dialect)
    if len(per_dialect) >= _COMPILED_KEPT:
        del per_dialect[next(iter(per_dialect))]
    per_dialect[id(statement)] = (statement, compiled)
    return compiled


def _arguments(compiled: _Compiled, params: Mapping[str, Any]) -> list[Any]:
    arguments = []
    for name, value, processor in zip(
        compiled.names, compiled.values, compiled.bind_processors, strict=True
    ):
        value = params.get(name, value)
        if value is _REQUIRED:
            raise ValueError(f"no value for the parameter {name!r}")
        arguments.append(value if processor is None else processor(value))
    return arguments


def in_slots(column: ColumnElement[Any], name: str, slots: int) -> ColumnElement[bool]:
    """`column IN` a fixed number of parameters (`name_0`, `name_1`, ...), which `slot_values`
    fills: what a plain read runs in place of an expanding IN, whose SQL changes with the list's
    length (the "IN-list padding" ORMs use for the same reason)."""
    return column.in_([bindparam(f"{name}_{n}", type_=column.type) for n in range(slots)])


def slot_values(name: str, values: Sequence[Any], slots: int) -> dict[str, Any]:
    """The parameters of `in_slots(column, name, slots)` for 1 to `slots` values, the last one
    repeated in the slots left."""
    if not 0 < len(values) <= slots:
        raise ValueError(f"{name!r} takes 1 to {slots} values, not {len(values)}")
    return {f"{name}_{n}": values[min(n, len(values) - 1)] for n in range(slots)}


class Reads:
    """Read-only statements on one pooled connection (see the module's docstring). Rows come as
    dicts by column name (the statement's labels)."""

    def __init__(self, driver: Any, dialect: Dialect, classify: Classify) -> None:
        self._driver = driver
        self._dialect = dialect
        self._postgresql = dialect.name == "postgresql"
        self._classify = classify
        self.verdict: Verdict = None
        # A statement under way: a block left now (a cancelled request) leaves the connection
        # mid-conversation, not fit for the next checkout.
        self.in_flight = False

    async def all(
        self, statement: ClauseElement, params: Mapping[str, Any] | None = None
    ) -> list[Row]:
        """Every row of a read statement."""
        names, records, processors = await self._fetch(statement, params)
        if processors is None:
            return [dict(zip(names, record, strict=True)) for record in records]
        return [
            {
                name: value if processor is None else processor(value)
                for name, value, processor in zip(names, record, processors, strict=True)
            }
            for record in records
        ]

    async def tuples(
        self, statement: ClauseElement, params: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """Every row of a read statement as a tuple, in its columns' order (for code that reads
        a row by position: no dict made per row, and no label needed per column)."""
        _, records, processors = await self._fetch(statement, params)
        if processors is None:
            return [tuple(record) for record in records]
        return [
            tuple(
                value if processor is None else processor(value)
                for value, processor in zip(record, processors, strict=True)
            )
            for record in records
        ]

    async def _fetch(
        self, statement: ClauseElement, params: Mapping[str, Any] | None
    ) -> tuple[Sequence[str], list[Any], tuple[Callable[[Any], Any] | None, ...] | None]:
        compiled = compiled_for(statement, self._dialect)
        arguments = _arguments(compiled, params or {})
        if in_sampled_trace():
            with database_span(self._dialect.name, compiled.sql):
                names, records = await self._guarded(
                    compiled.sql, self._driver_run(compiled.sql, arguments)
                )
        else:  # nine requests in ten: no span, and no context manager to say so (decision 0047)
            names, records = await self._guarded(
                compiled.sql, self._driver_run(compiled.sql, arguments)
            )
        return names, records, compiled.result_processors

    async def one(
        self, statement: ClauseElement, params: Mapping[str, Any] | None = None
    ) -> Row | None:
        """The first row of a read statement, or None."""
        rows = await self.all(statement, params)
        return rows[0] if rows else None

    async def scalar(
        self, statement: ClauseElement, params: Mapping[str, Any] | None = None
    ) -> Any:
        """The first column of the first row, or None."""
        row = await self.one(statement, params)
        return None if row is None else next(iter(row.values()))

    async def _guarded(self, sql: str, call: Awaitable[T]) -> T:
        """Await one statement's call (`sql` names it), the connection marked in flight meanwhile;
        a driver error comes out as SQLAlchemy's (`_failed`). An error means the driver answered:
        the statement is over and its transaction is there to roll back. A cancellation (a
        `BaseException`) leaves the connection in flight, not fit for the next checkout."""
        self.in_flight = True
        try:
            result = await call
        except Exception as error:
            self.in_flight = False
            raise self._failed(sql, error) from error
        self.in_flight = False
        return result

    async def _driver_run(
        self, sql: str, arguments: Sequence[Any]
    ) -> tuple[Sequence[str], list[Any]]:
        if self._postgresql:
            records = await self._driver.fetch(sql, *arguments)
            names = list(records[0].keys()) if records else []
            return names, records
        cursor = await self._driver.execute(sql, arguments)
        try:
            names = [column[0] for column in cursor.description or ()]
            return names, list(await cursor.fetchall())
        finally:
            await cursor.close()

    async def _statement(self, sql: str) -> None:
        # BEGIN and COMMIT of a SQLite block: a statement that returns nothing.
        await self._guarded(sql, self._driver_run(sql, ()))

    def _failed(self, sql: str, error: Exception) -> BaseException:
        # SQLAlchemy's wrapping, as its own execution does: the error handlers read it. A driver
        # connection that has closed is a disconnect whatever the error says (what SQLAlchemy's
        # asyncpg dialect asks too).
        closed = self._postgresql and self._driver.is_closed()
        if isinstance(error, OSError | TimeoutError):
            wrapped: BaseException = error
        else:
            if self._postgresql:
                # asyncpg's own exception classes, as SQLAlchemy's asyncpg dialect translates
                # them into its DBAPI's (a unique violation is an `IntegrityError` either way).
                error = _asyncpg_dbapi_error(self._dialect, error) or error
            wrapped = DBAPIError.instance(
                sql, None, error, Exception, dialect=self._dialect, connection_invalidated=closed
            )
        self.verdict = "lost" if closed else self._classify(wrapped)
        return wrapped


def _asyncpg_dbapi_error(dialect: Dialect, error: Exception) -> Exception | None:
    translate = getattr(dialect.loaded_dbapi, "_asyncpg_error_translate", None)
    if not translate:
        return None
    for kind in type(error).__mro__:
        known = translate.get(kind)
        if known is not None:
            translated: Exception = known(error.args[0] if error.args else str(error), error)
            return translated
    return None


async def checkout(engine: AsyncEngine) -> PoolProxiedConnection:
    """A connection out of `engine`'s pool. A driver error on the way (a new connection refused:
    a server shutting down or not yet up in a failover) comes as SQLAlchemy's wrapping of it, as
    a session's checkout gives it (`Connection.__init__`): the error handlers read it, and a
    disconnect invalidates the pool."""
    try:
        return await engine.raw_connection()
    except engine.dialect.loaded_dbapi.Error as error:
        Connection._handle_dbapi_exception_noconnection(error, engine.dialect, engine.sync_engine)
        raise


@asynccontextmanager
async def open_reads(engine: AsyncEngine, classify: Classify) -> AsyncIterator[Reads]:
    """A `Reads` on a connection checked out of `engine`'s pool, returned when the block ends.
    A connection whose statement failed for a lost or unreachable server is invalidated (and, for
    a lost server, every connection of the pool with it: the next checkouts open new ones, as
    SQLAlchemy does for a disconnect); one left mid-statement (a cancelled request) is closed."""
    raw = await checkout(engine)
    reads = Reads(raw.driver_connection, engine.dialect, classify)
    sqlite = engine.dialect.name == "sqlite"
    try:
        if sqlite:
            await reads._statement("BEGIN")
        try:
            yield reads
        finally:
            if sqlite and reads.verdict is None and not reads.in_flight:
                # COMMIT or ROLLBACK end a read alike; the block's own error goes on up.
                await reads._statement("COMMIT")
    finally:
        await release(engine, raw, reads)


async def release(engine: AsyncEngine, raw: PoolProxiedConnection, used: Reads) -> None:
    """Give a checked-out connection back to `engine`'s pool after `used` ran on it: invalidated
    if a statement failed for a lost or unreachable server or was left mid-way."""
    if used.verdict == "lost":
        # This connection and every one checked out before now (SQLAlchemy's own handling of a
        # disconnect).
        engine.sync_engine.pool._invalidate(raw)
    elif used.verdict is not None or used.in_flight:
        raw.invalidate()
    # The pool's reset on return may await the driver: in SQLAlchemy's greenlet, as its own
    # checkin is.
    await greenlet_spawn(raw.close)
