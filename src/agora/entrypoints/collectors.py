"""Central logs and metrics of a cluster on this machine, with Debian's rsyslog and Prometheus.

Every cluster process writes its ECS JSON lines to its own file in `<workdir>/logs/`. Two rsyslog
daemons of our own (own config, pid file and work directory; the machine's syslog is untouched)
move them to one place:

- the *shipper* tails every process's file (imfile, its read positions kept in its work
  directory) and sends each line over RELP through a disk-assisted queue;
- the *receiver* accepts RELP and appends each JSON line to `<workdir>/central/YYYY-MM-DD.log`
  (lines that are not JSON, such as a crash's traceback, to `unparsed-YYYY-MM-DD.log`).

RELP acknowledges each message only once the receiver has written it, and the shipper keeps what
is not acknowledged (in memory, spilling to disk), so a receiver that dies and comes back loses no
line; a shipper that dies resumes from the positions it saved (a few lines may arrive twice).

Prometheus scrapes every instance: its targets are a file_sd file rewritten from discovery every
few seconds, so a replica that appears, moves or dies is followed without a restart.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

import httpx
import structlog

from agora.entrypoints.processes import Supervised
from agora.platform.config import Settings

log = structlog.get_logger("agora.collectors")

RSYSLOGD = "rsyslogd"
PROMETHEUS = "prometheus"
TARGETS_REFRESH_SECONDS = 5.0


class PlannedChild(Protocol):
    """What the collectors need to know of a cluster process."""

    name: str
    port: int


@dataclass
class Daemon(Supervised):
    """A collector process we started, and how to start it again."""

    name: str
    args: list[str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self._spawn(self.args)


def _rsyslog_common(workdir: Path) -> str:
    return (
        f'global(workDirectory="{workdir}" maxMessageSize="256k" '
        'parser.escapeControlCharactersOnReceive="off")\n'
    )


def receiver_config(workdir: Path, central: Path, port: int) -> str:
    """The receiver: RELP in, one file per day out. The ruleset runs synchronously (Direct queue)
    and the file is written at the end of each batch, so a line is in the file before RELP
    acknowledges it."""
    return (
        _rsyslog_common(workdir)
        + f"""
module(load="imrelp")
module(load="mmjsonparse")
template(name="agoraDay" type="string" string="{central}/%$year%-%$month%-%$day%.log")
template(name="agoraDayUnparsed" type="string"
         string="{central}/unparsed-%$year%-%$month%-%$day%.log")
template(name="agoraLine" type="string" string="%msg%\\n")
ruleset(name="central" queue.type="Direct") {{
  action(type="mmjsonparse" cookie="")
  if $parsesuccess == "OK" then {{
    action(type="omfile" dynaFile="agoraDay" template="agoraLine" flushOnTXEnd="on"
           dirCreateMode="0755" fileCreateMode="0644")
  }} else {{
    action(type="omfile" dynaFile="agoraDayUnparsed" template="agoraLine" flushOnTXEnd="on")
  }}
}}
input(type="imrelp" address="127.0.0.1" port="{port}" ruleset="central" maxDataSize="256k")
"""
    )


def shipper_config(workdir: Path, logs: Path, port: int) -> str:
    """The shipper: tail every process's file, send over RELP through a disk-assisted queue
    that retries for ever."""
    return (
        _rsyslog_common(workdir)
        + f"""
module(load="imfile" mode="inotify")
module(load="omrelp")
template(name="agoraForward" type="string"
         string="<134>1 %timegenerated:::date-rfc3339% %hostname% agora - - - %msg%")
ruleset(name="ship") {{
  action(type="omrelp" target="127.0.0.1" port="{port}" template="agoraForward"
         action.resumeRetryCount="-1" action.resumeInterval="1"
         queue.type="LinkedList" queue.filename="ship" queue.size="200000"
         queue.highWatermark="50000" queue.maxDiskSpace="1g" queue.saveOnShutdown="on"
         queue.checkpointInterval="100" queue.dequeueBatchSize="256")
}}
input(type="imfile" file="{logs}/*.log" tag="agora" ruleset="ship"
      persistStateInterval="100" reopenOnTruncate="on")
"""
    )


def prometheus_config(targets_dir: Path) -> str:
    return f"""# Written by `agora cluster up`; targets come from discovery (file_sd).
global:
  scrape_interval: 5s
  scrape_timeout: 4s
scrape_configs:
  - job_name: agora
    file_sd_configs:
      - files: ["{targets_dir}/*.json"]
        refresh_interval: 5s
