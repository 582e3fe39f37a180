"""Opening a Redis client from a URL, for every Redis-backed adapter of the kit.

Two shapes of URL:

- `redis://host:port/db` (and `rediss://`, `unix://`): one server, as redis-py reads it;
- `redis+sentinel://host:port,host:port,host:port/MASTER[/db]`: the master that Redis Sentinel
  names `MASTER`, asked from those sentinels. redis-py's `Sentinel` asks again whenever a
  connection is made, and drops connections to a master that has become a replica, so after a
  failover the client finds the promoted replica on its own (the same URL form as the `limits`
  library's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import redis.asyncio as aioredis
from redis.asyncio.sentinel import Sentinel

SENTINEL_SCHEME = "redis+sentinel"


@dataclass(frozen=True)
class SentinelTarget:
    """Where the sentinels are and which master they watch."""

    sentinels: list[tuple[str, int]]
    master: str
    db: int
    password: str | None


def parse_sentinel_url(url: str) -> SentinelTarget | None:
    """The sentinel target of a `redis+sentinel://` URL; None for any other URL."""
    parts = urlsplit(url)
    if parts.scheme != SENTINEL_SCHEME:
        return None
    netloc = parts.netloc.rsplit("@", 1)
    password = None
    if len(netloc) == 2:
        credentials = netloc[0]
        password = unquote(credentials.split(":", 1)[1]) if ":" in credentials else None
    hosts = []
    for item in netloc[-1].split(","):
        host, _, port = item.rpartition(":")
        hosts.append((host or "127.0.0.1", int(port or 26379)))
    path = [p for p in parts.path.split("/") if p]
    if not path:
        raise ValueError(f"{SENTINEL_SCHEME} URL names no master: {SENTINEL_SCHEME}://HOSTS/NAME")
    db = int(path[1]) if len(path) > 1 else 0
    return SentinelTarget(hosts, path[0], db, password)


def redis_client(url: str, **options: Any) -> aioredis.Redis:
    """A client for `url`; `options` are redis-py connection options (timeouts, protocol)."""
    target = parse_sentinel_url(url)
    if target is None:
        return aioredis.Redis.from_url(url, **options)
    timeouts = {
        key: options[key] for key in ("socket_timeout", "socket_connect_timeout") if key in options
    }
    sentinel = Sentinel(target.sentinels, sentinel_kwargs=timeouts)  # type: ignore[no-untyped-call]
    # The connection options apply to the master's connections, not to the sentinels'.
    client: aioredis.Redis = sentinel.master_for(
        target.master, db=target.db, password=target.password, **options
    )
    return client


def redis_client_with_pool(
    url: str, *, max_connections: int, pool_timeout: float, **options: Any
) -> aioredis.Redis:
    """A client whose pool waits up to `pool_timeout` for a free connection (one server), or a
    Sentinel client with `max_connections` (Sentinel's pool does not block)."""
    if parse_sentinel_url(url) is not None:
        return redis_client(url, max_connections=max_connections, **options)
    return aioredis.Redis.from_pool(
        blocking_pool(url, max_connections=max_connections, pool_timeout=pool_timeout, **options)
    )


def blocking_pool(
    url: str, *, max_connections: int, pool_timeout: float, **options: Any
) -> aioredis.BlockingConnectionPool:
    """A pool of one server's connections in which a caller over `max_connections` waits up to
    `pool_timeout` instead of failing: under a flood, queueing is not an outage."""
    return aioredis.BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=pool_timeout, **options
    )


def safe_url(url: str) -> str:
    """The URL without its password, for logs."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()
