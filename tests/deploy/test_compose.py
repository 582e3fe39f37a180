"""The Compose stack end to end: build the image (cached by its inputs), start deploy/compose.yaml
with the observability profile, run the seed flows through its gateway, read and write through its
edge (HAProxy, decision 0050), kill a replica's process and see the platform keep answering, then
remove everything the test started.

It needs a Docker engine. Without one it is skipped, unless AGORA_REQUIRE_DOCKER=1 (CI sets it),
which turns the skip into a failure: CI must not pass without having run it.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from agora.platform.config import SERVICE_NAMES
from tests.contract import flows
from tests.support import requirements
from tests.support.live import ws_connect

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = "http://127.0.0.1:18080"
EDGE = "http://127.0.0.1:18000"
DISCOVERY = "http://127.0.0.1:18081"
PROMETHEUS = "http://127.0.0.1:19090"
PROJECT = "agora-e2e"
# The test's own settings, in a Compose override file (the stack's file stays what operators run):
# cheap password hashing, as in the other cluster tests (this machine's two cores run sixteen
# service processes), a write limit one client cannot reach, and room for a loaded machine.
TEST_SETTINGS = {
    "AGORA_ARGON2_TIME_COST": "1",
    "AGORA_ARGON2_MEMORY_KIB": "1024",
    "AGORA_ARGON2_PARALLELISM": "1",
    "AGORA_WRITE_RATE_PER_MINUTE": "100000",
    "AGORA_UPSTREAM_TIMEOUT_SECONDS": "15",
}
# Every port the stack listens on: the test refuses to start over something already there.
STACK_PORTS = [18000, 18080, 18081, 18191, 55432, 56379, 19090] + [
    base + r for base in range(18110, 18190, 10) for r in (1, 2)
]


def _engine_problem() -> str | None:
    if shutil.which("docker") is None:
        return "the docker client is not installed"
    probe = subprocess.run(
        ["docker", "info", "--format", "{{.ServerVersion}}"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return f"the Docker engine does not answer: {probe.stderr.strip()[:200]}"
    return None


def _compose_command() -> list[str]:
    plugin = subprocess.run(
        ["docker", "compose", "version"],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if plugin.returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.fail("neither `docker compose` nor `docker-compose` is installed")


def _port_taken(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Stack:
    compose: list[str]
    env: dict[str, str]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(  # noqa: S603 - our own compose command
            [*self.compose, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n"
                f"{done.stderr[-3000:]}"
            )
        return done

    def container(self, service: str) -> str:
        container_id = self.run("ps", "-q", service).stdout.strip()
        assert container_id, f"no container for {service}"
        return container_id

    def health(self, service: str) -> str:
        return _docker("inspect", "-f", "{{.State.Health.Status}}", self.container(service))


def _docker(*args: str) -> str:
    return subprocess.run(  # noqa: S603
        ["docker", *args],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _wait(what: str, check: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _gateway_running() -> bool:
    body = httpx.get(f"{GATEWAY}/status", timeout=3).json()
    return bool(body["status"] == "running")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    problem = _engine_problem()
    if problem is not None:
        requirements.missing(
            f"needs a Docker engine: {problem}", require_variable="AGORA_REQUIRE_DOCKER"
        )
    taken = [p for p in STACK_PORTS if _port_taken(p)]
    if taken:
        pytest.fail(f"ports the Compose stack uses are taken on 127.0.0.1: {taken}")
    build_env = {**os.environ, "AGORA_OBSERVABILITY": "1"}
    subprocess.run(["deploy/image.sh"], cwd=ROOT, env=build_env, check=True, timeout=1500)  # noqa: S607
    tags = subprocess.run(
        ["deploy/image.sh", "--print"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    secrets = Path(tempfile.mkdtemp(prefix="agora-secrets-"))
    env = {
        **os.environ,
        **dict(line.split("=", 1) for line in tags.split()),
        "AGORA_SECRETS_DIR": str(secrets),
    }
    subprocess.run(  # noqa: S603
        ["deploy/compose-secrets.sh", str(secrets)],  # noqa: S607
        cwd=ROOT,
        env=env,
        check=True,
    )
    stack_file = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
    override = secrets / "test-override.yaml"
    override.write_text(
        yaml.safe_dump(
            {
                "services": {
                    name: {"environment": TEST_SETTINGS}
                    for name, spec in stack_file["services"].items()
                    if "AGORA_IMAGE" in spec["image"]
                }
            }
        )
    )
    compose = [
        *_compose_command(),
        "-p",
        PROJECT,
        "-f",
        "deploy/compose.yaml",
        "-f",
        str(override),
        "--profile",
        "observability",
    ]
    running = Stack(compose, env)
    try:
        running.run("up", "-d", "--quiet-pull")
        _wait("the gateway to see every service", _gateway_running, 240)
        yield running
    finally:
        logs = running.run("logs", "--no-color", "--tail", "200", check=False).stdout
        (ROOT / "build").mkdir(exist_ok=True)
        (ROOT / "build" / "compose-e2e.log").write_text(logs)
        running.run("down", "--volumes", "--remove-orphans", "--timeout", "20", check=False)
        shutil.rmtree(secrets, ignore_errors=True)


@pytest.fixture(scope="module")
def admin(stack: Stack) -> flows.User:
    """The operator's way to an admin: register, then `agora admin grant` in a one-off container."""

    async def first() -> flows.User:
        async with httpx.AsyncClient(base_url=GATEWAY, timeout=15) as http:
            return await flows.register(http, flows.unique("admin"))

    user = asyncio.run(first())
    granted = stack.run("run", "--rm", "--no-deps", "migrate", "admin", "grant", user.name)
    assert "is now an admin" in granted.stdout, granted.stdout + granted.stderr

    async def again() -> flows.User:
        async with httpx.AsyncClient(base_url=GATEWAY, timeout=15) as http:
            login = await http.post(
                "/api/users/login", json={"username": user.name, "password": flows.PASSWORD}
            )
            return flows.User(user.id, user.name, login.json()["token"])

    return asyncio.run(again())


