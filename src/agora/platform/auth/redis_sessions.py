"""The cluster's `SessionStore`: one Redis hash per user that has ever had sessions ended, cached
in each process and invalidated by Redis pub/sub.

`{prefix}sess:<user id>` holds `v` (the session version) and `f:<family>` (unix time after which the
ended family can be forgotten); `{prefix}ticket:<ticket>` holds a socket ticket's principal
(JSON) until it is spent (GETDEL: atomic, so one socket only) or expires. A change publishes the
user id on `{prefix}sess`; every process drops its cached entry and tells its watchers (live
sockets). While the subscription is down, nothing is cached (every check reads Redis), so a missed
message cannot keep a stale entry alive; cached entries also expire after `cache_seconds` as a
second bound.

If Redis cannot be reached, a check uses the last entry it saw, or admits the token (which still
passed its signature and expiry checks): the outage is logged, and ends with the token's 15
minutes. Ending sessions while Redis is down fails with 503, so the change is not lost silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

import structlog
from redis.exceptions import RedisError

from agora.platform.auth.principal import Principal
from agora.platform.auth.sessions import TICKET_SECONDS, SessionsChanged, UserSessions, new_ticket
from agora.platform.errors import ServiceUnavailable
from agora.platform.redis_connect import redis_client, redis_client_with_pool

log = structlog.get_logger("agora.auth.sessions")

_RAISE = """
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if tonumber(ARGV[1]) > current then
  redis.call('HSET', KEYS[1], 'v', ARGV[1])
  redis.call('PUBLISH', KEYS[2], ARGV[2])
end
return current
"""
# Forget ended families that expired, record this one, tell every process.
_END_FAMILY = """
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, 2) == 'f:' and tonumber(fields[i + 1]) <= tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], fields[i])
  end
end
redis.call('HSET', KEYS[1], 'f:' .. ARGV[2], ARGV[3])
redis.call('PUBLISH', KEYS[2], ARGV[4])
return 1
"""
_WARN_INTERVAL = 10.0
_CACHE_ENTRIES = 100_000


class RedisSessionStore:
    """A `SessionStore` shared by every process on the same Redis and prefix."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "agora:",
        cache_seconds: float = 30.0,
        socket_timeout: float = 0.5,
    ) -> None:
        self._url = url
        self._prefix = f"{prefix}sess:"
        self._ticket_prefix = f"{prefix}ticket:"
        self._channel = f"{prefix}sess"
        self._cache_seconds = cache_seconds
        # Checks queue for a connection under load instead of failing ("Too many connections").
        # (One server or a Sentinel-managed group: `platform.redis_connect`.)
        self._client = redis_client_with_pool(
            url,
            max_connections=64,
            pool_timeout=socket_timeout * 10,
            socket_connect_timeout=socket_timeout,
            socket_timeout=socket_timeout,
        )
        # Pub/sub waits for messages indefinitely: its own client, without the read timeout,
        # pinged so a dead connection is noticed (RESP2: messages as plain replies).
        self._subscriber = redis_client(
            url, socket_connect_timeout=socket_timeout, health_check_interval=15, protocol=2
        )
        self._raise = self._client.register_script(_RAISE)
        self._end_family = self._client.register_script(_END_FAMILY)
        self._stopped = False
        self._cache: dict[int, tuple[UserSessions, float]] = {}
        self._watchers: list[SessionsChanged] = []
        self._listening = False
        self._listener: asyncio.Task[None] | None = None
        self._last_warning = float("-inf")

    def _key(self, user_id: int) -> str:
        return f"{self._prefix}{user_id}"

    def _warn(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning >= _WARN_INTERVAL:
            self._last_warning = now
            log.warning("sessions_store_unavailable", operation=operation, error=repr(exc))

    async def get(self, user_id: int) -> UserSessions:
        cached = self._cache.get(user_id)
        if (
            cached is not None
            and self._listening
            and time.monotonic() - cached[1] < self._cache_seconds
        ):
            return cached[0]
        try:
            raw = await self._client.hgetall(self._key(user_id))
        except (RedisError, OSError) as exc:
            self._warn("get", exc)
            return cached[0] if cached is not None else UserSessions()
        state = _parse(raw, time.time())
        if self._listening:
            if len(self._cache) >= _CACHE_ENTRIES:
                self._cache.clear()  # rare, and only costs a read per user to refill
            self._cache[user_id] = (state, time.monotonic())
        return state

    def _changed(self, user_id: int) -> None:
        self._cache.pop(user_id, None)
        for callback in self._watchers:
            callback(user_id)

    async def raise_version(self, user_id: int, version: int) -> None:
        try:
            await self._raise(keys=[self._key(user_id), self._channel], args=[version, user_id])
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable(
                "Sessions cannot be ended right now; try again", retry_after=2
            ) from exc
        self._cache.pop(user_id, None)

    async def end_family(self, user_id: int, family: str, *, ttl_seconds: int) -> None:
        now = time.time()
        try:
            await self._end_family(
                keys=[self._key(user_id), self._channel],
                args=[now, family, now + ttl_seconds, user_id],
            )
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable(
                "Sessions cannot be ended right now; try again", retry_after=2
            ) from exc
        self._cache.pop(user_id, None)

    async def issue_ticket(self, principal: Principal, *, ttl_seconds: int = TICKET_SECONDS) -> str:
        ticket = new_ticket()
        claims = {
            "id": principal.user_id,
            "name": principal.username,
            "role": principal.role,
            "ver": principal.version,
            "fam": principal.family,
        }
        try:
            await self._client.set(
                f"{self._ticket_prefix}{ticket}", json.dumps(claims), ex=ttl_seconds
            )
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("Live updates cannot start right now", retry_after=2) from exc
        return ticket

    async def redeem_ticket(self, ticket: str) -> Principal | None:
        try:
            raw = await self._client.getdel(f"{self._ticket_prefix}{ticket}")
        except (RedisError, OSError) as exc:
            self._warn("redeem_ticket", exc)
            return None
        if raw is None:
            return None
        claims = json.loads(raw)
        return Principal(
            user_id=int(claims["id"]),
            username=str(claims["name"]),
            role=str(claims["role"]),
            version=int(claims["ver"]),
            family=None if claims["fam"] is None else str(claims["fam"]),
        )

    def watch(self, callback: SessionsChanged) -> None:
        self._watchers.append(callback)

    async def start(self) -> None:
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="sessions-listener")

    async def _listen(self) -> None:
        delay = 0.2
        while not self._stopped:
            pubsub = self._subscriber.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                # Whatever was cached before this subscription may have missed a message.
                self._cache.clear()
                self._listening = True
                delay = 0.2
                while not self._stopped:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is None or message.get("type") != "message":
                        continue
                    with contextlib.suppress(ValueError):
                        self._changed(int(message["data"]))
            except (RedisError, OSError) as exc:
                self._warn("subscribe", exc)
            finally:
                self._listening = False
                self._cache.clear()
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def close(self) -> None:
        self._stopped = True
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        await self._client.aclose()
        await self._subscriber.aclose()


def _parse(raw: dict[bytes | str, bytes | str], now: float) -> UserSessions:
    version = 0
    families: set[str] = set()
    for key, value in raw.items():
        name = key.decode() if isinstance(key, bytes) else key
        if name == "v":
            version = int(value)
        elif name.startswith("f:") and float(value) > now:
            families.add(name[2:])
    return UserSessions(version, frozenset(families))
