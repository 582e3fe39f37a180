"""The operator commands: migrate, admin grant, keys generate."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agora.entrypoints.cli import app
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