def ws(path: str, **params: str) -> str:
    return f"ws://127.0.0.1:18080{path}?{urllib.parse.urlencode(params)}"


async def test_the_seed_flows_through_the_compose_gateway(stack: Stack, admin: flows.User) -> None:
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=15) as http:
        await flows.users_flow(http)
        await flows.bookclub_flow(http, admin)  # register, vote, the poll closes, its lobby
        await flows.competitions_flow(http, admin)


async def test_chat_over_a_websocket_across_replicas(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=15) as http:
        alice = await flows.register(http, flows.unique("alice"))
        bob = await flows.register(http, flows.unique("bob"))
        room = await http.post(
            "/api/forums/rooms",
            json={
                "roomType": "genre",
                "albumId": "",
                "genreId": flows.unique("genre").replace("_", "-"),
            },
            headers=alice.auth,
        )
        assert room.status_code in (200, 201), room.text
        room_id = room.json()["roomId"]
    url_a = ws("/api/forums/connect", roomId=room_id, userId=alice.id, token=alice.token)
    url_b = ws("/api/forums/connect", roomId=room_id, userId=bob.id, token=bob.token)
    async with ws_connect(url_a) as a, ws_connect(url_b) as b:
        assert (await a.receive())["type"] == "welcome"
        assert (await b.receive())["type"] == "welcome"
        await a.send({"message": "Anyone here?"})
        ack = await a.receive_until("ack", within=10)
        # Bob's socket may be held by the other replica: the message crosses Redis to reach him.
        received = await b.receive_until("message", within=10)
        assert received["message_id"] == ack["message_id"]
        assert received["message"] == "Anyone here?"


