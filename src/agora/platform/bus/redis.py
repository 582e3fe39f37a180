"""The Redis Streams bus of the cluster topology: a stream per event type, a consumer group per
subscribing service. Every service sees every event; the replicas of one service share the work."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Collection
from dataclasses import dataclass

import structlog
from pydantic import ValidationError
from redis.exceptions import RedisError, ResponseError
from redis.typing import KeyT, StreamIdT

from agora.platform.bus.base import EventHandler
from agora.platform.bus.event import Event
from agora.platform.db import mark_background_writer
from agora.platform.redis_connect import parse_sentinel_url, redis_client

log = structlog.get_logger("agora.bus.redis")

_FIELD = b"event"
_BATCH = 50
_RETRY_BASE = 0.1
_RETRY_CAP = 5.0
_RECONNECT_BASE = 0.1
_RECONNECT_CAP = 5.0

# (entry id, the `event` field; None when the entry was trimmed or deleted before it was read)
_Entry = tuple[str, bytes | None]


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _entry(item: object) -> _Entry:
    if not isinstance(item, tuple | list) or len(item) < 2:
        raise TypeError(f"unexpected stream entry {item!r}")
    fields = item[1]
    raw = fields.get(_FIELD) if isinstance(fields, dict) else None
    return _text(item[0]), raw if isinstance(raw, bytes) else None


def _read_reply(reply: object) -> list[tuple[str, list[_Entry]]]:
    """XREADGROUP's reply as (stream, entries) pairs, from either RESP2 or RESP3."""
    if not reply:
        return []
    if isinstance(reply, dict):
        # RESP3: {stream: [[entry, ...]]}
        return [
            (_text(stream), [_entry(item) for chunk in chunks for item in chunk])
            for stream, chunks in reply.items()
        ]
    if isinstance(reply, list):
        return [(_text(stream), [_entry(item) for item in items]) for stream, items in reply]
    raise TypeError(f"unexpected XREADGROUP reply {reply!r}")


@dataclass
class _Group:
    name: str
    streams: tuple[str, ...]
    handler: EventHandler
    task: asyncio.Task[None] | None = None
    reads: int = 0  # successful XREADGROUPs, to tell a fresh outage from a persisting one

    @property
    def new_entries(self) -> dict[KeyT, StreamIdT]:
        """XREADGROUP's stream arguments for entries never delivered to the group."""
        return dict.fromkeys(self.streams, ">")


_REPLICA_WAIT_MS = 1000


class EventNotReplicated(RedisError):
    """No replica confirmed an event in time: it may be lost with its master, so publish again."""


