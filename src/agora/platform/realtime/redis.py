"""The Redis hub of the cluster topology: offsets, epoch and history written atomically by Lua
scripts, live delivery over one pub/sub connection per process, presence that expires.

Keys of channel `room:1` under the prefix `agora:rt:` (the braces keep a channel's keys in one
cluster slot): `agora:rt:{room:1}:meta` (HASH epoch, offset), `...:history` (LIST of the newest
publications, JSON), `...:presence` (HASH client id → info JSON), `...:present` (ZSET client id →
expiry in ms). Publications go out on the pub/sub channel `agora:rt:room:1`.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import deque
from typing import Any

import orjson
import structlog
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import RedisError
from redis.typing import EncodableT

from agora.platform.realtime.base import (
    HistoryPage,
    HubLimits,
    Publication,
    StreamPosition,
    stored_publication,
)
from agora.platform.realtime.errors import HubUnavailable
from agora.platform.realtime.fanout import LocalFanout, QueueSubscription
from agora.platform.redis_connect import redis_client

log = structlog.get_logger("agora.realtime.redis")

# KEYS: meta, history. ARGV: epoch if the channel has none, ttl seconds, history size,
# channel (JSON string), data (JSON), pub/sub channel. Returns {epoch, offset}.
# A missing meta means a new life of the channel: a stale history of the old one is dropped so the
# retained list always holds consecutive offsets ending at the channel's offset.
_PUBLISH = """
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch)
end
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
local message = '{"channel":' .. ARGV[4] .. ',"offset":' .. offset .. ',"epoch":"' .. epoch
  .. '","data":' .. ARGV[5] .. '}'
local size = tonumber(ARGV[3])
if size > 0 then
  redis.call('RPUSH', KEYS[2], message)
  redis.call('LTRIM', KEYS[2], -size, -1)
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[6], message)
return {epoch, offset}
"""

# KEYS: meta, history. ARGV: epoch if the channel has none, ttl seconds, mode ("tail", "since" or
# "position"), limit (-1: none), since offset, since epoch.
# Returns {epoch, offset, retained, items}.
# Reading a channel gives it an epoch, so a client that starts on an empty channel holds a position
# that stays valid when the first publication comes.
_READ = """
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
local offset = tonumber(redis.call('HGET', KEYS[1], 'offset')) or 0
local retained = redis.call('LLEN', KEYS[2])
local limit = tonumber(ARGV[4])
local n = 0
if ARGV[3] == 'tail' then
  n = retained
  if limit > 0 and limit < n then n = limit end
elseif ARGV[3] == 'since' then
  local since = tonumber(ARGV[5])
  if ARGV[6] == epoch and since <= offset then
    local missed = offset - since
    if missed <= retained and (limit < 0 or missed <= limit) then n = missed end
  end
end
local items = {}
if n > 0 then items = redis.call('LRANGE', KEYS[2], -n, -1) end
return {epoch, offset, retained, items}
"""

# KEYS: presence, present. ARGV: ttl ms, client id, info JSON. Redis's clock, not the instances',
# decides expiry; the keys live as long as their longest-lived member.
_JOIN = """
local now = redis.call('TIME')
local expiry = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + tonumber(ARGV[1])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], expiry, ARGV[2])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
redis.call('PEXPIREAT', KEYS[2], last[2])
return 1
"""

# KEYS: presence, present. Drops the members whose instance stopped refreshing them; returns the
# rest as a flat list of client id, info JSON.
_PRESENCE = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ms)
for _, client in ipairs(expired) do
  redis.call('ZREM', KEYS[2], client)
  redis.call('HDEL', KEYS[1], client)
end
return redis.call('HGETALL', KEYS[1])
"""

_RECONNECT_BASE = 0.05
_RECONNECT_CAP = 2.0
# A pub/sub connection that lived this long was healthy: the next one starts the backoff afresh.
_HEALTHY_AFTER = 1.0

# (SUBSCRIBE or UNSUBSCRIBE, hub channel, future resolved by the SUBSCRIBE's confirmation); None
# stops the writer.
_Command = tuple[str, str, "asyncio.Future[bool] | None"] | None


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _new_epoch() -> str:
    return uuid.uuid4().hex[:12]


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _publication(raw: bytes | str) -> Publication:
    message = orjson.loads(raw)
    return stored_publication(
        str(message["channel"]), int(message["offset"]), str(message["epoch"]), message["data"]
    )


