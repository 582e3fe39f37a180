"""`agora edge` with a real HAProxy: its servers follow what discovery lists, a read goes to a
listed instance of its service (and to the gateways when there is none), and the process ends when
its HAProxy dies."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from agora.entrypoints.cluster import free_port
from agora.entrypoints.edge import Edge
from agora.platform.config import Settings, Topology
from agora.platform.discovery import Instance
from tests.support.ha import require_haproxy

pytestmark = [pytest.mark.timeout(60)]


@pytest.fixture(autouse=True)
def _haproxy() -> None:
    require_haproxy()


def _handler(name: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"{name} {self.path} {self.headers.get('x-request-id')}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


@contextlib.contextmanager
def _server(name: str) -> Iterator[int]:
    """A plain HTTP server answering every GET with its name, the path it was asked for and the
    request id it was given."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(name))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


class ListedInstances:
    """Discovery as the edge reads it, with instances a test lists and unlists."""

    def __init__(self) -> None:
        self.listed: dict[str, list[Instance]] = {}

    def put(self, service: str, *ports: int) -> None:
        self.listed[service] = [
            Instance(f"{service}-{port}", service, "127.0.0.1", port) for port in ports
        ]

    async def instances_of(self, services: Sequence[str]) -> dict[str, list[Instance]]:
        return {service: list(self.listed.get(service, [])) for service in services}

    async def close(self) -> None:
        pass


class RunningEdge:
    def __init__(self, edge: Edge, task: asyncio.Task[int], stop: asyncio.Event) -> None:
        self.edge = edge
        self.task = task
        self.stop = stop
        self.url = f"http://127.0.0.1:{edge.settings.port}"

    async def answers(self, path: str, count: int) -> set[str]:
        """Who answered `count` GETs of `path` (the first word of each body)."""
        async with httpx.AsyncClient(base_url=self.url, timeout=5) as client:
            bodies = [(await client.get(path)).text for _ in range(count)]
        return {body.split(" ", 1)[0] for body in bodies}

    async def synced(self) -> None:
        await self.edge.sync()


@contextlib.asynccontextmanager
async def _edge(tmp_path: Path, discovery: ListedInstances) -> AsyncIterator[RunningEdge]:
    settings = Settings(
        topology=Topology.CLUSTER,
        jwt_public_key_file=tmp_path / "unused.pem",
        discovery_url="http://127.0.0.1:1",
        data_dir=tmp_path,
        port=free_port(),
        services=["users", "voting"],
        edge_slots=4,
        edge_threads=1,
    )
    edge = Edge(settings, discovery=discovery)  # type: ignore[arg-type]
    stop = asyncio.Event()
    task = asyncio.create_task(edge.run(stop))
    running = RunningEdge(edge, task, stop)
    loop = asyncio.get_running_loop()
    until = loop.time() + 10
    while loop.time() < until:
        with contextlib.suppress(httpx.HTTPError):
            async with httpx.AsyncClient(timeout=1) as client:
                if (await client.get(running.url + "/status")).status_code == 200:
                    break
        await asyncio.sleep(0.1)
    try:
        yield running
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def test_reads_follow_what_discovery_lists(tmp_path: Path) -> None:
    with _server("gateway") as gateway, _server("a") as a, _server("b") as b:
        discovery = ListedInstances()
        discovery.put("gateway", gateway)
        async with _edge(tmp_path, discovery) as edge:
            # No users instance yet: the gateways answer (they would say 503).
            assert await edge.answers("/api/users/profile/3", 2) == {"gateway"}
            discovery.put("users", a)
            await edge.synced()
            assert await edge.answers("/api/users/profile/3", 4) == {"a"}
            discovery.put("users", a, b)
            await edge.synced()
            assert await edge.answers("/api/users/profile/3", 6) == {"a", "b"}
            discovery.put("users", b)
            await edge.synced()
            assert await edge.answers("/api/users/profile/3", 6) == {"b"}
            # The service sees its own path; writes and the cached lists go to the gateways.
            async with httpx.AsyncClient(base_url=edge.url, timeout=5) as client:
                read = await client.get("/api/users/profile/3?x=1")
                served, path, request_id = read.text.split(" ")
                assert (served, path) == ("b", "/users/profile/3?x=1")
                # A request id as the gateway makes one (128 bits in hex) when the client has
                # none; a well-formed one the client sends is kept, a malformed one replaced.
                assert re.fullmatch(r"[0-9a-f]{32}", request_id)
                kept = await client.get("/api/users/profile/3", headers={"X-Request-ID": "r-7.a:b"})
                assert kept.text.split(" ")[2] == "r-7.a:b"
                bad = await client.get("/api/users/profile/3", headers={"X-Request-ID": "x" * 129})
                assert re.fullmatch(r"[0-9a-f]{32}", bad.text.split(" ")[2])
                login = await client.post("/api/users/login", json={})
                assert login.status_code == 501  # the plain server has no POST: it was asked
                assert (await client.get("/api/books")).text.startswith("gateway /api/books ")
            discovery.put("users")
            await edge.synced()
            assert await edge.answers("/api/users/profile/3", 2) == {"gateway"}
            assert edge.edge.slots.addresses("svc_users") == {}


async def test_the_edge_ends_when_its_haproxy_dies(tmp_path: Path) -> None:
    with _server("gateway") as gateway:
        discovery = ListedInstances()
        discovery.put("gateway", gateway)
        async with _edge(tmp_path, discovery) as edge:
            process = edge.edge._process
            assert process is not None
            process.send_signal(signal.SIGKILL)
            assert await asyncio.wait_for(edge.task, 10) == 1