class RedisStreamBus:
    """An `EventBus` on Redis Streams, shared by every process of a cluster."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "agora:",
        consumer_name: str | None = None,
        block_ms: int = 1000,
        claim_idle_ms: int = 30_000,
        max_deliveries: int = 5,
        maxlen: int = 100_000,
        replicas_to_wait: int | None = None,
    ) -> None:
        if max_deliveries < 1:
            raise ValueError("max_deliveries must be at least 1")
        self._prefix = prefix
        self.consumer_name = (
            consumer_name or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        )
        self._block_ms = block_ms
        self._claim_idle_ms = claim_idle_ms
        # Often enough that abandoned work waits little past claim_idle_ms, yet cheap.
        self._claim_interval = min(5.0, max(0.05, claim_idle_ms / 2000))
        self._max_deliveries = max_deliveries
        self._maxlen = maxlen
        self.deadletter_stream = f"{prefix}deadletter"
        # The read timeout outlasts a blocking XREADGROUP, else each idle read would seem a failure.
        self._client = redis_client(
            url,
            socket_connect_timeout=2.0,
            socket_timeout=block_ms / 1000 + 5.0,
            health_check_interval=30,
        )
        # Under Sentinel a master copies its writes to its replicas after answering: an event is
        # published only once a replica has it too, so a failover cannot lose it. When none
        # confirms in time the relay keeps the event and publishes it again (the consumers'
        # inbox drops the repeat). By default: one replica under Sentinel, none for one server.
        if replicas_to_wait is None:
            replicas_to_wait = 1 if parse_sentinel_url(url) is not None else 0
        self._replicas_to_wait = replicas_to_wait
        self._groups: dict[str, _Group] = {}
        self._running = False
        self._closed = False

    def stream_for(self, event_type: str) -> str:
        """The stream that carries events of one type."""
        return f"{self._prefix}events:{event_type}"

    async def publish(self, event: Event) -> None:
        if not self._replicas_to_wait:
            await self._client.xadd(
                self.stream_for(event.type),
                {_FIELD: event.to_json()},
                maxlen=self._maxlen,
                approximate=True,
            )
            return
        # WAIT counts the replicas that have this connection's writes: one pipeline, so the XADD
        # and the WAIT share a connection.
        pipe = self._client.pipeline(transaction=False)
        pipe.xadd(
            self.stream_for(event.type),
            {_FIELD: event.to_json()},
            maxlen=self._maxlen,
            approximate=True,
        )
        pipe.wait(self._replicas_to_wait, _REPLICA_WAIT_MS)
        _, replicas = await pipe.execute()
        if int(replicas) < self._replicas_to_wait:
            raise EventNotReplicated(
                f"event {event.id} reached {replicas} replicas of {self._replicas_to_wait}"
            )

    def subscribe(self, group: str, event_types: Collection[str], handler: EventHandler) -> None:
        if group in self._groups:
            raise ValueError(f"consumer group {group!r} is already subscribed")
        if not event_types:
            raise ValueError(f"consumer group {group!r} subscribes to no event type")
        streams = tuple(sorted({self.stream_for(t) for t in event_types}))
        self._groups[group] = _Group(group, streams, handler)
        if self._running:
            self._start_group(self._groups[group])

    def _start_group(self, group: _Group) -> None:
        group.task = asyncio.create_task(self._run(group), name=f"bus-{group.name}")

    async def start(self) -> None:
        if self._closed:
            raise RuntimeError("a stopped RedisStreamBus cannot be restarted; make a new one")
        self._running = True
        for group in self._groups.values():
            if group.task is None:
                self._start_group(group)

    async def stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._running = False
        tasks = [g.task for g in self._groups.values() if g.task is not None]
        for task in tasks:
            task.cancel()
        # Not `suppress(CancelledError)` around each await: that would also swallow a
        # cancellation of `stop` itself.
        await asyncio.gather(*tasks, return_exceptions=True)
        for group in self._groups.values():
            group.task = None
        await self._forget_consumer()
        await self._client.aclose()

    # `timeout` keeps the signature of InMemoryBus.drain, so one test suite drives both buses.
    async def drain(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until every subscribed group has read and acknowledged everything."""

        async def _idle() -> None:
            # Other processes move the groups along too, so there is no local event to wait on.
            while True:
                if await self._all_done():
                    return
                await asyncio.sleep(0.01)

        await asyncio.wait_for(_idle(), timeout)

    async def _all_done(self) -> bool:
        for group in self._groups.values():
            for stream in group.streams:
                try:
                    infos = await self._client.xinfo_groups(stream)
                except ResponseError:
                    return False  # the stream and its group do not exist yet
                info = next((i for i in infos if _text(i["name"]) == group.name), None)
                if info is None or info["pending"]:
                    return False
                lag = info.get("lag")
                if lag is None:
                    # Redis cannot count the lag after deletions; compare positions instead.
                    last = (await self._client.xinfo_stream(stream))["last-generated-id"]
                    if _text(info["last-delivered-id"]) != _text(last):
                        return False
                elif lag:
                    return False
        return True

    async def _forget_consumer(self) -> None:
        """Remove this consumer from its groups if it holds nothing, so replicas leave no trace.

        A consumer with pending entries is kept: deleting it would make them unclaimable.
        """
        for group in self._groups.values():
            for stream in group.streams:
                try:
                    consumers = await self._client.xinfo_consumers(stream, group.name)
                    mine = [c for c in consumers if _text(c["name"]) == self.consumer_name]
                    if mine and not mine[0]["pending"]:
                        await self._client.xgroup_delconsumer(
                            stream, group.name, self.consumer_name
                        )
                except (RedisError, OSError) as exc:
                    log.info("bus_consumer_not_removed", group=group.name, error=_describe(exc))
                    return

    async def _run(self, group: _Group) -> None:
        mark_background_writer()  # a consumer's writes queue behind requests' (SQLite)
        delay = _RECONNECT_BASE
        # `stop` cancels this task, and the loops also end once the bus is closed: a cancellation
        # can be lost on its way (a handler that swallows it, or asyncio.timeout in 3.11 turning
        # it into a TimeoutError when both land together), and the reader must not outlive stop.
        while not self._closed:
            reads = group.reads
            try:
                await self._ensure_group(group)
                await self._consume(group)
                return  # `_consume` returns only once the bus is closed
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if group.reads != reads:
                    # It had been working, so this is a fresh outage: retry soon.
                    delay = _RECONNECT_BASE
                if isinstance(exc, RedisError | OSError):
                    log.warning(
                        "bus_redis_unavailable",
                        group=group.name,
                        error=_describe(exc),
                        retry_in=delay,
                    )
                else:
                    log.exception("bus_reader_failed", group=group.name, retry_in=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, _RECONNECT_CAP)

    async def _ensure_group(self, group: _Group) -> None:
        for stream in group.streams:
            try:
                # From id 0, so a group created after events were published still gets them.
                await self._client.xgroup_create(stream, group.name, id="0", mkstream=True)
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    async def _consume(self, group: _Group) -> None:
        # What this consumer read before a crash or a lost connection comes first, then new entries.
        await self._replay_own_pending(group)
        loop = asyncio.get_running_loop()
        next_claim = loop.time()
        while not self._closed:
            if loop.time() >= next_claim:
                await self._claim_abandoned(group)
                next_claim = loop.time() + self._claim_interval
            reply = await self._client.xreadgroup(
                group.name,
                self.consumer_name,
                group.new_entries,
                count=_BATCH,
                block=self._block_ms,
            )
            group.reads += 1
            for stream, entries in _read_reply(reply):
                for entry_id, raw in entries:
                    await self._process(group, stream, entry_id, raw, deliveries=1)

    async def _replay_own_pending(self, group: _Group) -> None:
        positions: dict[KeyT, StreamIdT] = dict.fromkeys(group.streams, "0")
        while positions:
            reply = await self._client.xreadgroup(
                group.name, self.consumer_name, positions, count=_BATCH
            )
            group.reads += 1
            for stream, entries in _read_reply(reply):
                if not entries:
                    positions.pop(stream, None)
                    continue
                for entry_id, raw in entries:
                    deliveries = await self._deliveries(group, stream, entry_id)
                    await self._process(group, stream, entry_id, raw, deliveries=deliveries)
                positions[stream] = entries[-1][0]

    async def _claim_abandoned(self, group: _Group) -> None:
        """Take over entries that a consumer (this one included) left unacknowledged too long."""
        for stream in group.streams:
            start = "0-0"
            while True:
                reply = await self._client.xautoclaim(
                    stream,
                    group.name,
                    self.consumer_name,
                    min_idle_time=self._claim_idle_ms,
                    start_id=start,
                    count=_BATCH,
                )
                entries = [_entry(item) for item in reply[1]]
                if entries:
                    log.info("events_claimed", group=group.name, stream=stream, count=len(entries))
                for entry_id, raw in entries:
                    deliveries = await self._deliveries(group, stream, entry_id)
                    await self._process(group, stream, entry_id, raw, deliveries=deliveries)
                start = _text(reply[0])
                if start == "0-0":
                    break

    async def _deliveries(self, group: _Group, stream: str, entry_id: str) -> int:
        rows = await self._client.xpending_range(
            stream, group.name, min=entry_id, max=entry_id, count=1
        )
        return int(rows[0]["times_delivered"]) if rows else 1

    async def _process(
        self, group: _Group, stream: str, entry_id: str, raw: bytes | None, *, deliveries: int
    ) -> None:
        """Handle one entry to the end: acknowledged, dead-lettered, or (if cancelled) left pending.

        A failure is retried here, before the next entry, so a group sees each stream in order.
        Each retry is a real redelivery (XCLAIM to self), so Redis's delivery count stays the
        attempt count and survives a crash.
        """
        if raw is None:
            log.warning("event_missing", group=group.name, stream=stream, entry_id=entry_id)
            await self._client.xack(stream, group.name, entry_id)
            return
        try:
            event = Event.from_json(raw)
        except ValidationError:
            await self._dead_letter(group, stream, entry_id, raw, "invalid", deliveries)
            return
        while True:
            if deliveries > self._max_deliveries:
                # Delivered that often without an ack: it brought down whoever handled it.
                await self._dead_letter(group, stream, entry_id, raw, "abandoned", deliveries)
                return
            try:
                await group.handler(event)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception(
                    "event_handler_failed",
                    group=group.name,
                    event_id=event.id,
                    type=event.type,
                    entry_id=entry_id,
                    delivery=deliveries,
                )
                if deliveries >= self._max_deliveries:
                    await self._dead_letter(group, stream, entry_id, raw, "failed", deliveries)
                    return
                await asyncio.sleep(min(_RETRY_BASE * 2 ** (deliveries - 1), _RETRY_CAP))
                claimed = await self._client.xclaim(
                    stream, group.name, self.consumer_name, min_idle_time=0, message_ids=[entry_id]
                )
                if not claimed:
                    # Trimmed from the stream meanwhile; Redis dropped it from the pending list too.
                    log.warning("event_missing", group=group.name, stream=stream, entry_id=entry_id)
                    return
                deliveries += 1
                continue
            await self._client.xack(stream, group.name, entry_id)
            return

    async def _dead_letter(
        self,
        group: _Group,
        stream: str,
        entry_id: str,
        raw: bytes,
        reason: str,
        deliveries: int,
    ) -> None:
        async with self._client.pipeline(transaction=True) as pipe:
            # One transaction: the entry is never both dead-lettered and pending, nor neither.
            pipe.xadd(
                self.deadletter_stream,
                {
                    b"group": group.name,
                    b"stream": stream,
                    b"id": entry_id,
                    b"event": raw,
                    b"reason": reason,
                    b"deliveries": deliveries,
                },
                maxlen=self._maxlen,
                approximate=True,
            )
            pipe.xack(stream, group.name, entry_id)
            await pipe.execute()
        log.error(
            "event_dead_lettered",
            group=group.name,
            stream=stream,
            entry_id=entry_id,
            reason=reason,
            deliveries=deliveries,
        )
