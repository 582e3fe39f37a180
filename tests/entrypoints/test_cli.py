"""The operator commands: migrate, admin grant, keys generate."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from agora.entrypoints.cli import _Server, app
from agora.platform.config import Settings
from tests.support.api import Api
from tests.support.platform import FAST_HASHING, client_for

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AGORA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AGORA_SERVICES", '["users"]')
    return tmp_path


def test_migrate_creates_each_services_database(data_dir: Path) -> None:
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "migrated users" in result.output
    assert (data_dir / "users.db").exists()
    again = runner.invoke(app, ["migrate", "users"])
    assert again.exit_code == 0


def test_admin_grant_makes_an_existing_user_admin(data_dir: Path) -> None:
    from agora.entrypoints.embedded import Platform

    async def register_two() -> None:
        platform = Platform(
            Settings(data_dir=data_dir, services=["users"], demo_content=False, **FAST_HASHING)
        )
        await platform.start()
        try:
            async with client_for(platform) as client:
                api = Api(client)
                await api.register("founder")
                await api.register("helper")
        finally:
            await platform.stop()

    asyncio.run(register_two())
    result = runner.invoke(app, ["admin", "grant", "helper"])
    assert result.exit_code == 0, result.output
    assert "helper (user 2) is now an admin" in result.output

    async def role_of_helper() -> str:
        platform = Platform(
            Settings(data_dir=data_dir, services=["users"], demo_content=False, **FAST_HASHING)
        )
        await platform.start()
        try:
            async with client_for(platform) as client:
                role: str = (await Api(client).login("helper")).login["role"]
                return role
        finally:
            await platform.stop()

    assert asyncio.run(role_of_helper()) == "admin"
    missing = runner.invoke(app, ["admin", "grant", "nobody"])
    assert missing.exit_code == 1
    assert "No user named 'nobody'" in missing.output


def test_keys_generate_writes_a_pair_once(tmp_path: Path) -> None:
    result = runner.invoke(app, ["keys", "generate", str(tmp_path / "k")])
    assert result.exit_code == 0
    assert "AGORA_JWT_PUBLIC_KEY_FILE=" in result.output
    again = runner.invoke(app, ["keys", "generate", str(tmp_path / "k")])
    assert again.exit_code == 1


def test_invalid_settings_are_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGORA_SERVICES", '["nope"]')
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 2
    assert "unknown services" in result.output


async def test_a_served_process_takes_its_startup_heap_out_of_collections() -> None:
    """What the app's startup built is frozen once uvicorn has started it: full collections
    then walk only what requests allocate (platform.heap)."""
    built: list[object] = []

    async def starting(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()
            built.extend({"startup": n} for n in range(10_000))
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})

    gc.unfreeze()
    server = _Server(uvicorn.Config(starting, host="127.0.0.1", port=0, log_config=None))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), task
            await asyncio.sleep(0.01)
        assert len(built) == 10_000
        assert gc.get_freeze_count() >= len(built)
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
        gc.unfreeze()
