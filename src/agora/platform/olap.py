"""An embedded analytical store: one DuckDB file, one writer, many readers.

DuckDB is an in-process engine with a synchronous API; every call here runs in a worker thread so
the event loop keeps serving. Writes are serialized by a lock (DuckDB allows one writing process
and, within it, one transaction per connection); each read runs on its own cursor, so readers see
the last committed state while a write is under way (DuckDB's MVCC).

No extension is loaded: DuckDB 2.x cannot download extensions on this platform's machines, and
nothing here needs one (rows arrive as CSV files written by the caller, read by the core reader).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from agora.platform.errors import ServiceUnavailable

T = TypeVar("T")

Row = tuple[Any, ...]


class OlapConnection:
    """The writer's connection inside `OlapStore.write`: statements of one transaction."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> list[Row]:
        cursor = self._connection.execute(sql, params) if params else self._connection.execute(sql)
        return _fetch(cursor)

    def copy_csv(self, table: str, path: Path, columns: Sequence[str]) -> None:
        """Append a CSV file (header, `\\N` for NULL) to `table`'s `columns`."""
        listed = ", ".join(columns)
        self._connection.execute(
            f"COPY {table} ({listed}) FROM '{_quoted_path(path)}' "
            "(FORMAT csv, HEADER true, NULLSTR '\\N', QUOTE '\"', ESCAPE '\"')"
        )


class OlapStore:
    """One DuckDB database file, opened lazily, used from async code."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._write_lock = asyncio.Lock()
        self._open_lock = threading.Lock()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        with self._open_lock:
            if self._connection is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    self._connection = duckdb.connect(str(self.path))
                except duckdb.IOException as exc:
                    # Another process holds the file: DuckDB has one writing process.
                    raise ServiceUnavailable(
                        f"The analytics store {self.path.name} is in use by another process",
                        code="olap_store_busy",
                    ) from exc
            return self._connection

    async def read(self, sql: str, params: Sequence[Any] | None = None) -> list[Row]:
        """The rows of one query, on a cursor of its own (sees the last committed state)."""

        def run() -> list[Row]:
            cursor = self._connect().cursor()
            try:
                return _fetch(cursor.execute(sql, params) if params else cursor.execute(sql))
            finally:
                cursor.close()

        return await asyncio.to_thread(run)

    async def write(self, work: Callable[[OlapConnection], T]) -> T:
        """Run `work` in one transaction: committed if it returns, rolled back if it raises."""

        def run() -> T:
            connection = self._connect()
            connection.execute("BEGIN TRANSACTION")
            try:
                result = work(OlapConnection(connection))
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return result

        async with self._write_lock:
            return await asyncio.to_thread(run)

    async def close(self) -> None:
        def run() -> None:
            with self._open_lock:
                if self._connection is not None:
                    self._connection.close()
                    self._connection = None

        async with self._write_lock:
            await asyncio.to_thread(run)


def _fetch(cursor: duckdb.DuckDBPyConnection) -> list[Row]:
    # A statement without a result set (DDL, DELETE) has no description.
    description: object = cursor.description
    if description is None:
        return []
    return [tuple(row) for row in cursor.fetchall()]


def _quoted_path(path: Path) -> str:
    return str(path).replace("'", "''")
