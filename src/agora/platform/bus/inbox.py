"""The inbox: each consumer records the ids of events it handled, in the same transaction as the
handler's effects. A redelivered event finds its id there and is skipped, so effects happen
exactly once."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
from pydantic import ValidationError
from sqlalchemy import Column, Insert, MetaData, String, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.base import EventPayload
from agora.platform.bus.base import EventBus
from agora.platform.bus.event import Event
from agora.platform.clock import utcnow
from agora.platform.db import Database, UTCDateTime, Writes
from agora.platform.logging import LineLogger
from agora.platform.requestid import current_request_id
from agora.platform.tracing import consumer_span

log = structlog.get_logger("agora.inbox")
# The line written for every event handled, rendered in one pass (decision 0044).
handled_log = LineLogger("agora.inbox")

P = TypeVar("P", bound=EventPayload)
PayloadHandler = Callable[[AsyncSession, P, Event], Awaitable[None]]
# A handler whose statements run below the Session (`Database.writes()`, decision 0046).
PlainPayloadHandler = Callable[[Writes, P, Event], Awaitable[None]]


def inbox_table(metadata: MetaData) -> Table:
    """The handled-events table, added to a service's metadata so its migrations create it."""
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(32), primary_key=True),
        Column("processed_at", UTCDateTime, nullable=False),
    )


class Consumer:
    """One service's consumer group: a handler per event type, each run once per event."""

    def __init__(self, database: Database, table: Table, *, group: str) -> None:
        self._database = database
        self._table = table
        self.group = group
        # Per event type: the payload's class, the handler, whether it takes a plain `Writes`.
        self._handlers: dict[
            str, tuple[type[EventPayload], Callable[..., Awaitable[None]], bool]
        ] = {}
        self._claim = _claim_statement(database.dialect_name, table)

    def on(self, payload_type: type[P], handler: PayloadHandler[P]) -> None:
        """Run `handler(session, payload, event)` for each event of this type."""
        self._add(payload_type, handler, plain=False)

    def on_plain(self, payload_type: type[P], handler: PlainPayloadHandler[P]) -> None:
        """Run `handler(writes, payload, event)` for each event of this type: the claim and the
        handler's statements in one plain write (`Database.writes()`), for hot events whose
        handlers are written for it (decision 0046)."""
        self._add(payload_type, handler, plain=True)

    def _add(
        self,
        payload_type: type[EventPayload],
        handler: Callable[..., Awaitable[None]],
        *,
        plain: bool,
    ) -> None:
        if payload_type.event_type in self._handlers:
            raise ValueError(f"{self.group} already handles {payload_type.event_type}")
        self._handlers[payload_type.event_type] = (payload_type, handler, plain)

    @property
    def event_types(self) -> list[str]:
        return sorted(self._handlers)

    async def handle(self, event: Event) -> None:
        """Apply one event exactly once; raises (for redelivery) if the handler fails."""
        entry = self._handlers.get(event.type)
        if entry is None:
            return
        payload_type, handler, plain = entry
        try:
            payload = event.parse(payload_type)
        except ValidationError:
            # A payload that does not match its contract will never succeed: log it and move on.
            log.error("event_payload_invalid", event_id=event.id, type=event.type, group=self.group)
            return
        token = current_request_id.set(event.request_id)
        span = consumer_span(
            f"consume {event.type}",
            event.traceparent,
            **{"messaging.consumer.group.name": self.group, "messaging.message.id": event.id},
        )
        started = time.perf_counter()
        try:
            with span:
                applied = (
                    await self._apply_plain(event, payload, handler)
                    if plain
                    else await self._apply(event, payload, handler)
                )
                if applied and handled_log.is_enabled_for(logging.INFO):
                    handled_log.log(
                        logging.INFO,
                        "event_handled",
                        event_id=event.id,
                        type=event.type,
                        group=self.group,
                        **{"event.duration": int((time.perf_counter() - started) * 1e9)},
                    )
        finally:
            current_request_id.reset(token)

    async def _apply(
        self, event: Event, payload: EventPayload, handler: Callable[..., Awaitable[None]]
    ) -> bool:
        """Run the handler unless this event was handled before; whether it ran."""
        async with self._database.session() as session:
            first_time = await session.execute(self._claim, self._claim_values(event))
            if first_time.first() is None:
                log.info("event_duplicate_skipped", event_id=event.id, type=event.type)
                return False
            await handler(session, payload, event)
        return True

    async def _apply_plain(
        self, event: Event, payload: EventPayload, handler: Callable[..., Awaitable[None]]
    ) -> bool:
        """`_apply` in a plain write."""
        async with self._database.writes() as writes:
            if not await writes.tuples(self._claim, self._claim_values(event)):
                log.info("event_duplicate_skipped", event_id=event.id, type=event.type)
                return False
            await handler(writes, payload, event)
        return True

    def _claim_values(self, event: Event) -> dict[str, object]:
        return {"consumer": self.group, "event_id": event.id, "processed_at": utcnow()}

    def attach(self, bus: EventBus) -> None:
        """Subscribe this consumer's group to every type it handles."""
        if self._handlers:
            bus.subscribe(self.group, self.event_types, self.handle)


def _claim_statement(dialect: str, table: Table) -> Insert:
    """The inbox's claim, `INSERT ... ON CONFLICT DO NOTHING RETURNING event_id`, built once per
    consumer with its values bound per event (a statement built per event cost about as much as
    running it; decision 0043), each by name so that a plain write runs it too."""
    values = {
        "consumer": bindparam("consumer", type_=table.c.consumer.type),
        "event_id": bindparam("event_id", type_=table.c.event_id.type),
        "processed_at": bindparam("processed_at", type_=UTCDateTime()),
    }
    if dialect == "postgresql":
        return (
            postgresql.insert(table)
            .values(values)
            .on_conflict_do_nothing()
            .returning(table.c.event_id)
        )
    if dialect == "sqlite":
        return (
            sqlite.insert(table).values(values).on_conflict_do_nothing().returning(table.c.event_id)
        )
    raise NotImplementedError(f"the inbox is not implemented for {dialect}")
