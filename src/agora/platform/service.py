"""How a service is described (`ServiceSpec`), what it is given (`ServiceContext`), and how it runs
(`ServiceRuntime`). A composition root builds the context; the service never knows which topology it
is in.

A service package exposes `SPEC` in its `app.py`:

    SPEC = ServiceSpec(name="users", title="Users", metadata=Base.metadata,
                       migrations=Path(__file__).parent / "migrations", build=build)

where `build(ctx) -> ServiceParts` creates the FastAPI app, the event consumer and background jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import structlog
from fastapi import FastAPI
from sqlalchemy import MetaData, Table

from agora.contracts.accounts import AccountData
from agora.contracts.users import UserDirectory
from agora.platform import migrations
from agora.platform.auth.sessions import MemorySessionStore, SessionStore
from agora.platform.auth.tokens import TokenIssuer, TokenVerifier
from agora.platform.bus.base import EventBus
from agora.platform.bus.inbox import Consumer
from agora.platform.bus.outbox import OutboxRelay, use_outbox
from agora.platform.cache.base import Cache
from agora.platform.clientaddr import TrustedProxies
from agora.platform.clock import Clock
from agora.platform.config import Settings
from agora.platform.db import Database
from agora.platform.deps import HUB, SESSIONS, provide, provide_as
from agora.platform.feeds import FeedStore, MemoryFeedStore
from agora.platform.ratelimit import RateLimiter
from agora.platform.realtime.base import Hub
from agora.platform.realtime.sockets import LiveSockets
from agora.platform.sagas.remote import mount_account_data

log = structlog.get_logger("agora.service")

Job = Callable[[], Awaitable[None]]


class Lifecycle(Protocol):
    """Something a service starts with its runtime and stops with it."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class ServiceContext:
    """Everything a service gets from its composition root."""

    name: str
    settings: Settings
    database: Database
    bus: EventBus
    cache: Cache
    rate_limiter: RateLimiter
    verifier: TokenVerifier
    clock: Clock
    hub: Hub
    user_directory: UserDirectory | None = None
    token_issuer: TokenIssuer | None = None
    feeds: FeedStore = field(default_factory=MemoryFeedStore)
    # Other services' databases this service reads by table name (the warehouse's ETL sources).
    sources: dict[str, Database] = field(default_factory=dict)
    # Every service's `AccountData`, by service name, for the saga coordinator (the users
    # service): filled by the composition root as services are built, in process or remote.
    account_data: dict[str, AccountData] = field(default_factory=dict)
    # Which tokens are still in force, and the live sockets of this process (one of each per
    # process, shared by its services).
    sessions: SessionStore = field(default_factory=MemorySessionStore)
    sockets: LiveSockets | None = None

    def __post_init__(self) -> None:
        if self.sockets is None:
            self.sockets = LiveSockets(self.sessions)

    def require_directory(self) -> UserDirectory:
        if self.user_directory is None:
            raise RuntimeError(f"{self.name} needs a UserDirectory and none was wired")
        return self.user_directory


@dataclass
class ServiceParts:
    """What `build` returns: the app, the event consumer, and long-running jobs."""

    app: FastAPI
    consumer: Consumer | None = None
    jobs: list[Job] = field(default_factory=list)
    # The service's part in the account sagas, served in process and on its internal endpoint.
    account_data: AccountData | None = None
    # Started after the database is migrated, stopped before it closes (the saga engine).
    lifecycle: list[Lifecycle] = field(default_factory=list)


@dataclass(frozen=True)
class ServiceSpec:
    """A service as the composition root sees it."""

    name: str
    title: str
    metadata: MetaData
    migrations: Path
    build: Callable[[ServiceContext], ServiceParts]
    # Services whose databases this one reads (read-only, by table name), when they run.
    reads: tuple[str, ...] = ()


class ServiceRuntime:
    """One running service: app, database, outbox relay, consumer and jobs, started and stopped
    together."""

    def __init__(self, spec: ServiceSpec, ctx: ServiceContext) -> None:
        self.spec = spec
        self.ctx = ctx
        self.name = spec.name
        self.database = ctx.database
        outbox: Table = spec.metadata.tables["outbox"]
        self.relay = OutboxRelay(ctx.database, outbox, ctx.bus)
        use_outbox(ctx.database, outbox, self.relay, ctx.clock)
        self.parts = spec.build(ctx)
        self.app = self.parts.app
        provide(
            self.app,
            ctx.database,
            ctx.verifier,
            ctx.sockets,
            TrustedProxies(ctx.settings.trusted_proxies),
        )
        provide_as(self.app, HUB, ctx.hub)
        if self.parts.account_data is not None:
            mount_account_data(self.app, self.parts.account_data, ctx.verifier)
        provide_as(self.app, SESSIONS, ctx.sessions)
        self.app.state.max_body_bytes = ctx.settings.max_body_bytes
        self._tasks: list[asyncio.Task[None]] = []

    def attach_consumer(self) -> None:
        """Subscribe the service's consumer group; call before the bus starts."""
        if self.parts.consumer is not None:
            self.parts.consumer.attach(self.ctx.bus)

    async def migrate(self) -> None:
        await migrations.upgrade(self.database, self.spec.migrations)

    async def start(self) -> None:
        """Start relaying events and running jobs (the database must be migrated)."""
        self.relay.start()
        for part in self.parts.lifecycle:
            await part.start()
        for job in self.parts.jobs:
            self._tasks.append(asyncio.create_task(self._guard(job), name=f"{self.name}-job"))

    async def _guard(self, job: Job) -> None:
        while True:
            try:
                await job()
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job_crashed_restarting", service=self.name)
                await asyncio.sleep(1.0)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        for part in reversed(self.parts.lifecycle):
            await part.stop()
        await self.relay.stop()

    async def healthy(self) -> bool:
        return await self.database.ping()