async def test_a_tweet_reaches_the_home_timeline(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=15) as http:
        writer = await flows.register(http, flows.unique("writer"))
        follower = await flows.register(http, flows.unique("reader"))
        follow = await http.post(
            f"/api/users/{follower.id}/follow",
            json={"followUserId": writer.id},
            headers=follower.auth,
        )
        assert follow.status_code == 200, follow.text
        posted = await http.post(
            "/api/tweets", json={"content": "Hello, Compose"}, headers=writer.auth
        )
        assert posted.status_code == 201, posted.text
        home: list[str] = []
        for _ in range(50):  # the fan-out is an event away
            response = await http.get(
                f"/api/tweets/homeTimeline/{follower.id}", headers=follower.auth
            )
            home = [t["content"] for t in response.json()["tweets"]]
            if "Hello, Compose" in home:
                break
            await asyncio.sleep(0.2)
        assert "Hello, Compose" in home


async def test_a_review_of_an_album(stack: Stack, admin: flows.User) -> None:
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=15) as http:
        album = await http.post(
            "/api/users-reviews/albums",
            json={
                "title": flows.unique("Blue"),
                "artist": "Joni Mitchell",
                "year": 1971,
                "genre": "folk",
            },
            headers=admin.auth,
        )
        assert album.status_code == 201, album.text
        album_id = album.json()["albumId"]
        critic = await flows.register(http, flows.unique("critic"))
        review = await http.post(
            "/api/users-reviews/reviews",
            json={
                "userId": critic.id,
                "albumId": album_id,
                "rating": 4.5,
                "reviewText": "A river.",
            },
            headers=critic.auth,
        )
        assert review.status_code == 201, review.text
        again = await http.post(
            "/api/users-reviews/reviews",
            json={"userId": critic.id, "albumId": album_id, "rating": 2, "reviewText": "Twice."},
            headers=critic.auth,
        )
        assert again.status_code == 409
        listed = await http.get(f"/api/users-reviews/reviews/album/{album_id}")
        assert listed.status_code == 200, listed.text
        assert [r["rating"] for r in listed.json()["reviews"]] == [4.5]


async def test_sports_live_over_a_websocket(stack: Stack, admin: flows.User) -> None:
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=15) as http:
        category = await http.post(
            "/api/sports/categories",
            json={"category_name": flows.unique("Football")},
            headers={"Authorization": f"Bearer {admin.token}"},
        )
        assert category.status_code == 201, category.text
        game = await http.post(
            "/api/sports/games",
            json={
                "category_id": category.json()["data"]["category_id"],
                "team_1": "Riverside Rovers",
                "team_2": "Kingsport City",
                "start_time": "2026-01-01T12:30:00Z",
            },
            headers=admin.auth,
        )
        assert game.status_code == 201, game.text
        game_id = game.json()["data"]["game_id"]

        async def event(**body: Any) -> None:
            response = await http.post(
                f"/api/sports/games/{game_id}/events", json=body, headers=admin.auth
            )
            assert response.status_code == 201, response.text

        await event(event_type="period_start", period="1st half")
        async with ws_connect(ws(f"/api/sports/games/{game_id}/live")) as live:
            snapshot = await live.receive(within=10)
            assert snapshot["type"] == "snapshot"
            assert snapshot["game"]["status"] == "live"
            await event(event_type="goal", team="team_2")
            score = await live.receive_until("score", within=10)
            assert (score["score_team_1"], score["score_team_2"]) == (0, 1)


# ---------------------------------------------------------------------------- the edge

SPOOFED = "203.0.113.9"  # TEST-NET-3: an address a client makes up


def _edge_servers() -> dict[str, float]:
    """HAProxy's count of servers up per backend, from the edge's own /metrics."""
    metrics = httpx.get(f"{EDGE}/metrics", timeout=3).text
    up: dict[str, float] = {}
    for line in metrics.splitlines():
        if line.startswith("haproxy_backend_active_servers{"):
            backend = line.partition('proxy="')[2].partition('"')[0]
            up[backend] = float(line.rsplit(" ", 1)[1])
    return up


