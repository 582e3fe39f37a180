"""The one-service composition root behind `agora serve SERVICE`: the service's own app, no
gateway."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from agora.entrypoints.cluster_node import ClusterNode
from agora.entrypoints.composition import compose
from agora.entrypoints.registry import exists, load_spec
from agora.platform import shutdown
from agora.platform.config import Settings

log = structlog.get_logger("agora.serve")


class ServiceHost:
    """One service in its own process, running its own lifespan around the service app."""

    def __init__(self, settings: Settings, name: str, *, shared_port: int | None = None) -> None:
        if not exists(name):
            raise SystemExit(f"the {name} service is not part of this build")
        self.node = (
            ClusterNode(settings, name, shared_port=shared_port)
            if settings.uses_discovery
            else None
        )
        self.composition = compose(
            settings,
            [load_spec(name)],
            remote_directory=self.node.directory() if self.node is not None else None,
            remote_account_data=self.node.account_data() if self.node is not None else None,
        )
        self.runtime = self.composition.runtimes[name]
        if self.node is not None:
            self.node.issuer = self.composition.keys.issuer
        self.app: ASGIApp = _WithLifespan(self.runtime.app, self._lifespan)

    @contextlib.asynccontextmanager
    async def _lifespan(self) -> AsyncIterator[None]:
        await self.composition.start(create_databases=True)
        if self.node is not None:
            await self.node.start(self.composition.local_directory)
        log.info("service_started", service=self.runtime.name)
        try:
            yield
        finally:
            if self.node is not None:
                # Leave discovery first: no new requests arrive while the rest stops.
                await shutdown.step("discovery", self.node.stop())
            await self.composition.stop()


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
