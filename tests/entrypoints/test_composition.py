"""The one composition root: every service of a process shares its backends, and gets the users
service's directory when it runs there, else the remote one it is given."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from agora.contracts.users import UserDirectory
from agora.entrypoints.composition import Composition, compose
from agora.entrypoints.registry import available_specs
from agora.platform.cache.namespaced import NamespacedCache
from agora.platform.config import Settings
from agora.platform.deps import HUB, registered
from agora.platform.rpc.users import GrpcUserDirectory
from agora.services.users.directory import LocalUserDirectory
from agora.services.users.service import UsersService

Compose = Callable[[list[str], UserDirectory | None], Composition]


@pytest.fixture
async def composing(tmp_path: Path) -> AsyncIterator[Compose]:
    made: list[Composition] = []

    def make(services: list[str], remote_directory: UserDirectory | None) -> Composition:
        settings = Settings(data_dir=tmp_path, services=services, demo_content=False)
        composition = compose(
            settings, available_specs(services), remote_directory=remote_directory
        )
        made.append(composition)
        return composition

    yield make
    for composition in made:
        for database in composition.databases.values():
            await database.dispose()


def test_services_share_the_process_backends(composing: Compose) -> None:
    composition = composing(["users", "timeline", "notifications"], None)
    assert list(composition.runtimes) == ["users", "timeline", "notifications"]
    for name, runtime in composition.runtimes.items():
        ctx = runtime.ctx
        assert ctx.database is composition.databases[name]
        assert ctx.bus is composition.bus
        assert ctx.hub is composition.hub
        assert ctx.feeds is composition.feeds
        assert ctx.verifier is composition.keys.verifier
        assert isinstance(ctx.cache, NamespacedCache)
        assert registered(runtime.app, HUB) is composition.hub
    users = composition.runtimes["users"]
    assert users.ctx.token_issuer is composition.keys.issuer is not None
    assert composition.runtimes["timeline"].ctx.token_issuer is None
    assert isinstance(registered(users.app, UsersService), UsersService)


def test_the_users_service_in_process_is_the_directory(composing: Compose) -> None:
    # A remote directory, if one is given, is not used while the users service is here.
    composition = composing(["users", "timeline"], GrpcUserDirectory(list))
    assert isinstance(composition.local_directory, LocalUserDirectory)
    for runtime in composition.runtimes.values():
        assert runtime.ctx.user_directory is composition.local_directory


def test_without_users_in_process_the_remote_directory_is_used(composing: Compose) -> None:
    remote = GrpcUserDirectory(list)
    composition = composing(["timeline"], remote)
    assert composition.local_directory is None
    assert composition.runtimes["timeline"].ctx.user_directory is remote
    alone = composing(["timeline"], None)
    assert alone.runtimes["timeline"].ctx.user_directory is None
