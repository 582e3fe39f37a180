"""The one-service composition root behind `agora serve SERVICE`: the service's own app, no
gateway."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from agora.contracts.users import UserDirectory
from agora.entrypoints.cluster_node import ClusterNode
from agora.entrypoints.registry import exists, load_spec
from agora.entrypoints.wiring import (
    make_bus,
    make_cache,
    make_feed_store,
    make_hub,
    make_keys,
    make_rate_limiter,
)
from agora.platform import shutdown
from agora.platform.cache.namespaced import NamespacedCache
from agora.platform.clock import SystemClock
from agora.platform.config import Settings
from agora.platform.db import Database, ensure_database
from agora.platform.service import ServiceContext, ServiceRuntime

log = structlog.get_logger("agora.serve")


class ServiceHost:
    """One service in its own process, running its own lifespan around the service app."""

    def __init__(self, settings: Settings, name: str) -> None:
        if not exists(name):
            raise SystemExit(f"the {name} service is not part of this build")
        spec = load_spec(name)
        self.clock = SystemClock()
        keys = make_keys(settings, self.clock)
        self.bus = make_bus(settings)
        self.cache = make_cache(settings, self.clock)
        self.rate_limiter = make_rate_limiter(settings)
        self.hub = make_hub(settings)
        self.feeds = make_feed_store(settings)
        self.database = Database(settings.database_url_for(name), service=name)
        self.node = ClusterNode(settings, name) if settings.uses_discovery else None
        directory: UserDirectory | None = self.node.directory() if self.node else None
        self.local_directory: UserDirectory | None = None
        if name == "users":
            from agora.services.users.directory import LocalUserDirectory

            directory = self.local_directory = LocalUserDirectory(self.database)
        ctx = ServiceContext(
            name=name,
            settings=settings,
            database=self.database,
            bus=self.bus,
            cache=NamespacedCache(self.cache, name),
            rate_limiter=self.rate_limiter,
            verifier=keys.verifier,
            clock=self.clock,
            hub=self.hub,
            user_directory=directory,
            token_issuer=keys.issuer if name == "users" else None,
            feeds=self.feeds,
        )
        self.runtime = ServiceRuntime(spec, ctx)
        self.app: ASGIApp = _WithLifespan(self.runtime.app, self._lifespan)

    @contextlib.asynccontextmanager
    async def _lifespan(self) -> AsyncIterator[None]:
        await ensure_database(self.database.url)
        await self.runtime.migrate()
        self.runtime.attach_consumer()
        await self.bus.start()
        await self.runtime.start()
        if self.node is not None:
            await self.node.start(self.local_directory)
        log.info("service_started", service=self.runtime.name)
        try:
            yield
        finally:
            if self.node is not None:
                # Leave discovery first: no new requests arrive while the rest stops.
                await shutdown.step("discovery", self.node.stop())
            await shutdown.step("runtime", self.runtime.stop())
            await shutdown.step("bus", self.bus.stop())
            await shutdown.step("hub", self.hub.close())
            await shutdown.step("cache", self.cache.close())
            await shutdown.step("feeds", self.feeds.close())
            await shutdown.step("rate limiter", self.rate_limiter.close())
            await shutdown.step("database", self.database.dispose())


class _WithLifespan:
    """Answers ASGI lifespan events with a context manager and passes everything else to `app`."""

    def __init__(
        self, app: ASGIApp, lifespan: Callable[[], contextlib.AbstractAsyncContextManager[None]]
    ) -> None:
        self.app = app
        self.lifespan = lifespan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        manager = self.lifespan()
        await receive()  # lifespan.startup
        try:
            await manager.__aenter__()
        except Exception as exc:
            log.exception("startup_failed")
            await send({"type": "lifespan.startup.failed", "message": str(exc)})
            return
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        await manager.__aexit__(None, None, None)
        await send({"type": "lifespan.shutdown.complete"})