def _edge_sees_both_users_replicas_and_the_gateway() -> bool:
    up = _edge_servers()
    return up.get("svc_users") == 2 and up.get("gateways") == 1


def _access_line(stack: Stack, services: list[str], request_id: str) -> dict[str, Any]:
    """The access line (ECS JSON on the container's output) of one request in one of `services`;
    {} until it is there."""
    assert request_id, "the answer carries an X-Request-ID"
    for service in services:
        logs = subprocess.run(  # noqa: S603
            ["docker", "logs", stack.container(service)],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
        for text in (logs.stdout + logs.stderr).splitlines():
            try:
                record = json.loads(text)
            except ValueError:
                continue
            if (
                isinstance(record, dict)
                and record.get("log.logger") == "agora.access"
                and record.get("http.request.id") == request_id
            ):
                return record
    return {}


def _wait_line(stack: Stack, services: list[str], response: httpx.Response) -> dict[str, Any]:
    request_id = response.headers.get("x-request-id", "")
    found: dict[str, Any] = {}

    def logged() -> bool:
        found.update(_access_line(stack, services, request_id))
        return bool(found)

    what = f"the access line of {response.request.method} {response.request.url.path} in {services}"
    _wait(what, logged, 20)
    return found


USERS_REPLICAS = ["users-1", "users-2"]


async def test_a_read_through_the_edge_is_the_gateways_answer_straight_from_a_replica(
    stack: Stack,
) -> None:
    _wait(
        "the edge to route to both users replicas and the gateway",
        _edge_sees_both_users_replicas_and_the_gateway,
        60,
    )
    async with httpx.AsyncClient(base_url=EDGE, timeout=15) as edge:
        # Writes through the edge: they go to the gateway (rate limits, the body limit).
        member = await flows.register(edge, flows.unique("edgeuser"))
        patched = await edge.patch(
            "/api/users/profile", json={"bio": "Read at the edge."}, headers=member.auth
        )
        assert patched.status_code == 200, patched.text
        path = f"/api/users/profile/{member.id}"
        through_edge = await edge.get(path)
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=15) as gateway:
        through_gateway = await gateway.get(path)
    assert through_edge.status_code == 200, through_edge.text
    assert through_gateway.status_code == 200, through_gateway.text
    assert through_edge.json() == through_gateway.json()
    assert through_edge.json()["user_id"] == member.id
    assert through_edge.json()["bio"] == "Read at the edge."  # the write through the edge, read
    assert through_edge.headers["content-type"].startswith("application/json")
    # HAProxy's access line: the read went to a users replica's server slot, the write to the
    # gateway; the replica logged the read itself, at its own path (no gateway hop).
    read = _wait_line(stack, ["edge"], through_edge)
    assert read["service.name"] == "edge", read
    assert read["agora.backend"] == "svc_users", read
    assert read["http.response.status_code"] == 200, read
    write = _wait_line(stack, ["edge"], patched)
    assert write["agora.backend"] == "gateways", write
    served = _wait_line(stack, USERS_REPLICAS, through_edge)
    assert served["url.path"] == f"/users/profile/{member.id}", served
    assert _wait_line(stack, ["gateway"], patched)["url.path"] == "/api/users/profile"


def test_through_the_edge_a_client_cannot_choose_its_address(stack: Stack) -> None:
    _wait(
        "the edge to route to both users replicas and the gateway",
        _edge_sees_both_users_replicas_and_the_gateway,
        60,
    )
    name = flows.unique("spoofer")
    with httpx.Client(base_url=EDGE, timeout=15, headers={"X-Forwarded-For": SPOOFED}) as http:
        registered = http.post(
            "/api/users/register", json={"username": name, "password": flows.PASSWORD}
        )
        assert registered.status_code == 201, registered.text
        read = http.get(f"/api/users/profile/{registered.json()['user_id']}")
        assert read.status_code == 200, read.text
    # The edge replaced the header with its peer (it trusts no proxy); the gateway and the replica
    # believed the edge's.
    assert _wait_line(stack, ["edge"], read)["agora.backend"] == "svc_users"
    assert _wait_line(stack, ["edge"], registered)["agora.backend"] == "gateways"
    for line in (
        _wait_line(stack, USERS_REPLICAS, read),
        _wait_line(stack, USERS_REPLICAS, registered),
        _wait_line(stack, ["gateway"], registered),
    ):
        assert line["client.ip"] == "127.0.0.1", line


