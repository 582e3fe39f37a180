"""The embedded composition root: the gateway and every service in one process, no servers
needed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import structlog
from fastapi import FastAPI
from starlette.types import ASGIApp

import agora.contracts.events  # noqa: F401  (registers every event type)
from agora.contracts.base import EVENT_TYPES
from agora.entrypoints.composition import compose
from agora.entrypoints.demo import DemoAccount, seed_demo
from agora.entrypoints.registry import available_specs
from agora.gateway.app import create_gateway_app
from agora.gateway.observability import requests_router
from agora.gateway.ratelimit import WriteRateLimiter
from agora.gateway.response_cache import ResponseCache
from agora.gateway.routes import default_table
from agora.platform.bus.base import EventBus
from agora.platform.cache.base import Cache
from agora.platform.cache.namespaced import NamespacedCache
from agora.platform.clientaddr import TrustedProxies
from agora.platform.clock import Clock
from agora.platform.config import Settings
from agora.platform.db import prompt_thread_handoffs
from agora.platform.http import InProcessService
from agora.platform.ratelimit import RateLimit, RateLimiter
from agora.platform.realtime.base import Hub
from agora.webui import create_ui_app

log = structlog.get_logger("agora.platform")


class Platform:
    """Every built service, wired to in-process (or configured) backends, behind one gateway app."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        bus: EventBus | None = None,
        cache: Cache | None = None,
        rate_limiter: RateLimiter | None = None,
        hub: Hub | None = None,
        on_started: Callable[[Platform], None] | None = None,
    ) -> None:
        self.settings = settings
        # Services here normally keep their databases in SQLite files, behind aiosqlite's threads.
        prompt_thread_handoffs()
        self._composition = compose(
            settings,
            available_specs(settings.services),
            clock=clock,
            bus=bus,
            cache=cache,
            rate_limiter=rate_limiter,
            hub=hub,
        )
        self.clock = self._composition.clock
        self.verifier = self._composition.keys.verifier
        self.bus = self._composition.bus
        self.cache = self._composition.cache
        self.rate_limiter = self._composition.rate_limiter
        self.hub = self._composition.hub
        self.feeds = self._composition.feeds
        self.databases = self._composition.databases
        self.runtimes = self._composition.runtimes
        self._on_started = on_started
        self.table = default_table()
        self.has_ui = True
        self.demo_accounts: list[DemoAccount] | None = None
        self.response_cache = ResponseCache(NamespacedCache(self.cache, "gateway"))
        self.response_cache.subscribe(self.bus, list(EVENT_TYPES))
        self.app: ASGIApp = create_gateway_app(
            table=self.table,
            # Each service's routes without a second middleware stack (decision 0029).
            upstreams={
                name: InProcessService(runtime.app) for name, runtime in self.runtimes.items()
            },
            service_probe=self.probe,
            openapi_source=self.openapi_documents,
            clock=self.clock,
            topology=settings.topology.value,
            write_limiter=WriteRateLimiter(
                self.rate_limiter, self.verifier, RateLimit(settings.write_rate_per_minute, 60)
            ),
            response_cache=self.response_cache,
            lifespan=self._lifespan,
            ui=create_ui_app(),
            trusted_proxies=TrustedProxies(settings.trusted_proxies),
            max_body_bytes=settings.max_body_bytes,
            extra_routers=[
                requests_router(
                    settings.data_dir.resolve(), self.verifier, slow_ms=settings.slow_request_ms
                )
            ],
        )

    async def migrate(self) -> None:
        await self._composition.migrate()

    async def start(self, *, migrate: bool = True) -> None:
        await self._composition.start(migrate=migrate)
        log.info("platform_started", services=sorted(self.runtimes))
        if self.settings.demo_content:
            try:
                self.demo_accounts = await seed_demo(self)
            except Exception:
                # A demo that cannot be seeded must not keep the platform from starting.
                log.exception("demo_content_failed")
        if self._on_started is not None:
            self._on_started(self)

    async def stop(self) -> None:
        await self._composition.stop()
        log.info("platform_stopped")

    async def probe(self) -> dict[str, bool]:
        return {name: await runtime.healthy() for name, runtime in self.runtimes.items()}

    async def openapi_documents(self) -> dict[str, dict[str, Any]]:
        return {name: runtime.app.openapi() for name, runtime in self.runtimes.items()}

    async def settle(self, within: float = 10.0) -> None:
        """Relay every outbox and handle every event, until nothing moves (tests, demo seeding)."""

        async def _quiet() -> None:
            while True:
                moved = 0
                for runtime in self.runtimes.values():
                    moved += await runtime.relay.relay_once()
                drain = getattr(self.bus, "drain", None)
                if drain is not None:
                    await drain()
                if moved == 0:
                    return

        await asyncio.wait_for(_quiet(), within)

    @contextlib.asynccontextmanager
    async def _lifespan(self, _: FastAPI) -> AsyncIterator[None]:
        await self.start()
        try:
            yield
        finally:
            await self.stop()
