"""The composition root both runners share: given the settings and the services to run, it builds
the process's backends, each service's context and parts, and starts and stops them together. The
embedded platform runs every service behind its gateway; `agora serve` runs one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agora.contracts.accounts import AccountData
from agora.contracts.users import UserDirectory
from agora.entrypoints.wiring import (
    Keys,
    make_bus,
    make_cache,
    make_feed_store,
    make_hub,
    make_keys,
    make_rate_limiter,
    make_session_store,
)
from agora.platform import shutdown
from agora.platform.auth.sessions import SessionStore
from agora.platform.bus.base import EventBus
from agora.platform.cache.base import Cache
from agora.platform.cache.namespaced import NamespacedCache
from agora.platform.clock import Clock, SystemClock
from agora.platform.config import Settings
from agora.platform.db import Database, ensure_database
from agora.platform.feeds import FeedStore
from agora.platform.ratelimit import RateLimiter
from agora.platform.realtime.base import Hub
from agora.platform.realtime.sockets import LiveSockets
from agora.platform.service import ServiceContext, ServiceRuntime, ServiceSpec


@dataclass
class Composition:
    """The services of one process and the backends they share."""

    settings: Settings
    clock: Clock
    keys: Keys
    bus: EventBus
    cache: Cache
    rate_limiter: RateLimiter
    hub: Hub
    feeds: FeedStore
    sessions: SessionStore
    sockets: LiveSockets
    databases: dict[str, Database]
    # Databases of services that do not run here but are read by one that does (the warehouse's
    # sources in the cluster topology).
    source_databases: dict[str, Database]
    runtimes: dict[str, ServiceRuntime]
    # The users service's own directory when it runs here: the one a cluster node serves over gRPC.
    local_directory: UserDirectory | None

    async def migrate(self) -> None:
        for runtime in self.runtimes.values():
            await runtime.migrate()

    async def start(self, *, migrate: bool = True, create_databases: bool = False) -> None:
        """Create (PostgreSQL) and migrate the databases if asked, then subscribe every consumer
        before the bus starts, then relay outboxes and run jobs."""
        if create_databases:
            for database in self.databases.values():
                await ensure_database(database.url)
        if migrate:
            await self.migrate()
        await self.sessions.start()
        for runtime in self.runtimes.values():
            runtime.attach_consumer()
        await self.bus.start()
        for runtime in self.runtimes.values():
            await runtime.start()

    async def stop(self) -> None:
        """Stop the services before the backends they use, and close the databases last."""
        for name, runtime in self.runtimes.items():
            await shutdown.step(f"{name} runtime", runtime.stop())
        await shutdown.step("bus", self.bus.stop())
        await shutdown.step("hub", self.hub.close())
        await shutdown.step("cache", self.cache.close())
        await shutdown.step("feeds", self.feeds.close())
        await shutdown.step("rate limiter", self.rate_limiter.close())
        await shutdown.step("sessions", self.sessions.close())
        for name, database in {**self.source_databases, **self.databases}.items():
            await shutdown.step(f"{name} database", database.dispose())


def compose(
    settings: Settings,
    specs: Sequence[ServiceSpec],
    *,
    clock: Clock | None = None,
    bus: EventBus | None = None,
    cache: Cache | None = None,
    rate_limiter: RateLimiter | None = None,
    hub: Hub | None = None,
    remote_directory: UserDirectory | None = None,
    remote_account_data: Mapping[str, AccountData] | None = None,
) -> Composition:
    """Build `specs` on the backends the settings choose (or the ones given, e.g. by tests).

    Services that need a `UserDirectory` get the users service's own when it runs in this process,
    else `remote_directory` (the cluster's gRPC client), else none. The users service (the saga
    coordinator) gets every service's `AccountData`: the in-process one of each service built
    here, else the remote one given (the cluster's HTTP client through discovery).
    """
    the_clock = clock or SystemClock()
    keys = make_keys(settings, the_clock)
    the_bus = bus or make_bus(settings)
    the_cache = cache or make_cache(settings, the_clock)
    the_rate_limiter = rate_limiter or make_rate_limiter(settings)
    the_hub = hub or make_hub(settings)
    feeds = make_feed_store(settings)
    sessions = make_session_store(settings)
    sockets = LiveSockets(sessions, per_user=settings.live_sockets_per_user)
    databases = {
        spec.name: Database(
            settings.database_url_for(spec.name),
            service=spec.name,
            echo=settings.database_echo,
            read_url=settings.database_read_url_for(spec.name),
        )
        for spec in specs
    }
    local_directory: UserDirectory | None = None
    if "users" in databases:
        # Imported here: a build without the users service has no such module.
        from agora.services.users.directory import LocalUserDirectory

        local_directory = LocalUserDirectory(databases["users"])
    # A service that reads others' databases (the warehouse) reads those of the services this
    # platform runs: the same engine when they run in this process, an engine of its own otherwise
    # (on the replicas when the cluster has them).
    source_databases: dict[str, Database] = {}
    for spec in specs:
        for name in spec.reads:
            if name in settings.services and name not in databases:
                # Only read: from a replica where there is one (`--ha`), never the primary's load.
                url = settings.database_read_url_for(name) or settings.database_url_for(name)
                source_databases.setdefault(name, Database(url, service=name))
    directory = local_directory if local_directory is not None else remote_directory
    runtimes: dict[str, ServiceRuntime] = {}
    account_data: dict[str, AccountData] = dict(remote_account_data or {})
    for spec in specs:
        ctx = ServiceContext(
            name=spec.name,
            settings=settings,
            database=databases[spec.name],
            bus=the_bus,
            cache=NamespacedCache(the_cache, spec.name),
            rate_limiter=the_rate_limiter,
            verifier=keys.verifier,
            clock=the_clock,
            hub=the_hub,
            user_directory=directory,
            token_issuer=keys.issuer if spec.name == "users" else None,
            feeds=feeds,
            sources={
                name: databases.get(name) or source_databases[name]
                for name in spec.reads
                if name in databases or name in source_databases
            },
            account_data=account_data,
            sessions=sessions,
            sockets=sockets,
        )
        runtimes[spec.name] = ServiceRuntime(spec, ctx)
        local = runtimes[spec.name].parts.account_data
        if local is not None:
            account_data[spec.name] = local
    return Composition(
        settings=settings,
        clock=the_clock,
        keys=keys,
        bus=the_bus,
        cache=the_cache,
        rate_limiter=the_rate_limiter,
        hub=the_hub,
        feeds=feeds,
        sessions=sessions,
        sockets=sockets,
        databases=databases,
        source_databases=source_databases,
        runtimes=runtimes,
        local_directory=local_directory,
    )