def test_the_edges_status_is_the_gateways_and_its_metrics_haproxys(stack: Stack) -> None:
    status = httpx.get(f"{EDGE}/status", timeout=5)
    assert status.status_code == 200, status.text
    assert status.json()["status"] == "running"
    assert status.json().keys() == httpx.get(f"{GATEWAY}/status", timeout=5).json().keys()
    # Its health check (the image's, on /status) passes too: Compose calls it healthy.
    _wait("the edge's health check to pass", lambda: stack.health("edge") == "healthy", 60)
    # Every service's backend has its replicas from discovery (one warehouse), and the gateway's.
    up = _edge_servers()
    for service in SERVICE_NAMES:
        assert up.get(f"svc_{service}") == (1 if service == "warehouse" else 2), (service, up)
    assert up.get("gateways") == 1, up


# Two replicas of each of the eight request-serving services, one warehouse (its DuckDB file's
# single writer), the gateway, discovery, and the edge (its HAProxy's exporter).
PROCESSES = 20


def test_prometheus_scrapes_every_process(stack: Stack) -> None:
    def all_up() -> bool:
        targets = httpx.get(f"{PROMETHEUS}/api/v1/targets", timeout=3).json()["data"]
        active = targets["activeTargets"]
        return len(active) == PROCESSES and all(t["health"] == "up" for t in active)

    _wait(f"Prometheus to scrape all {PROCESSES} Agora processes", all_up, 60)
    query = httpx.get(f"{PROMETHEUS}/api/v1/query", params={"query": "up"}, timeout=3).json()
    assert len(query["data"]["result"]) == PROCESSES


def test_a_killed_replica_does_not_stop_the_platform(stack: Stack, admin: flows.User) -> None:
    victim = stack.container("users-1")
    pid = int(_docker("inspect", "-f", "{{.State.Pid}}", victim))
    statuses: list[int] = []
    posts: list[int] = []
    with httpx.Client(base_url=GATEWAY, timeout=15) as http:
        for _ in range(5):
            assert http.get(f"/api/users/{admin.id}/followers").status_code == 200
        # A crash, as the kernel would deliver it: the restart policy applies (`docker kill` would
        # count as an operator's stop).
        if os.geteuid() == 0:
            os.kill(pid, signal.SIGKILL)
        else:
            _docker("kill", victim)
        killed_at = time.monotonic()
        while time.monotonic() - killed_at < 15:
            statuses.append(http.get(f"/api/users/{admin.id}/followers").status_code)
            body = {"username": flows.unique("after"), "password": flows.PASSWORD}
            posts.append(http.post("/api/users/register", json=body).status_code)
            time.sleep(0.1)
    assert statuses, "the platform was asked while the replica was down"
    assert all(s == 200 for s in statuses), statuses
    # A write sent to the dead replica before its breaker opens may fail; then none does.
    assert sum(1 for s in posts if s >= 500) <= 3, posts
    assert posts[-5:] == [201] * 5, posts
    if os.geteuid() == 0:
        _wait(
            "users-1 to be restarted and healthy", lambda: stack.health("users-1") == "healthy", 90
        )
        _wait("the gateway to see both users replicas", _both_users_replicas, 60)


def _both_users_replicas() -> bool:
    instances = httpx.get(f"{DISCOVERY}/services/users/instances", timeout=3).json()["instances"]
    return len(instances) == 2
