"""`agora up` and `agora serve` as a newcomer runs them: real processes on real ports, driven over
HTTP, stopped cleanly with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.waiting import wait_until

PASSWORD = "correct horse battery staple"
FAST_HASHING = {
    "AGORA_ARGON2_TIME_COST": "1",
    "AGORA_ARGON2_MEMORY_KIB": "1024",
    "AGORA_ARGON2_PARALLELISM": "1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    proc: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(30)


def _start(args: list[str], workdir: Path, env: dict[str, str], port: int) -> Server:
    stdout, stderr = workdir / "stdout.log", workdir / "stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [sys.executable, "-m", "agora.entrypoints", *args, "--port", str(port)],
            env={**os.environ, **FAST_HASHING, **env},
            stdout=out,
            stderr=err,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, stdout, stderr)

    def answered_or_exited() -> bool:
        exited = proc.poll() is not None
        return exited or httpx.get(f"{server.base}/status", timeout=1).status_code == 200

    try:
        wait_until(
            answered_or_exited,
            what="the server to answer /status",
            within=60,
            interval=0.2,
            ignoring=(httpx.TransportError,),
        )
    except AssertionError as exc:
        proc.kill()
        proc.wait(10)
        pytest.fail(f"{exc}: {stderr.read_text()[-2000:]}")
    if proc.poll() is not None:
        pytest.fail(f"the server exited before it answered /status: {stderr.read_text()[-2000:]}")
    return server


@pytest.fixture
def up(tmp_path: Path) -> Iterator[Server]:
    server = _start(["up", "--data-dir", str(tmp_path)], tmp_path, {}, _free_port())
    yield server
    if server.proc.poll() is None:
        server.proc.kill()
        server.proc.wait(10)


def test_agora_up_serves_the_seed_flows_and_stops_cleanly(up: Server) -> None:
    with httpx.Client(base_url=up.base, timeout=10) as http:
        status = http.get("/status").json()
        assert status["status"] == "running"
        assert "users" in status["services"]
        for name in ("alice", "bob"):
            created = http.post(
                "/api/users/register",
                json={"username": name, "email": f"{name}@example.com", "password": PASSWORD},
            )
            assert created.status_code == 201, created.text
        alice = http.post(
            "/api/users/login", json={"email": "alice@example.com", "password": PASSWORD}
        ).json()
        bob = http.post("/api/users/login", json={"username": "bob", "password": PASSWORD}).json()
        profile = http.get(
            "/api/users/profile", headers={"Authorization": f"Bearer {alice['token']}"}
        )
        assert profile.json()["username"] == "alice"
        follow = http.post(
            f"/api/users/{bob['userId']}/follow",
            json={"followUserId": alice["userId"]},
            headers={"Authorization": f"Bearer {bob['accessToken']}"},
        )
        assert follow.status_code == 200
        followers = http.get(f"/api/users/{alice['userId']}/followers").json()
        assert followers["followers"] == [bob["userId"]]
        assert http.get("/docs").status_code == 200
    assert up.stop() == 0, up.stderr.read_text()[-2000:]
    out = up.stdout.read_text()
    assert "Agora is running" in up.stderr.read_text()
    # ECS JSON lines (not a terminal): access lines with their request ids, and the lifespan's
    # shutdown ran to the end.
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("event.dataset") == "agora.access"]
    assert access
    assert all(line.get("http.request.id") for line in access)
    assert any(line.get("message") == "platform_stopped" for line in lines)


def test_agora_serve_runs_one_service_without_the_gateway(tmp_path: Path) -> None:
    server = _start(["serve", "users"], tmp_path, {"AGORA_DATA_DIR": str(tmp_path)}, _free_port())
    try:
        status = httpx.get(f"{server.base}/status", timeout=5).json()
        assert status["service"] == "users_service"
        created = httpx.post(
            f"{server.base}/users/register",
            json={"username": "solo", "password": PASSWORD},
            timeout=10,
        )
        assert created.status_code == 201
        assert (tmp_path / "users.db").exists()
    finally:
        code = server.stop()
    assert code == 0, server.stderr.read_text()[-2000:]
