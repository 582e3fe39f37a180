"""The HA cluster as one unit: the engines first, then the ordinary cluster (discovery, service
replicas, gateways) pointed at them; supervision restarts a dead engine as it restarts a dead
replica (a restarted Patroni member rejoins as a replica); stop goes in the reverse order."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import structlog

from agora.entrypoints.cluster import ClusterPlan, Launcher
from agora.entrypoints.ha.engines import Engine, HAEngines
from agora.platform.config import Settings

log = structlog.get_logger("agora.cluster.ha")


def ha_settings(settings: Settings, engines: HAEngines) -> Settings:
    """The settings every cluster process gets: its database on the Patroni cluster (writes
    through HAProxy's primary port, read sessions through its synchronous-standby port), Redis
    through Sentinel, the cache's ring over every Redis group."""
    return settings.model_copy(
        update={
            "database_url": engines.database_url_template(),
            "database_urls": {},
            "database_read_url": engines.read_url_template(),
            "redis_url": engines.redis_url(),
            "cache_redis_urls": engines.cache_redis_urls(),
        }
    )


class EngineSupervisor:
    """Restarts engines that die (with the same back-off as the cluster's children)."""

    def __init__(self, engines: HAEngines) -> None:
        self.engines = engines
        self.paused: set[str] = set()  # names a test holds down on purpose
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ha-supervisor", daemon=True)

    def _tick(self, engine: Engine, now: float) -> None:
        if engine.alive() or engine.name in self.paused:
            return
        if engine.next_start == 0.0:
            engine.restarts += 1
            engine.next_start = now + min(2.0**engine.restarts, 30.0)
            log.warning("engine_died", name=engine.name, restarts=engine.restarts)
        elif now >= engine.next_start:
            engine.next_start = 0.0
            engine.wait(1)
            engine.start()

    def _run(self) -> None:
        while not self._stopping.wait(0.5):
            now = time.monotonic()
            for engine in self.engines.engines:
                if self._stopping.is_set():
                    return
                self._tick(engine, now)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(5)


class HALauncher:
    """Engines, then the cluster's processes; stop in the reverse order."""

    def __init__(
        self,
        settings: Settings,
        *,
        replicas: int,
        gateways: int,
        port: int,
        workdir: Path,
        restart: bool = True,
        base_port: int = 0,
        ha_root: Path | None = None,
        edge: bool = False,
    ) -> None:
        self.engines = HAEngines(ha_root or workdir / "ha", base_port=base_port)
        self.settings = settings
        self.restart = restart
        self.plan = ClusterPlan(
            settings, replicas=replicas, gateways=gateways, port=port, workdir=workdir, edge=edge
        )
        self.launcher: Launcher | None = None
        self.supervisor = EngineSupervisor(self.engines)

    def start(self, timeout: float = 240.0) -> None:
        started = time.monotonic()
        self.engines.build()
        self.engines.start(timeout=timeout)
        log.info("ha_engines_ready", seconds=round(time.monotonic() - started, 1))
        self.plan.settings = ha_settings(self.settings, self.engines)
        self.plan.build()
        self.launcher = Launcher(self.plan, restart=self.restart)
        if self.restart:
            self.supervisor.start()
        self.launcher.start(timeout=max(60.0, timeout - (time.monotonic() - started)))

    def describe(self) -> str:
        ports = self.engines.ports
        lines = (self.launcher.describe() if self.launcher else "").splitlines()
        # The cluster's own lines end with "Press Ctrl-C to stop." and a blank line.
        tail = lines[-2:] if len(lines) >= 2 else []
        lines = lines[:-2] if len(lines) >= 2 else lines
        lines += [
            "High availability (`agora cluster status` shows roles, lag and PIDs):",
            f"  PostgreSQL writes  127.0.0.1:{ports.haproxy_primary} (HAProxy -> Patroni leader)",
            f"  PostgreSQL reads   127.0.0.1:{ports.haproxy_replicas} "
            "(HAProxy -> synchronous standbys)",
            f"  HAProxy stats      http://127.0.0.1:{ports.haproxy_stats}/",
            f"  etcd               {self.engines.etcd_endpoints}",
            f"  Redis (Sentinel)   {self.engines.redis_url()}",
        ]
        return "\n".join(lines + tail)

    def supervise(self) -> None:
        if self.launcher is not None:
            self.launcher.supervise()

    def stop(self) -> None:
        self.supervisor.stop()
        if self.launcher is not None:
            self.launcher.stop()
        self.engines.stop()