"""


def scrape_targets(
    children: list[PlannedChild], discovered: dict[str, list[dict[str, object]]]
) -> list[dict[str, object]]:
    """The file_sd document: every instance discovery knows, plus the processes it does not
    list (discovery itself, the gateways)."""
    groups: list[dict[str, object]] = []
    seen: set[str] = set()
    for service, instances in sorted(discovered.items()):
        for instance in instances:
            address = f"{instance['host']}:{instance['port']}"
            seen.add(address)
            groups.append(
                {
                    "targets": [address],
                    "labels": {"service": service, "instance_id": str(instance["id"])},
                }
            )
    for child in children:
        address = f"127.0.0.1:{child.port}"
        if address not in seen and child.name.split("-")[0] not in discovered:
            service = child.name.rsplit("-", 1)[0] if child.name[-1].isdigit() else child.name
            groups.append(
                {"targets": [address], "labels": {"service": service, "instance_id": child.name}}
            )
    return groups


def collectors_for(
    settings: Settings, workdir: Path, children: list[PlannedChild], discovery_url: str
) -> Collectors | None:
    """The collectors of a cluster, unless the settings turn them off."""
    if not settings.cluster_collectors:
        return None
    return Collectors(
        workdir,
        children,
        discovery_url=discovery_url,
        receiver_port=settings.log_receiver_port or free_port(),
        prometheus_port=settings.prometheus_port or free_port(),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_suffix(path.suffix + ".tmp")
    partial.write_text(text)
    os.replace(partial, path)


class Collectors:
    """The rsyslog receiver and shipper and Prometheus of one cluster."""

    def __init__(
        self,
        workdir: Path,
        children: list[PlannedChild],
        *,
        discovery_url: str,
        receiver_port: int,
        prometheus_port: int,
    ) -> None:
        self.workdir = workdir
        self.children = children
        self.discovery_url = discovery_url
        self.receiver_port = receiver_port
        self.prometheus_port = prometheus_port
        self.home = workdir / "collectors"
        self.central = workdir / "central"
        self.logs = workdir / "logs"
        self.targets_dir = self.home / "prometheus-targets"
        self.receiver: Daemon | None = None
        self.shipper: Daemon | None = None
        self.prometheus: Daemon | None = None
        self._stopping = threading.Event()
        self._refresher: threading.Thread | None = None

    @staticmethod
    def available() -> list[str]:
        """Which of the collectors' programs are missing on this machine."""
        return [name for name in (RSYSLOGD, PROMETHEUS) if shutil.which(name) is None]

    def _rsyslogd(self, name: str, config: str) -> Daemon:
        work = self.home / name
        work.mkdir(parents=True, exist_ok=True)
        conf = self.home / f"{name}.conf"
        conf.write_text(config)
        pid = self.home / f"{name}.pid"
        return Daemon(
            f"rsyslog-{name}",
            [shutil.which(RSYSLOGD) or RSYSLOGD, "-f", str(conf), "-i", str(pid), "-n"],
            self.home / f"{name}.out",
        )

    def start(self) -> None:
        missing = self.available()
        if missing:
            log.warning(
                "collectors_missing",
                programs=missing,
                hint="apt-get install "
                + " ".join(missing).replace("rsyslogd", "rsyslog rsyslog-relp"),
            )
            return
        self.home.mkdir(parents=True, exist_ok=True)
        self.central.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(parents=True, exist_ok=True)
        self.targets_dir.mkdir(parents=True, exist_ok=True)
        self.receiver = self._rsyslogd(
            "receiver", receiver_config(self.home / "receiver", self.central, self.receiver_port)
        )
        self.shipper = self._rsyslogd(
            "shipper", shipper_config(self.home / "shipper", self.logs, self.receiver_port)
        )
        self.refresh_targets()
        prometheus_yml = self.home / "prometheus.yml"
        prometheus_yml.write_text(prometheus_config(self.targets_dir))
        self.prometheus = Daemon(
            "prometheus",
            [
                shutil.which(PROMETHEUS) or PROMETHEUS,
                f"--config.file={prometheus_yml}",
                f"--storage.tsdb.path={self.home / 'prometheus-data'}",
                f"--web.listen-address=127.0.0.1:{self.prometheus_port}",
                "--log.level=warn",
            ],
            self.home / "prometheus.out",
        )
        for daemon in (self.receiver, self.shipper, self.prometheus):
            daemon.start()
        self._refresher = threading.Thread(
            target=self._refresh_loop, name="prometheus-targets", daemon=True
        )
        self._refresher.start()

    def refresh_targets(self) -> None:
        """Rewrite Prometheus's targets from discovery (and the processes it does not list)."""
        try:
            discovered = httpx.get(f"{self.discovery_url}/services", timeout=3).json()["services"]
        except (httpx.HTTPError, ValueError, KeyError):
            discovered = {}
        targets = scrape_targets(self.children, discovered)
        _write_atomically(self.targets_dir / "agora.json", json.dumps(targets, indent=1))

    def _refresh_loop(self) -> None:
        while not self._stopping.wait(TARGETS_REFRESH_SECONDS):
            self.refresh_targets()

    def supervise_once(self) -> None:
        """Start again a collector that died (called from the launcher's supervision loop)."""
        for daemon in (self.receiver, self.shipper, self.prometheus):
            if daemon is not None and not daemon.alive() and not self._stopping.is_set():
                log.warning("collector_died", name=daemon.name)
                daemon.stop()
                daemon.start()

    def stop(self) -> None:
        """Stop Prometheus, then the shipper (it saves its queue), then the receiver."""
        self._stopping.set()
        for daemon in (self.prometheus, self.shipper, self.receiver):
            if daemon is not None:
                daemon.stop()

    def describe(self) -> list[str]:
        if self.receiver is None:
            return []
        return [
            f"  central logs       {self.central}/YYYY-MM-DD.log (agora logs)",
            f"  prometheus         http://127.0.0.1:{self.prometheus_port}/",
        ]
