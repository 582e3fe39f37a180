"""What a service needs to take part in a saga that hides, restores and erases a user's rows.

`held_rows` keeps the rows a service took out of its live tables, as JSON, under the saga's key and
in the order they were taken; restoring puts them back in reverse order (parents before children),
with their ids, so the restored content is exactly what was hidden. Because held rows are no longer
in the live tables, every read and every count leaves them out without a query changing.

`saga_ledger` records which (saga, action) a service applied, in the same transaction as the
effect, so an action that is asked for twice (a coordinator resumed after a crash, a retried call)
has one effect.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.clock import utcnow
from agora.platform.db import UTCDateTime, insert_ignore

Row = dict[str, Any]


def held_rows_table(metadata: MetaData) -> Table:
    """The rows a saga took out of the live tables, kept until it restores or erases them."""
    return Table(
        "held_rows",
        metadata,
        Column("saga_key", String(100), primary_key=True),
        Column("seq", Integer, primary_key=True, autoincrement=False),
        Column("table_name", String(100), nullable=False),
        Column("row", JSON, nullable=False),
    )


def saga_ledger_table(metadata: MetaData) -> Table:
    """The (saga, action) pairs this service applied, with how many rows each touched."""
    return Table(
        "saga_ledger",
        metadata,
        Column("action_key", String(120), primary_key=True),
        Column("rows", Integer, nullable=False),
        Column("applied_at", UTCDateTime, nullable=False),
    )


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decode(table: Table, row: Row) -> Row:
    out: Row = {}
    for name, value in row.items():
        column = table.c[name]
        if value is not None:
            try:
                kind = column.type.python_type
            except NotImplementedError:
                kind = object
            if kind is datetime or isinstance(column.type, UTCDateTime):
                value = datetime.fromisoformat(value)
            elif kind is date:
                value = date.fromisoformat(value)
            elif kind is Decimal:
                value = Decimal(value)
            elif kind is bytes:
                value = base64.b64decode(value)
        out[name] = value
    return out


def encode_row(row: Row) -> Row:
    """A row as plain JSON values (times as ISO-8601)."""
    return {k: _encode(v) for k, v in row.items()}


class Ledger:
    """Exactly-once bookkeeping of saga actions in one service's database."""

    def __init__(self, table: Table) -> None:
        self.table = table

    async def claim(self, session: AsyncSession, action_key: str) -> bool:
        """True the first time `action_key` is claimed (in this transaction's outcome)."""
        claimed = await session.execute(
            insert_ignore(
                session, self.table, action_key=action_key, rows=0, applied_at=utcnow()
            ).returning(self.table.c.action_key)
        )
        return claimed.first() is not None

    async def record(self, session: AsyncSession, action_key: str, rows: int) -> None:
        await session.execute(
            self.table.update().where(self.table.c.action_key == action_key).values(rows=rows)
        )

    async def has(self, session: AsyncSession, action_key: str) -> bool:
        found = await session.scalar(
            select(self.table.c.action_key).where(self.table.c.action_key == action_key)
        )
        return found is not None

    async def get_rows(self, session: AsyncSession, action_key: str) -> int:
        found = await session.scalar(
            select(self.table.c.rows).where(self.table.c.action_key == action_key)
        )
        return int(found or 0)


class Holding:
    """Takes rows out of live tables under a saga key and puts them back."""

    def __init__(self, table: Table, metadata: MetaData) -> None:
        self.table = table
        self.metadata = metadata

    async def _next_seq(self, session: AsyncSession, key: str) -> int:
        top = await session.scalar(
            select(func.max(self.table.c.seq)).where(self.table.c.saga_key == key)
        )
        return int(top or 0) + 1

    async def hold(
        self, session: AsyncSession, key: str, table: Table, where: ColumnElement[bool]
    ) -> list[Row]:
        """Move the rows of `table` matching `where` into the holding table; returns them.

        Hold children before their parents: a parent deleted first would take its children with
        it (ON DELETE CASCADE) without keeping them."""
        # Newest key first: put back in reverse, a parent goes in before its replies.
        query = select(table).where(where).order_by(*(c.desc() for c in table.primary_key.columns))
        rows = [dict(r._mapping) for r in (await session.execute(query)).all()]
        if not rows:
            return []
        seq = await self._next_seq(session, key)
        await session.execute(
            insert(self.table),
            [
                {"saga_key": key, "seq": seq + i, "table_name": table.name, "row": encode_row(r)}
                for i, r in enumerate(rows)
            ],
        )
        keys = list(table.primary_key.columns)
        if len(keys) == 1:
            await session.execute(delete(table).where(keys[0].in_([r[keys[0].name] for r in rows])))
        else:
            for r in rows:
                await session.execute(delete(table).where(*[c == r[c.name] for c in keys]))
        return rows

    async def take(self, session: AsyncSession, key: str) -> list[tuple[Table, Row]]:
        """Remove and return every row held under `key`, last held first."""
        held = (
            await session.execute(
                select(self.table.c.table_name, self.table.c.row)
                .where(self.table.c.saga_key == key)
                .order_by(self.table.c.seq.desc())
            )
        ).all()
        await session.execute(delete(self.table).where(self.table.c.saga_key == key))
        out: list[tuple[Table, Row]] = []
        for table_name, row in held:
            table = self.metadata.tables[table_name]
            out.append((table, _decode(table, row)))
        return out

    async def put_back(self, session: AsyncSession, rows: Sequence[tuple[Table, Row]]) -> None:
        """Insert rows (as `take` returned them) into their tables, in the order given."""
        for table, row in rows:
            await session.execute(insert(table).values(**row))

    async def count(self, session: AsyncSession, key: str) -> int:
        found = await session.scalar(
            select(func.count()).select_from(self.table).where(self.table.c.saga_key == key)
        )
        return int(found or 0)