class RedisHub:
    """A `Hub` in Redis, shared by every instance of a cluster; keys live under `prefix`."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "agora:rt:",
        limits: HubLimits | None = None,
        socket_timeout: float = 2.0,
        ping_interval: float = 5.0,
        subscribe_timeout: float = 5.0,
    ) -> None:
        self.limits = limits or HubLimits()
        self.instance_id = uuid.uuid4().hex[:12]
        self._prefix = prefix
        self._ping_interval = ping_interval
        self._subscribe_timeout = subscribe_timeout
        # from_url's pool has no redis-py default retries, so a refused connection fails fast.
        # RESP2: pub/sub messages arrive as plain replies, not RESP3 pushes that redis-py passes
        # through a handler formatting a debug log line for each one.
        self._client = redis_client(
            url,
            socket_connect_timeout=socket_timeout,
            socket_timeout=socket_timeout,
            protocol=2,
        )
        self._publish_script = self._client.register_script(_PUBLISH)
        self._read_script = self._client.register_script(_READ)
        self._join_script = self._client.register_script(_JOIN)
        self._presence_script = self._client.register_script(_PRESENCE)
        self._fanout = LocalFanout(
            self.limits.subscriber_buffer, on_first=self._on_first, on_last=self._on_last
        )
        # Set by close(). Loops check it besides being cancelled: on Python 3.11 a wait_for inside
        # redis-py can swallow a cancellation that lands as its I/O completes.
        self._stopped = asyncio.Event()
        # The pub/sub link: a task that (re)connects; `_up` while connected; `_attempt_done` once
        # the current connection attempt has an outcome (so subscribers know whether to wait).
        self._link_task: asyncio.Task[None] | None = None
        self._up = asyncio.Event()
        self._attempt_done = asyncio.Event()
        self._commands: asyncio.Queue[_Command] = asyncio.Queue()
        # Per channel: the future its current subscribers wait on, and the SUBSCRIBEs sent but not
        # yet confirmed, oldest first.
        self._ready: dict[str, asyncio.Future[bool]] = {}
        self._confirming: dict[str, deque[asyncio.Future[bool]]] = {}
        # Presence entries this instance made, refreshed until they leave or the hub closes.
        self._joined: dict[tuple[str, str], bytes] = {}
        self._presence_lock = asyncio.Lock()
        self._refresh_task: asyncio.Task[None] | None = None

    # --- keys

    def _key(self, channel: str, part: str) -> str:
        return f"{self._prefix}{{{channel}}}:{part}"

    def _pubsub_name(self, channel: str) -> str:
        return f"{self._prefix}{channel}"

    def _history_keys(self, channel: str) -> list[str]:
        return [self._key(channel, "meta"), self._key(channel, "history")]

    def _presence_keys(self, channel: str) -> list[str]:
        return [self._key(channel, "presence"), self._key(channel, "present")]

    # --- history

    async def publish(self, channel: str, data: dict[str, Any]) -> Publication:
        payload = orjson.dumps(data)
        args: list[EncodableT] = [
            _new_epoch(),
            max(1, self.limits.history_ttl_seconds),
            max(0, self.limits.history_size),
            orjson.dumps(channel),
            payload,
            self._pubsub_name(channel),
        ]
        try:
            epoch, offset = await self._publish_script(keys=self._history_keys(channel), args=args)
        except (RedisError, OSError) as exc:
            raise HubUnavailable() from exc
        return stored_publication(channel, int(offset), _text(epoch), orjson.loads(payload))

    async def _read(
        self, channel: str, mode: str, limit: int | None, since: StreamPosition | None
    ) -> tuple[StreamPosition, int, list[Publication]]:
        args: list[EncodableT] = [
            _new_epoch(),
            max(1, self.limits.history_ttl_seconds),
            mode,
            -1 if limit is None else limit,
            since.offset if since is not None else 0,
            since.epoch if since is not None else "",
        ]
        try:
            epoch, offset, retained, items = await self._read_script(
                keys=self._history_keys(channel), args=args
            )
        except (RedisError, OSError) as exc:
            raise HubUnavailable() from exc
        position = StreamPosition(int(offset), _text(epoch))
        return position, int(retained), [_publication(item) for item in items]

    async def history(
        self, channel: str, *, since: StreamPosition | None = None, limit: int | None = None
    ) -> HistoryPage:
        if since is None:
            position, _, publications = await self._read(channel, "tail", limit, None)
            return HistoryPage(publications, position)
        position, retained, publications = await self._read(channel, "since", limit, since)
        if since.epoch != position.epoch or since.offset > position.offset:
            return HistoryPage([], position, complete=False)
        missed = position.offset - since.offset
        complete = missed <= retained and (limit is None or missed <= limit)
        return HistoryPage(publications if complete else [], position, complete)

    async def position(self, channel: str) -> StreamPosition:
        position, _, _ = await self._read(channel, "position", None, None)
        return position

    # --- live subscriptions

    async def subscribe(self, channel: str) -> QueueSubscription:
        await self._link_ready()
        subscription = self._fanout.add(channel)
        ready = self._ready[channel]
        try:
            # Return only once Redis confirmed the SUBSCRIBE: a history read after this covers
            # everything the subscription will not deliver (what `subscribe_from` relies on).
            async with asyncio.timeout(self._subscribe_timeout):
                subscribed = await asyncio.shield(ready)
        except TimeoutError:
            subscribed = False
        except BaseException:
            subscription.close_nowait("closed")
            raise
        if not subscribed:
            subscription.close_nowait("hub_unavailable")
            raise HubUnavailable()
        return subscription

    def subscriber_count(self, channel: str) -> int:
        return self._fanout.subscriber_count(channel)

    async def _link_ready(self) -> None:
        if self._stopped.is_set():
            raise HubUnavailable("The real-time hub is closed")
        if self._link_task is None:
            self._link_task = asyncio.create_task(self._run_link(), name="realtime-pubsub")
            self._link_task.add_done_callback(self._link_ended)
        if not self._up.is_set() and not self._attempt_done.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._subscribe_timeout):
                    await self._attempt_done.wait()
        if not self._up.is_set():
            raise HubUnavailable()

    def _link_ended(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or self._stopped.is_set():
            return
        error = task.exception()
        log.error("realtime_pubsub_crashed", error=_describe(error) if error else "returned")
        # The next subscribe starts a fresh link rather than failing forever.
        self._link_task = None

    def _on_first(self, channel: str) -> None:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._ready[channel] = future
        if self._stopped.is_set() or not self._up.is_set():
            future.set_result(False)
            return
        self._commands.put_nowait(("SUBSCRIBE", channel, future))

    def _on_last(self, channel: str) -> None:
        if not self._stopped.is_set() and self._up.is_set():
            self._commands.put_nowait(("UNSUBSCRIBE", channel, None))

    def _new_connection(self) -> AbstractConnection:
        pool = self._client.connection_pool
        # Named, so an operator (or a test) can tell which instance holds which connection.
        options = {**pool.connection_kwargs, "client_name": f"{self._prefix}{self.instance_id}"}
        connection: AbstractConnection = pool.connection_class(**options)
        return connection

    async def _run_link(self) -> None:
        loop = asyncio.get_running_loop()
        delay = _RECONNECT_BASE
        while not self._stopped.is_set():
            connection = self._new_connection()
            try:
                await connection.connect()  # type: ignore[no-untyped-call]
            except (RedisError, OSError) as exc:
                await self._discard(connection)
                log.warning("realtime_pubsub_unavailable", error=_describe(exc), retry_in=delay)
                # Subscribers fail fast while Redis is down instead of each waiting for a timeout.
                self._attempt_done.set()
                await self._pause(delay)
                delay = min(delay * 2, _RECONNECT_CAP)
                self._attempt_done.clear()
                continue
            if self._stopped.is_set():
                await self._discard(connection)
                return
            connected_at = loop.time()
            error = await self._serve(connection)
            log.warning("realtime_pubsub_lost", error=error)
            if loop.time() - connected_at >= _HEALTHY_AFTER:
                delay = _RECONNECT_BASE
            await self._pause(delay)
            delay = min(delay * 2, _RECONNECT_CAP)

    async def _serve(self, connection: AbstractConnection) -> str:
        """Run one pub/sub connection until it fails; returns why it ended."""
        self._commands = asyncio.Queue()
        self._up.set()
        self._attempt_done.set()
        reader = asyncio.create_task(self._receive(connection))
        writer = asyncio.create_task(self._send(connection, self._commands))
        try:
            await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._drop_link()
            # Cancelled, told to stop, and with the socket closed under them: each alone ends
            # them, and none can be lost.
            self._commands.put_nowait(None)
            reader.cancel()
            writer.cancel()
            await self._discard(connection)
            results = await asyncio.gather(reader, writer, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                return _describe(result)
        return "closed"

    def _drop_link(self) -> None:
        """Forget the connection's state. Every local subscription ends with "hub_reconnect": what
        was published while the link was down is only in the history, so clients recover from it
        instead of silently missing it."""
        self._up.clear()
        self._attempt_done.clear()
        pending = list(self._ready.values())
        pending += [future for futures in self._confirming.values() for future in futures]
        while not self._commands.empty():
            command = self._commands.get_nowait()
            if command is not None and command[2] is not None:
                pending.append(command[2])
        for future in pending:
            if not future.done():
                future.set_result(False)
        self._ready.clear()
        self._confirming.clear()
        self._fanout.close_all("hub_reconnect")

    async def _send(
        self, connection: AbstractConnection, commands: asyncio.Queue[_Command]
    ) -> None:
        # One writer keeps SUBSCRIBE/UNSUBSCRIBE in the order the fan-out asked for them; an idle
        # link is pinged so a dead connection is noticed by the reader's silence timeout.
        # (asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation.)
        while True:
            try:
                async with asyncio.timeout(self._ping_interval):
                    command = await commands.get()
            except TimeoutError:
                await connection.send_command("PING", check_health=False)
                continue
            if command is None:
                return
            name, channel, future = command
            if future is not None:
                self._confirming.setdefault(channel, deque()).append(future)
            await connection.send_command(name, self._pubsub_name(channel), check_health=False)

    async def _receive(self, connection: AbstractConnection) -> None:
        silence = self._ping_interval * 3
        while True:
            reply = await connection.read_response(timeout=silence)
            if reply is None:
                raise ConnectionError(f"no reply from Redis in {silence:g}s")
            self._on_reply(reply)

    def _on_reply(self, reply: object) -> None:
        if not isinstance(reply, list) or len(reply) < 3:
            return
        kind = _text(reply[0])
        channel = _text(reply[1]).removeprefix(self._prefix)
        if kind == "message":
            ready = self._ready.get(channel)
            if ready is None or not ready.done():
                # Left over from an earlier SUBSCRIBE; the current subscribers are still waiting
                # for theirs, and what they miss before it is in the history.
                return
            try:
                publication = _publication(reply[2])
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("realtime_bad_message", channel=channel, error=_describe(exc))
                return
            self._fanout.deliver(publication)
        elif kind == "subscribe":
            waiting = self._confirming.get(channel)
            if not waiting:
                return
            future = waiting.popleft()
            if not waiting:
                del self._confirming[channel]
            if not future.done():
                future.set_result(True)

    async def _pause(self, seconds: float) -> bool:
        """Sleep, unless the hub closes first; True when it did."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stopped.wait()
        return self._stopped.is_set()

    @staticmethod
    async def _discard(connection: AbstractConnection) -> None:
        with contextlib.suppress(RedisError, OSError):
            await connection.disconnect(nowait=True)

    # --- presence

    async def join(self, channel: str, client_id: str, info: dict[str, Any]) -> None:
        payload = orjson.dumps(info)
        async with self._presence_lock:
            try:
                await self._join_script(
                    keys=self._presence_keys(channel),
                    args=[self._presence_ttl_ms, client_id, payload],
                )
            except (RedisError, OSError) as exc:
                raise HubUnavailable() from exc
            self._joined[(channel, client_id)] = payload
        if self._refresh_task is None and not self._stopped.is_set():
            self._refresh_task = asyncio.create_task(
                self._refresh_presence(), name="realtime-presence"
            )

    async def leave(self, channel: str, client_id: str) -> None:
        """Remove the entry. When Redis is down this only logs: the entry, no longer refreshed,
        expires within the presence TTL."""
        async with self._presence_lock:
            self._joined.pop((channel, client_id), None)
            presence, present = self._presence_keys(channel)
            try:
                async with self._client.pipeline(transaction=True) as pipe:
                    pipe.hdel(presence, client_id)
                    pipe.zrem(present, client_id)
                    await pipe.execute()
            except (RedisError, OSError) as exc:
                log.warning("realtime_leave_failed", channel=channel, error=_describe(exc))

    async def presence(self, channel: str) -> dict[str, dict[str, Any]]:
        try:
            flat = await self._presence_script(keys=self._presence_keys(channel))
        except (RedisError, OSError) as exc:
            raise HubUnavailable() from exc
        members: dict[str, dict[str, Any]] = {}
        for client_id, info in zip(flat[::2], flat[1::2], strict=True):
            members[_text(client_id)] = orjson.loads(info)
        return members

    @property
    def _presence_ttl_ms(self) -> int:
        return max(1, round(self.limits.presence_ttl_seconds * 1000))

    async def _refresh_presence(self) -> None:
        # Three refreshes per TTL: an entry survives one lost refresh, and disappears within the
        # TTL once its instance is gone.
        interval = max(0.05, self.limits.presence_ttl_seconds / 3)
        while not await self._pause(interval):
            async with self._presence_lock:
                if not self._joined:
                    continue
                try:
                    async with self._client.pipeline(transaction=False) as pipe:
                        for (channel, client_id), payload in self._joined.items():
                            await self._join_script(
                                keys=self._presence_keys(channel),
                                args=[self._presence_ttl_ms, client_id, payload],
                                client=pipe,
                            )
                        await pipe.execute()
                except (RedisError, OSError) as exc:
                    log.warning("realtime_presence_refresh_failed", error=_describe(exc))

    # --- lifecycle

    async def close(self) -> None:
        """End every subscription (reason "hub_closed") and stop refreshing presence; entries this
        instance joined and did not leave expire within the presence TTL."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._fanout.close_all("hub_closed")
        self._commands.put_nowait(None)
        tasks = [task for task in (self._link_task, self._refresh_task) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._client.aclose()
