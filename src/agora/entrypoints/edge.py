"""`agora edge`: HAProxy on the cluster's public port, fed from discovery (decision 0050).

The process writes HAProxy's configuration from the gateway's route table
(`agora.gateway.edge.render_haproxy`), runs Debian's `haproxy` as its child in the foreground
(its JSON access lines go to this process's output, which the cluster's log shipper reads), and
every second points HAProxy's server slots at the instances discovery lists for each service and
for the gateways, over HAProxy's runtime API. When HAProxy dies the process exits (the launcher
starts it again); on SIGTERM it asks HAProxy to finish the requests in flight (SIGUSR1) and stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
from collections.abc import Sequence
from pathlib import Path

import structlog

from agora.entrypoints.ha.engines import HAPROXY as DEBIAN_HAPROXY
from agora.gateway.edge import (
    GATEWAY_BACKEND,
    EdgeConfig,
    SlotAssignment,
    backend_name,
    render_haproxy,
)
from agora.gateway.routes import default_table
from agora.platform.config import Settings
from agora.platform.discovery import Discovery, DiscoveryUnavailable, Instance, make_discovery

log = structlog.get_logger("agora.edge")

INSTALL_HINT = "install Debian's haproxy (apt-get install haproxy)"
SYNC_SECONDS = 1.0
SOCKET_WAIT_SECONDS = 10.0
# Commands per runtime API call: well inside HAProxy's 16 KiB command line.
BATCH = 40


def haproxy_binary() -> str | None:
    """`haproxy` on the PATH, or Debian's, where the HA engines run it from (root's PATH has
    /usr/sbin; another user's may not)."""
    return shutil.which("haproxy") or (DEBIAN_HAPROXY if Path(DEBIAN_HAPROXY).exists() else None)


class RuntimeApi:
    """HAProxy's runtime API on its UNIX socket: one connection per batch of commands."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def run(self, commands: Sequence[str]) -> str:
        answers: list[str] = []
        for start in range(0, len(commands), BATCH):
            reader, writer = await asyncio.open_unix_connection(str(self.path))
            try:
                writer.write(("; ".join(commands[start : start + BATCH]) + "\n").encode())
                await writer.drain()
                answers.append((await reader.read()).decode(errors="replace"))
            finally:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
        return "".join(answers)


class Edge:
    """One edge: its HAProxy and the loop that keeps HAProxy's servers what discovery says."""

    def __init__(self, settings: Settings, *, discovery: Discovery | None = None) -> None:
        self.settings = settings
        self.home = settings.data_dir.resolve() / "edge" / str(settings.port)
        self.socket_path = self.home / "haproxy.sock"
        self.config = EdgeConfig(
            bind=settings.host,
            port=settings.port,
            socket_path=str(self.socket_path),
            services=list(settings.services),
            slots=settings.edge_slots,
            threads=settings.edge_threads,
            upstream_timeout_seconds=settings.upstream_timeout_seconds,
            balancer=settings.balancer,
            trusted_proxies=list(settings.trusted_proxies),
            breaker_failures=settings.breaker_failures,
        )
        self.discovery = discovery or make_discovery(settings)
        self.api = RuntimeApi(self.socket_path)
        self.slots = SlotAssignment(settings.edge_slots)
        self.backends = {GATEWAY_BACKEND: "gateway"} | {
            backend_name(service): service for service in settings.services
        }
        self._process: asyncio.subprocess.Process | None = None

    def write_config(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        path = self.home / "haproxy.cfg"
        path.write_text(render_haproxy(default_table(), self.config))
        return path

    async def sync(self) -> int:
        """Point the slots at what discovery lists now; returns how many slots changed."""
        listed = await self.discovery.instances_of(list(self.backends.values()))
        commands: list[str] = []
        for backend, service in self.backends.items():
            instances: list[Instance] = listed.get(service, [])
            changes = self.slots.update(backend, instances)
            for change in changes:
                commands += change.commands()
            if changes:
                log.info(
                    "edge_servers",
                    backend=backend,
                    servers=len(self.slots.addresses(backend)),
                    changed=len(changes),
                )
            if self.slots.overflow.get(backend):
                log.warning(
                    "edge_slots_full", backend=backend, left_out=self.slots.overflow[backend]
                )
        if commands:
            await self.api.run(commands)
        return len(commands)

    async def _wait_for_socket(self, process: asyncio.subprocess.Process) -> None:
        loop = asyncio.get_running_loop()
        until = loop.time() + SOCKET_WAIT_SECONDS
        while loop.time() < until:
            if process.returncode is not None:
                raise RuntimeError(f"haproxy exited with status {process.returncode}")
            with contextlib.suppress(OSError):
                await self.api.run(["show info"])
                return
            await asyncio.sleep(0.05)
        raise RuntimeError("haproxy's runtime API did not open")

    async def run(self, stop: asyncio.Event) -> int:
        binary = haproxy_binary()
        if binary is None:
            log.error("edge_needs_haproxy", hint=INSTALL_HINT)
            return 2
        config = self.write_config()
        self.socket_path.unlink(missing_ok=True)
        self._process = await asyncio.create_subprocess_exec(binary, "-db", "-f", str(config))
        try:
            await self._wait_for_socket(self._process)
            log.info("edge_started", port=self.settings.port, config=str(config))
            waiting = asyncio.ensure_future(self._process.wait())
            stopping = asyncio.ensure_future(stop.wait())
            while not stop.is_set():
                try:
                    await self.sync()
                except (DiscoveryUnavailable, OSError) as exc:
                    log.warning("edge_sync_failed", error=type(exc).__name__)
                await asyncio.wait(
                    {waiting, stopping}, timeout=SYNC_SECONDS, return_when=asyncio.FIRST_COMPLETED
                )
                if waiting.done():
                    log.error("edge_haproxy_exited", exit_status=self._process.returncode)
                    return 1
            stopping.cancel()
            return 0
        finally:
            await self._stop_haproxy()
            await self.discovery.close()

    async def _stop_haproxy(self, grace: float = 10.0) -> None:
        process = self._process
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGUSR1)  # soft stop: finish what is in flight
        try:
            await asyncio.wait_for(process.wait(), grace)
        except TimeoutError:
            process.kill()
            await process.wait()


def run_edge(settings: Settings) -> int:
    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        return await Edge(settings).run(stop)

    return asyncio.run(main())
