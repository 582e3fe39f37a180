"""The transactional outbox: an event is a row written in the same transaction as the change it
describes, and a relay publishes it after commit. No event without its change, no change without its
event: a crash between commit and publish leaves the row, and the next relay (this process
restarted, or another replica) publishes it. Publishing may therefore repeat an event; consumers are
idempotent (see `inbox`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools

import structlog
from sqlalchemy import (
    BigInteger,
    Column,
    Insert,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    delete,
    select,
)

from agora.contracts.base import EventPayload
from agora.platform.bus.base import EventBus
from agora.platform.bus.event import Event
from agora.platform.clock import Clock, utcnow
from agora.platform.db import Database, UnitOfWork, UTCDateTime, mark_background_writer
from agora.platform.requestid import get_request_id
from agora.platform.tracing import current_traceparent, producer_span

log = structlog.get_logger("agora.outbox")

OUTBOX_KEY = "agora.outbox"
CLOCK_KEY = "agora.clock"
_DIRTY_KEY = "agora.outbox_dirty"


def outbox_table(metadata: MetaData) -> Table:
    """The outbox table, added to a service's metadata so its migrations create it."""
    return Table(
        "outbox",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", String(32), nullable=False, unique=True),
        Column("event_type", String(100), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
    )


async def emit(session: UnitOfWork, payload: EventPayload) -> Event:
    """Record an event in the unit of work's transaction (a session's or a plain `Writes`); it is
    published only if the transaction commits."""
    table: Table | None = session.info.get(OUTBOX_KEY)
    if table is None:
        raise RuntimeError("this session's database has no outbox; wire it with `use_outbox`")
    clock: Clock | None = session.info.get(CLOCK_KEY)
    event = Event(
        type=payload.event_type,
        producer=str(session.info.get("service", "unknown")),
        occurred_at=clock.now() if clock else utcnow(),
        request_id=get_request_id(),
        traceparent=current_traceparent(),
        payload=payload.model_dump(mode="json"),
    )
    values = {
        "event_id": event.id,
        "event_type": event.type,
        "body": event.model_dump_json(),
        "created_at": event.occurred_at,
    }
    await session.execute(_insert_into(table), values)
    session.info[_DIRTY_KEY] = True
    return event


@functools.lru_cache(maxsize=64)
def _insert_into(table: Table) -> Insert:
    # An outbox's INSERT, built once per table, its values bound per event (docs/decisions/0043),
    # each by name so that a plain `Writes` runs it too (decision 0046).
    return table.insert().values(
        {name: bindparam(name, type_=table.c[name].type) for name in _OUTBOX_VALUES}
    )


_OUTBOX_VALUES = ("event_id", "event_type", "body", "created_at")


# How often a relay looks at its outbox when no commit of this process woke it: for rows that
# another process wrote (the CLI) or that a crashed process left, and after a failed pass.
SAFETY_POLL_SECONDS = 10.0


class OutboxRelay:
    """Publishes outbox rows in order and deletes them once the bus holds them.

    The relay runs when a commit that wrote events wakes it (`notify`, wired by `use_outbox`), and
    otherwise looks every `poll_interval` seconds, with a read that takes no write lock; an idle
    relay costs nothing else. On a SQLite file it reads and publishes a batch outside the write
    queue, then deletes it in a short write transaction of its own, behind request writers
    (`mark_background_writer`); one pass at a time per relay. On PostgreSQL the batch is locked
    (`FOR UPDATE SKIP LOCKED`) so that replicas' relays share the rows.
    """

    def __init__(
        self,
        database: Database,
        table: Table,
        bus: EventBus,
        *,
        batch_size: int = 100,
        poll_interval: float = SAFETY_POLL_SECONDS,
    ) -> None:
        self._database = database
        self._table = table
        self._bus = bus
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._pass = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    def notify(self) -> None:
        """Wake the relay now (called after a commit that wrote events)."""
        self._wake.set()

    async def pending(self) -> bool:
        """Whether the outbox holds a row, read without taking the write lock."""
        table = self._table
        async with self._database.session(read_only=True) as session:
            found = await session.execute(select(table.c.id).limit(1))
            return found.first() is not None

    async def relay_once(self) -> int:
        """Publish one batch; returns how many events went out."""
        async with self._pass:
            if self._database.dialect_name == "sqlite":
                return await self._relay_unlocked()
            return await self._relay_locked()

    async def _publish(self, bodies: list[str]) -> None:
        for body in bodies:
            event = Event.from_json(body)
            with producer_span(
                f"publish {event.type}", event.traceparent, **{"messaging.message.id": event.id}
            ) as traceparent:
                await self._bus.publish(event.model_copy(update={"traceparent": traceparent}))

    async def _relay_locked(self) -> int:
        table = self._table
        async with self._database.session() as session:
            rows = (
                await session.execute(
                    select(table.c.id, table.c.body)
                    .order_by(table.c.id)
                    .limit(self._batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            await self._publish([row.body for row in rows])
            if rows:
                await session.execute(delete(table).where(table.c.id.in_([r.id for r in rows])))
        return len(rows)

    async def _relay_unlocked(self) -> int:
        # SQLite has no row locks: the write lock would be held for the whole batch, publishing
        # included. This process's relay is the only one that deletes rows here (`_pass`); a row
        # another process's relay published too goes out twice, which consumers allow.
        table = self._table
        async with self._database.session(read_only=True) as session:
            rows = (
                await session.execute(
                    select(table.c.id, table.c.body).order_by(table.c.id).limit(self._batch_size)
                )
            ).all()
        if not rows:
            return 0
        await self._publish([row.body for row in rows])
        async with self._database.session() as session:
            await session.execute(delete(table).where(table.c.id.in_([r.id for r in rows])))
        return len(rows)

    async def _run(self) -> None:
        mark_background_writer()
        backoff = self._poll_interval
        notified = True  # the first pass: rows left from before this start
        while True:
            # Cleared before reading, so a commit that notifies while this batch is being read
            # is not forgotten: its wake-up makes the wait below return at once.
            self._wake.clear()
            try:
                sent = await self.relay_once() if notified or await self.pending() else 0
                backoff = self._poll_interval
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox_relay_failed", service=self._database.service)
                sent = 0
                backoff = min(backoff * 2, max(30.0, self._poll_interval))
            if sent == self._batch_size:
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)
                notified = True
            except TimeoutError:
                notified = False

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(
                self._run(), name=f"outbox-relay-{self._database.service}"
            )

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


def bind_outbox(database: Database, table: Table, clock: Clock) -> None:
    """Make `emit()` on this database's sessions write to `table` (relayed by whoever runs a
    relay)."""
    database.session_info[OUTBOX_KEY] = table
    database.session_info[CLOCK_KEY] = clock


def use_outbox(database: Database, table: Table, relay: OutboxRelay, clock: Clock) -> None:
    """Bind the outbox and wake `relay` after each commit that wrote events."""
    bind_outbox(database, table, clock)

    def _after_commit(session: UnitOfWork) -> None:
        if session.info.pop(_DIRTY_KEY, False):
            relay.notify()

    database.on_commit(_after_commit)
