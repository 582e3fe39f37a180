"""Backends by settings: which bus, cache, rate limiter and keys a process gets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agora.platform.auth.keys import ensure_keypair, load_private_key, load_public_key
from agora.platform.auth.redis_sessions import RedisSessionStore
from agora.platform.auth.sessions import MemorySessionStore, SessionStore
from agora.platform.auth.tokens import TokenIssuer, TokenVerifier
from agora.platform.bus.base import EventBus
from agora.platform.bus.memory import InMemoryBus
from agora.platform.bus.redis import RedisStreamBus
from agora.platform.cache.base import Cache
from agora.platform.cache.memory import MemoryCache
from agora.platform.cache.redis import RedisCache
from agora.platform.cache.ring import RingCache
from agora.platform.clock import Clock
from agora.platform.config import Settings, Topology
from agora.platform.feeds import FeedStore, MemoryFeedStore
from agora.platform.feeds.redis import RedisFeedStore
from agora.platform.ratelimit import RateLimiter
from agora.platform.ratelimit_backends import MemoryRateLimiter, RedisRateLimiter
from agora.platform.realtime.base import Hub
from agora.platform.realtime.memory import MemoryHub


@dataclass(frozen=True)
class Keys:
    verifier: TokenVerifier
    issuer: TokenIssuer | None


def make_keys(settings: Settings, clock: Clock) -> Keys:
    """The verifier every service needs, and the issuer if this process holds the private key."""
    private_path, public_path = settings.jwt_private_key_file, settings.jwt_public_key_file
    if public_path is None and settings.topology is Topology.EMBEDDED:
        private_path, public_path = ensure_keypair(settings.keys_dir)
    if public_path is None:
        raise RuntimeError("no JWT public key configured (AGORA_JWT_PUBLIC_KEY_FILE)")
    verifier = TokenVerifier(
        load_public_key(public_path),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        clock=clock,
    )
    issuer = None
    if private_path is not None:
        issuer = TokenIssuer(
            load_private_key(private_path),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            clock=clock,
            access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
            refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
        )
    return Keys(verifier=verifier, issuer=issuer)


def make_bus(settings: Settings) -> EventBus:
    if settings.bus_backend == "redis":
        return RedisStreamBus(settings.redis_url, prefix=settings.redis_prefix)
    return InMemoryBus()


def make_cache(settings: Settings, clock: Clock) -> Cache:
    """In process; one Redis; or several Redis nodes behind a consistent-hash ring."""
    if settings.cache_backend == "redis":
        prefix = f"{settings.redis_prefix}cache:"
        nodes = settings.cache_redis_urls or [settings.redis_url]
        if len(nodes) > 1:
            return RingCache(nodes, prefix=prefix, clock=clock)
        return RedisCache(nodes[0], prefix=prefix)
    return MemoryCache(max_entries=settings.cache_max_entries, clock=clock)


def make_hub(settings: Settings) -> Hub:
    if settings.realtime_backend == "redis":
        from agora.platform.realtime.redis import RedisHub

        return RedisHub(settings.redis_url, prefix=f"{settings.redis_prefix}rt:")
    return MemoryHub()


def make_feed_store(settings: Settings) -> FeedStore:
    if settings.cache_backend == "memory":
        return MemoryFeedStore()
    return RedisFeedStore(settings.redis_url, prefix=f"{settings.redis_prefix}feeds:")


def make_rate_limiter(settings: Settings) -> RateLimiter:
    if settings.topology is Topology.CLUSTER:
        return RedisRateLimiter(settings.redis_url, prefix=f"{settings.redis_prefix}rl:")
    return MemoryRateLimiter()


def make_session_store(settings: Settings) -> SessionStore:
    """Where ended sessions are recorded: shared by every process that shares the Redis."""
    if settings.topology is Topology.CLUSTER:
        return RedisSessionStore(settings.redis_url, prefix=settings.redis_prefix)
    return MemorySessionStore()
