"""A running embedded platform on fresh databases, and an HTTP client that talks to its gateway."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import httpx

from agora.entrypoints.embedded import Platform
from agora.entrypoints.registry import available_specs
from agora.platform.clock import Clock
from agora.platform.config import Settings
from tests.support.databases import DatabaseFactory

# argon2id still, at a cost that keeps a suite of hundreds of logins fast.
FAST_HASHING: dict[str, Any] = {
    "argon2_time_cost": 1,
    "argon2_memory_kib": 1024,
    "argon2_parallelism": 1,
}


def make_settings(
    tmp_path: Path, urls: dict[str, str], services: Sequence[str], **overrides: Any
) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "services": list(services),
        "database_urls": urls,
        "write_rate_per_minute": 100_000,
        "demo_content": False,
        "sports_feed": False,
        **FAST_HASHING,
        **overrides,
    }
    return Settings(**values)


@contextlib.asynccontextmanager
async def running_platform(
    factory: DatabaseFactory,
    backend: str,
    tmp_path: Path,
    *,
    services: Sequence[str] = ("users",),
    clock: Clock | None = None,
    **overrides: Any,
) -> AsyncIterator[Platform]:
    """Fresh migrated databases for `services`, a started platform, and cleanup afterwards."""
    specs = available_specs(services)
    urls = {spec.name: await factory.create(backend, spec.name, spec.migrations) for spec in specs}
    settings = make_settings(tmp_path, urls, services, **overrides)
    platform = Platform(settings, clock=clock)
    await platform.start(migrate=False)
    try:
        yield platform
    finally:
        await platform.stop()
        for url in urls.values():
            await factory.drop(url)
        if "users" in urls:
            # The saga engine's system database beside the users database.
            await factory.drop(settings.saga_database())


def client_for(
    platform: Platform, *, client: tuple[str, int] = ("127.0.0.1", 50000)
) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=platform.app, client=client)
    return httpx.AsyncClient(transport=transport, base_url="http://agora.test")
