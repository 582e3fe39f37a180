"""The cluster composition root of a gateway process: the same route table as embedded, with
proxies to the instances discovery reports as upstreams."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import aiohttp
import structlog
from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp

import agora.contracts.events  # noqa: F401  (registers every event type)
from agora.contracts.base import EVENT_TYPES
from agora.entrypoints.wiring import make_bus, make_cache, make_keys, make_rate_limiter
from agora.gateway.app import create_gateway_app
from agora.gateway.balancer import make_balancer
from agora.gateway.breaker import BreakerBoard
from agora.gateway.observability import requests_router
from agora.gateway.proxy import ServiceProxy, proxy_status
from agora.gateway.ratelimit import WriteRateLimiter
from agora.gateway.response_cache import ResponseCache
from agora.gateway.routes import default_table
from agora.platform.cache.namespaced import NamespacedCache
from agora.platform.clientaddr import TrustedProxies
from agora.platform.clock import Clock, SystemClock
from agora.platform.config import Settings
from agora.platform.discovery import Registration, ServiceWatcher, make_discovery
from agora.platform.ratelimit import RateLimit
from agora.platform.tracing import client_trace_configs
from agora.webui import create_ui_app

log = structlog.get_logger("agora.cluster.gateway")


def _connector() -> aiohttp.TCPConnector:
    return aiohttp.TCPConnector(limit=512, limit_per_host=128, keepalive_timeout=30)


class ClusterGateway:
    """A gateway replica: balances, times out, retries and breaks per instance; shares rate limits
    and the response cache with the other replicas through Redis."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        if not settings.uses_discovery:
            raise ValueError("a cluster gateway needs AGORA_DISCOVERY_URL or AGORA_DISCOVERY=dns")
        self.settings = settings
        self.clock = clock or SystemClock()
        keys = make_keys(settings, self.clock)
        self.discovery = make_discovery(settings)
        self.watcher = ServiceWatcher(self.discovery, settings.services, interval=1.0)
        self.breakers = BreakerBoard(
            self.clock,
            failure_threshold=settings.breaker_failures,
            cooldown_seconds=settings.breaker_cooldown_seconds,
        )
        self._session: aiohttp.ClientSession | None = None
        self._traced_session: aiohttp.ClientSession | None = None
        self.proxies = {
            name: ServiceProxy(
                name,
                partial(self.watcher.get, name),
                session=self.session,
                traced_session=self.traced_session,
                balancer=make_balancer(settings.balancer),
                breakers=self.breakers,
                timeout=settings.upstream_timeout_seconds,
                max_body=settings.max_body_bytes,
                max_frame=settings.max_frame_bytes,
            )
            for name in settings.services
        }
        self.rate_limiter = make_rate_limiter(settings)
        self.cache = make_cache(settings, self.clock)
        self.bus = make_bus(settings)
        self.response_cache = ResponseCache(NamespacedCache(self.cache, "gateway"))
        self.response_cache.subscribe(self.bus, list(EVENT_TYPES))
        self.registration = Registration(
            self.discovery, "gateway", settings.advertise_host, settings.port
        )
        upstreams: dict[str, ASGIApp] = dict(self.proxies)
        self.app: ASGIApp = create_gateway_app(
            table=default_table(),
            upstreams=upstreams,
            service_probe=self.probe,
            openapi_source=self.openapi_documents,
            clock=self.clock,
            topology="cluster",
            write_limiter=WriteRateLimiter(
                self.rate_limiter, keys.verifier, RateLimit(settings.write_rate_per_minute, 60)
            ),
            response_cache=self.response_cache,
            lifespan=self._lifespan,
            ui=create_ui_app(),
            trusted_proxies=TrustedProxies(settings.trusted_proxies),
            max_body_bytes=settings.max_body_bytes,
            extra_routers=[
                self._cluster_router(),
                requests_router(
                    settings.data_dir.resolve(), keys.verifier, slow_ms=settings.slow_request_ms
                ),
            ],
        )

    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("the gateway's HTTP session exists only while it runs")
        return self._session

    def traced_session(self) -> aiohttp.ClientSession:
        """The session of requests in sampled traces: its trace configs make their client spans.
        The other requests go without them, which cost about a tenth of the hop's CPU even when
        they made no span (decision 0047)."""
        return self._traced_session or self.session()

    async def probe(self) -> dict[str, bool]:
        return {name: bool(self.watcher.get(name)) for name in self.proxies}

    async def openapi_documents(self) -> dict[str, dict[str, Any]]:
        documents: dict[str, dict[str, Any]] = {}
        for name in self.proxies:
            for instance in self.watcher.get(name)[:1]:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with self.session().get(
                        f"{instance.base_url}/openapi.json",
                        timeout=aiohttp.ClientTimeout(total=5),
                    ) as response:
                        documents[name] = await response.json()
        return documents

    def _cluster_router(self) -> APIRouter:
        router = APIRouter()

        @router.get("/cluster", include_in_schema=False)
        async def cluster() -> dict[str, Any]:
            instance = self.registration.instance
            return {
                "gateway": instance.id if instance else None,
                "balancer": self.settings.balancer,
                "services": proxy_status(self.proxies),
            }

        return router

    @contextlib.asynccontextmanager
    async def _lifespan(self, _: FastAPI) -> AsyncIterator[None]:
        self._session = aiohttp.ClientSession(connector=_connector())
        trace_configs = client_trace_configs()
        if trace_configs:
            self._traced_session = aiohttp.ClientSession(
                connector=_connector(), trace_configs=trace_configs
            )
        await self.watcher.start()
        await self.bus.start()
        await self.registration.start()
        log.info("gateway_started", port=self.settings.port)
        try:
            yield
        finally:
            await self.registration.stop()
            await self.bus.stop()
            await self.watcher.stop()
            await self._session.close()
            if self._traced_session is not None:
                await self._traced_session.close()
            await self.cache.close()
            await self.rate_limiter.close()
            await self.discovery.close()
