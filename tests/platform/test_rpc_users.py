"""UserDirectory over real gRPC: every call round-trips, failover, deadlines, generated code in
sync."""

from __future__ import annotations

import asyncio
import filecmp
import os
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path

import pytest

from agora.contracts.users import NotificationPreferences, UserSummary
from agora.platform.errors import ServiceUnavailable
from agora.platform.rpc.users import GrpcUserDirectory, serve_user_directory

ROOT = Path(__file__).resolve().parents[2]


class FakeDirectory:
    """A UserDirectory with two users; `delay` makes every answer slow."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.users = {
            1: UserSummary(user_id=1, username="ada", role="admin"),
            2: UserSummary(user_id=2, username="bo"),
        }

    async def get_users(self, user_ids: Collection[int]) -> dict[int, UserSummary]:
        await asyncio.sleep(self.delay)
        return {i: self.users[i] for i in user_ids if i in self.users}

    async def get_user_by_username(self, username: str) -> UserSummary | None:
        return next((u for u in self.users.values() if u.username == username), None)

    async def get_followers(self, user_id: int) -> list[int]:
        return [2] if user_id == 1 else []

    async def get_followings(self, user_id: int) -> list[int]:
        return [1] if user_id == 2 else []

    async def get_notification_preferences(
        self, user_ids: Collection[int]
    ) -> dict[int, NotificationPreferences]:
        return {
            i: NotificationPreferences(enabled=i == 1, types=["like", "reply"])
            for i in user_ids
            if i in self.users
        }


async def test_every_call_round_trips() -> None:
    server, port = await serve_user_directory(FakeDirectory(), "127.0.0.1", 0)
    client = GrpcUserDirectory(lambda: [f"127.0.0.1:{port}"])
    try:
        assert await client.get_users([1, 2, 99]) == {
            1: UserSummary(user_id=1, username="ada", role="admin"),
            2: UserSummary(user_id=2, username="bo", role="member"),
        }
        assert await client.get_user_by_username("bo") == UserSummary(user_id=2, username="bo")
        assert await client.get_user_by_username("nobody") is None
        assert await client.get_followers(1) == [2]
        assert await client.get_followings(2) == [1]
        prefs = await client.get_notification_preferences([1, 2, 3])
        assert prefs == {
            1: NotificationPreferences(enabled=True, types=["like", "reply"]),
            2: NotificationPreferences(enabled=False, types=["like", "reply"]),
        }
    finally:
        await client.close()
        await server.stop(None)


async def test_a_stopped_instance_fails_over_to_another() -> None:
    first, first_port = await serve_user_directory(FakeDirectory(), "127.0.0.1", 0)
    second, second_port = await serve_user_directory(FakeDirectory(), "127.0.0.1", 0)
    client = GrpcUserDirectory(lambda: [f"127.0.0.1:{first_port}", f"127.0.0.1:{second_port}"])
    try:
        await first.stop(None)
        for _ in range(4):  # whichever instance a call starts with, it answers
            assert (await client.get_users([1]))[1].username == "ada"
    finally:
        await client.close()
        await second.stop(None)


async def test_no_instance_or_a_slow_one_is_a_prompt_503() -> None:
    nobody = GrpcUserDirectory(list)
    with pytest.raises(ServiceUnavailable):
        await nobody.get_users([1])
    server, port = await serve_user_directory(FakeDirectory(delay=2.0), "127.0.0.1", 0)
    slow = GrpcUserDirectory(lambda: [f"127.0.0.1:{port}"], deadline=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        with pytest.raises(ServiceUnavailable, match="DEADLINE_EXCEEDED"):
            await slow.get_users([1])
        assert loop.time() - started < 1.5
    finally:
        await slow.close()
        await server.stop(None)


def test_generated_code_matches_the_proto(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    subprocess.run(  # noqa: S603 - grpcio-tools from this environment, fixed arguments
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            f"-Iagora/platform/rpc/generated={ROOT / 'src/agora/contracts/proto'}",
            f"--python_out={tmp_path}",
            f"--grpc_python_out={tmp_path}",
            f"--mypy_out={tmp_path}",
            f"--mypy_grpc_out={tmp_path}",
            str(ROOT / "src/agora/contracts/proto/user_directory.proto"),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    generated = tmp_path / "agora/platform/rpc/generated"
    committed = ROOT / "src/agora/platform/rpc/generated"
    names = sorted(p.name for p in generated.iterdir())
    assert names == [
        "user_directory_pb2.py",
        "user_directory_pb2.pyi",
        "user_directory_pb2_grpc.py",
        "user_directory_pb2_grpc.pyi",
    ]
    stale = [n for n in names if not filecmp.cmp(generated / n, committed / n, shallow=False)]
    assert stale == [], f"regenerate with `make proto`: {stale}"
