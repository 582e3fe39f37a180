"""A service's side of the account sagas: one transaction per action, applied once per saga.

A service supplies its rules (`ParticipantRules`: which rows to hold, what counters follow, what an
erase keeps anonymised, what an export contains); `Participant` wraps them with the ledger and the
holding table, so every service applies hide, restore and erase the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from sqlalchemy import MetaData, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.accounts import AccountAction, AccountDataExport, AccountDataOutcome
from agora.platform.db import Database
from agora.platform.sagas.holding import Holding, Ledger, Row, encode_row

HeldRow = tuple[Table, Row]


class HoldScope:
    """The holding table bound to one session and one saga."""

    def __init__(self, session: AsyncSession, holding: Holding, saga_id: str) -> None:
        self.session = session
        self._holding = holding
        self.key = saga_id
        self.held: list[HeldRow] = []

    async def hold(self, table: Table, where: Any) -> list[Row]:
        """Take the rows of `table` matching `where` out of the live table under this saga."""
        rows = await self._holding.hold(self.session, self.key, table, where)
        self.held.extend((table, row) for row in rows)
        return rows


class ParticipantRules(Protocol):
    """What one service decides about a user's rows."""

    async def hide(self, scope: HoldScope, user_id: int) -> None:
        """Hold every row of the user's (children before parents) and adjust counters."""
        ...

    async def after_restore(self, session: AsyncSession, rows: Sequence[HeldRow]) -> None:
        """Undo the counter changes `hide` made for these rows, now back in their tables."""
        ...

    def keep_on_erase(self, rows: Sequence[HeldRow], user_id: int) -> list[HeldRow]:
        """The held rows to put back on erase, anonymised (others' replies, placed entries)."""
        ...

    async def after_erase(
        self, session: AsyncSession, kept: Sequence[HeldRow], user_id: int
    ) -> None:
        """Counter changes for the rows an erase put back; forget the user where rows of others
        name them (who opened a room, who added an album)."""
        ...

    async def export(self, session: AsyncSession, user_id: int) -> dict[str, list[Row]]:
        """The user's records, by kind."""
        ...


AfterCommit = Callable[[AccountAction, Sequence[HeldRow]], Awaitable[None]]


class Participant:
    """`AccountData` for one service, over its database, ledger and holding table."""

    def __init__(
        self,
        service: str,
        database: Database,
        *,
        holding: Holding,
        ledger: Ledger,
        rules: ParticipantRules,
        after_commit: AfterCommit | None = None,
    ) -> None:
        self.service = service
        self.database = database
        self.holding = holding
        self.ledger = ledger
        self.rules = rules
        self._after_commit = after_commit

    def _outcome(self, action: AccountAction, rows: int, replayed: bool) -> AccountDataOutcome:
        return AccountDataOutcome(service=self.service, action=action, rows=rows, replayed=replayed)

    async def _apply(
        self,
        action: AccountAction,
        saga_id: str,
        change: Callable[[AsyncSession], Awaitable[list[HeldRow]]],
    ) -> AccountDataOutcome:
        action_key = f"{saga_id}:{action.value}"
        async with self.database.session() as session:
            if not await self.ledger.claim(session, action_key):
                rows = await self.ledger.get_rows(session, action_key)
                return self._outcome(action, rows, replayed=True)
            touched = await change(session)
            await self.ledger.record(session, action_key, len(touched))
        if self._after_commit is not None:
            await self._after_commit(action, touched)
        return self._outcome(action, len(touched), replayed=False)

    async def hide(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        async def change(session: AsyncSession) -> list[HeldRow]:
            scope = HoldScope(session, self.holding, saga_id)
            await self.rules.hide(scope, user_id)
            return scope.held

        return await self._apply(AccountAction.HIDE, saga_id, change)

    async def restore(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        async def change(session: AsyncSession) -> list[HeldRow]:
            if await self.ledger.has(session, f"{saga_id}:{AccountAction.ERASE.value}"):
                return []
            rows = await self.holding.take(session, saga_id)
            await self.holding.put_back(session, rows)
            await self.rules.after_restore(session, rows)
            return rows

        return await self._apply(AccountAction.RESTORE, saga_id, change)

    async def erase(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        async def change(session: AsyncSession) -> list[HeldRow]:
            # Anything the user wrote after the hide (a token still valid for a few minutes) goes
            # too: hold it under the same saga first.
            await self.rules.hide(HoldScope(session, self.holding, saga_id), user_id)
            rows = await self.holding.take(session, saga_id)
            kept = self.rules.keep_on_erase(rows, user_id)
            await self.holding.put_back(session, kept)
            await self.rules.after_erase(session, kept, user_id)
            return rows

        return await self._apply(AccountAction.ERASE, saga_id, change)

    async def export(self, user_id: int) -> AccountDataExport:
        async with self.database.session(read_only=True) as session:
            files = await self.rules.export(session, user_id)
        return AccountDataExport(
            service=self.service,
            files={name: [encode_row(r) for r in rows] for name, rows in files.items()},
        )


class BaseRules:
    """Defaults for rules: no counters to fix, nothing kept on erase."""

    async def after_restore(self, session: AsyncSession, rows: Sequence[HeldRow]) -> None:
        return None

    def keep_on_erase(self, rows: Sequence[HeldRow], user_id: int) -> list[HeldRow]:
        return []

    async def after_erase(
        self, session: AsyncSession, kept: Sequence[HeldRow], user_id: int
    ) -> None:
        return None


async def rows_of(session: AsyncSession, table: Table, where: Any) -> list[Row]:
    """Rows of `table` matching `where`, oldest key first (for exports)."""
    query = select(table).where(where).order_by(*table.primary_key.columns)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


def of_table(rows: Sequence[HeldRow], table: Table) -> list[Row]:
    """The held rows that came from `table`."""
    return [row for t, row in rows if t is table]


def participant_for(
    service: str,
    database: Database,
    metadata: MetaData,
    rules: ParticipantRules,
    *,
    after_commit: AfterCommit | None = None,
) -> Participant:
    """A service's participant over the `held_rows` and `saga_ledger` tables of its metadata."""
    return Participant(
        service,
        database,
        holding=Holding(metadata.tables["held_rows"], metadata),
        ledger=Ledger(metadata.tables["saga_ledger"]),
        rules=rules,
        after_commit=after_commit,
    )


def table_of(model: type[Any]) -> Table:
    """A mapped model's table, typed as one."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model!r} is not mapped to a table")
    return table
