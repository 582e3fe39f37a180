"""The HA engines as processes: three etcd members, three Patroni-managed PostgreSQL 15 members and
HAProxy in front of them, with their configuration files written into the cluster's work dir.

Nothing here replicates or elects: etcd holds the leader key, Patroni runs PostgreSQL's streaming
replication and promotes a synchronous standby when the leader's key expires, HAProxy asks each
Patroni's REST API which member is the primary (`/primary`) and which are replicas (`/replica`).

PostgreSQL refuses to run as root, so when the launcher is root the Patroni members (and the
PostgreSQL they start) run as the `postgres` system user, on data directories that user owns.
The plan (ports, passwords) is kept in `ha/plan.json` so that a second `agora cluster up --ha` on
the same work dir finds its etcd members and PostgreSQL data again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import asyncpg
import httpx
import redis
import structlog

from agora.entrypoints.processes import Supervised

log = structlog.get_logger("agora.cluster.ha")

PATRONI = "/usr/bin/patroni"
ETCD = "/usr/bin/etcd"
HAPROXY = "/usr/sbin/haproxy"
REDIS_SERVER = "/usr/bin/redis-server"
REDIS_SENTINEL = "/usr/bin/redis-sentinel"
PG_BIN_DIR = "/usr/lib/postgresql/15/bin"
DEBIAN_PACKAGES = "patroni etcd-server etcd-client haproxy redis-sentinel"
INSTALL_HINT = f"apt-get install -y {DEBIAN_PACKAGES} postgresql-15"
SCOPE = "agora"
MEMBERS = 3
APP_USER = "agora"
# Of a member's log, in the error of a start that timed out.
LOG_LINES_REPORTED = 20


def missing_engines() -> list[str]:
    """The engine binaries this machine lacks (empty when `--ha` can run)."""
    wanted = [PATRONI, ETCD, HAPROXY, f"{PG_BIN_DIR}/postgres", REDIS_SERVER, REDIS_SENTINEL]
    return [path for path in wanted if not Path(path).exists()]


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class PortPool:
    """Free loopback ports, from `base` upwards (or the kernel's choice when `base` is 0)."""

    def __init__(self, base: int = 0) -> None:
        self._next = base
        self._taken: set[int] = set()

    def take(self) -> int:
        if self._next == 0:
            while True:
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", 0))
                    port = int(sock.getsockname()[1])
                if port not in self._taken:
                    break
        else:
            while not _port_is_free(self._next) or self._next in self._taken:
                self._next += 1
            port = self._next
            self._next += 1
        self._taken.add(port)
        return port


@dataclass
class MemberPorts:
    """One Patroni member's PostgreSQL and REST ports."""

    name: str
    pg: int
    rest: int


@dataclass
class EtcdPorts:
    name: str
    client: int
    peer: int


@dataclass
class RedisGroupPorts:
    """One Sentinel-monitored Redis group: its data nodes (the first starts as the master)."""

    name: str
    redis: list[int]


@dataclass
class HAPorts:
    """Every port and secret of one HA work dir, kept across restarts."""

    etcd: list[EtcdPorts]
    members: list[MemberPorts]
    haproxy_primary: int
    haproxy_replicas: int
    haproxy_stats: int
    redis_groups: list[RedisGroupPorts]
    sentinels: list[int]
    superuser_password: str
    replication_password: str
    app_password: str

    @classmethod
    def allocate(cls, base: int, redis_groups: int) -> HAPorts:
        pool = PortPool(base)
        return cls(
            etcd=[EtcdPorts(f"etcd{i + 1}", pool.take(), pool.take()) for i in range(MEMBERS)],
            members=[MemberPorts(f"pg{i + 1}", pool.take(), pool.take()) for i in range(MEMBERS)],
            haproxy_primary=pool.take(),
            haproxy_replicas=pool.take(),
            haproxy_stats=pool.take(),
            # "main" carries the bus, hub, rate limits and discovery; the cache's ring spreads
            # keys over every group.
            redis_groups=[
                RedisGroupPorts("main" if g == 0 else f"cache{g}", [pool.take() for _ in range(3)])
                for g in range(redis_groups)
            ],
            sentinels=[pool.take() for _ in range(MEMBERS)],
            superuser_password=secrets.token_urlsafe(18),
            replication_password=secrets.token_urlsafe(18),
            app_password=secrets.token_urlsafe(18),
        )

    @classmethod
    def load(cls, path: Path) -> HAPorts:
        raw = json.loads(path.read_text())
        return cls(
            etcd=[EtcdPorts(**e) for e in raw.pop("etcd")],
            members=[MemberPorts(**m) for m in raw.pop("members")],
            redis_groups=[RedisGroupPorts(**g) for g in raw.pop("redis_groups")],
            **raw,
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2))
        path.chmod(0o600)


@dataclass
class Engine(Supervised):
    """One engine process (etcd, Patroni, HAProxy, Redis) and how to start it again."""

    name: str
    argv: list[str]
    log_path: Path
    port: int
    as_postgres: bool = False
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        # Debian's engines run on Debian's Python and libraries, not on this virtualenv's.
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
        env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin"
        kwargs: dict[str, Any] = {}
        if self.as_postgres and os.geteuid() == 0:
            # Popen switches user in the child before exec (what `runuser -u postgres` does),
            # so `proc.pid` is the engine's own pid, which the kill tests need.
            kwargs.update(user="postgres", group="postgres", extra_groups=[])
            env["HOME"] = str(self.log_path.parent.parent)
        self._spawn(self.argv, env=env, stdin=subprocess.DEVNULL, **kwargs)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.alive() and self.proc is not None else None

    def stop(self, grace: float = 20.0) -> None:
        super().stop(grace)


def _chown_to_postgres(path: Path) -> None:
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam("postgres")
    os.chown(path, entry.pw_uid, entry.pw_gid)


def check_reachable_by_postgres(path: Path) -> None:
    """Refuse early, with the fix, when the postgres user cannot reach the HA work dir."""
    if os.geteuid() != 0:
        return
    probe = subprocess.run(  # noqa: S603 - fixed arguments
        ["/usr/sbin/runuser", "-u", "postgres", "--", "test", "-w", str(path)],
        check=False,
    )
    if probe.returncode != 0:
        raise RuntimeError(
            f"the postgres user cannot write {path}: PostgreSQL refuses to run as root, so the "
            "HA members run as postgres; use a --data-dir every user can traverse (e.g. under /srv "
            "or /tmp)"
        )


def postmaster_pid(data_dir: Path) -> int | None:
    """The pid in a data directory's postmaster.pid, when that process is alive."""
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def children_of(pid: int) -> list[int]:
    """The direct children of a process (PostgreSQL's backends of a postmaster)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The second field (comm) is in parentheses and may hold spaces: split after it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


class HAEngines:
    """The plan, configuration files and processes of the HA engines under `root`."""

    def __init__(self, root: Path, *, base_port: int = 0, redis_groups: int = 2) -> None:
        self.root = root
        self.logs = root / "logs"
        plan_file = root / "plan.json"
        root.mkdir(parents=True, exist_ok=True)
        root.chmod(0o755)
        self.logs.mkdir(exist_ok=True)
        if plan_file.exists():
            self.ports = HAPorts.load(plan_file)
        else:
            self.ports = HAPorts.allocate(base_port, redis_groups)
            self.ports.save(plan_file)
        self.etcd: list[Engine] = []
        self.patroni: list[Engine] = []
        self.haproxy: Engine | None = None
        self.redis: list[Engine] = []
        self.sentinels: list[Engine] = []

    # ------------------------------------------------------------------ configuration
    @property
    def etcd_hosts(self) -> list[str]:
        return [f"127.0.0.1:{e.client}" for e in self.ports.etcd]

    @property
    def etcd_endpoints(self) -> str:
        return ",".join(f"http://{host}" for host in self.etcd_hosts)

    def data_dir(self, member: str) -> Path:
        return self.root / "postgres" / member

    def rest_url(self, member: MemberPorts) -> str:
        return f"http://127.0.0.1:{member.rest}"

    def database_url_template(self) -> str:
        """Where services write: HAProxy's port that always leads to the current primary."""
        return (
            f"postgresql+asyncpg://{APP_USER}:{self.ports.app_password}"
            f"@127.0.0.1:{self.ports.haproxy_primary}/agora_{{service}}"
        )

    def read_url_template(self) -> str:
        """Where read sessions go: HAProxy's port that balances over the synchronous standbys."""
        return (
            f"postgresql+asyncpg://{APP_USER}:{self.ports.app_password}"
            f"@127.0.0.1:{self.ports.haproxy_replicas}/agora_{{service}}"
        )

    def redis_url(self, group: str = "main") -> str:
        """The group's master, as Sentinel names it (clients follow a failover on their own)."""
        hosts = ",".join(f"127.0.0.1:{port}" for port in self.ports.sentinels)
        return f"redis+sentinel://{hosts}/{group}/0"

    def cache_redis_urls(self) -> list[str]:
        """Every group: the cache's consistent-hash ring spreads keys over them."""
        return [self.redis_url(group.name) for group in self.ports.redis_groups]

    def superuser_url(self) -> str:
        return (
            f"postgresql://postgres:{self.ports.superuser_password}"
            f"@127.0.0.1:{self.ports.haproxy_primary}/postgres"
        )

    def _etcd_engine(self, index: int) -> Engine:
        me = self.ports.etcd[index]
        cluster = ",".join(f"{e.name}=http://127.0.0.1:{e.peer}" for e in self.ports.etcd)
        data = self.root / "etcd" / me.name
        data.parent.mkdir(exist_ok=True)
        argv = [
            ETCD,
            f"--name={me.name}",
            f"--data-dir={data}",
            f"--listen-client-urls=http://127.0.0.1:{me.client}",
            f"--advertise-client-urls=http://127.0.0.1:{me.client}",
            f"--listen-peer-urls=http://127.0.0.1:{me.peer}",
            f"--initial-advertise-peer-urls=http://127.0.0.1:{me.peer}",
            f"--initial-cluster={cluster}",
            "--initial-cluster-state=new",
            f"--initial-cluster-token=agora-{self.ports.etcd[0].peer}",
            "--log-level=warn",
        ]
        return Engine(me.name, argv, self.logs / f"{me.name}.log", me.client)

    def _patroni_config(self, member: MemberPorts) -> dict[str, Any]:
        return {
            "scope": SCOPE,
            "namespace": "/agora/",
            "name": member.name,
            "log": {"level": "INFO"},
            "restapi": {
                "listen": f"127.0.0.1:{member.rest}",
                "connect_address": f"127.0.0.1:{member.rest}",
            },
            "etcd3": {"hosts": self.etcd_hosts},
            "bootstrap": {
                "dcs": {
                    # A dead leader's key expires after `ttl` seconds: the failover time's bulk.
                    # Patroni wants loop_wait + 2 * retry_timeout <= ttl.
                    "ttl": 10,
                    "loop_wait": 1,
                    "retry_timeout": 4,
                    "maximum_lag_on_failover": 1048576,
                    # A commit is acknowledged once a synchronous standby has it: a failover
                    # promotes that standby, so no acknowledged write is lost.
                    "synchronous_mode": True,
                    # Both replicas synchronous: with `remote_apply` on the services' write
                    # sessions, every member the read port reaches has applied each acknowledged
                    # commit (docs/decisions/0017).
                    "synchronous_node_count": 2,
                    "postgresql": {
                        "use_pg_rewind": True,
                        "use_slots": True,
                        "parameters": {
                            "max_connections": 300,
                            "shared_buffers": "32MB",
                            "wal_level": "replica",
                            "hot_standby": "on",
                            "wal_log_hints": "on",
                            "max_wal_senders": 10,
                            "max_replication_slots": 10,
                            "wal_keep_size": "128MB",
                            "hot_standby_feedback": "on",
                        },
                    },
                },
                "initdb": [{"encoding": "UTF8"}, {"locale": "C.UTF-8"}, "data-checksums"],
            },
            "postgresql": {
                "listen": f"127.0.0.1:{member.pg}",
                "connect_address": f"127.0.0.1:{member.pg}",
                "data_dir": str(self.data_dir(member.name)),
                "bin_dir": PG_BIN_DIR,
                "pgpass": str(self.root / "postgres" / f".pgpass_{member.name}"),
                "authentication": {
                    "superuser": {
                        "username": "postgres",
                        "password": self.ports.superuser_password,
                    },
                    "replication": {
                        "username": "replicator",
                        "password": self.ports.replication_password,
                    },
                    "rewind": {"username": "postgres", "password": self.ports.superuser_password},
                },
                "pg_hba": [
                    "local all all trust",
                    "host replication replicator 127.0.0.1/32 scram-sha-256",
                    "host all all 127.0.0.1/32 scram-sha-256",
                ],
                "parameters": {"unix_socket_directories": str(self.root / "postgres")},
            },
            "tags": {"nofailover": False, "noloadbalance": False, "clonefrom": False},
        }

    def _patroni_engine(self, member: MemberPorts) -> Engine:
        config = self.root / "postgres" / f"{member.name}.yml"
        # JSON is YAML: Patroni reads it as its configuration file.
        config.write_text(json.dumps(self._patroni_config(member), indent=2))
        config.chmod(0o600)
        _chown_to_postgres(config)
        return Engine(
            f"patroni-{member.name}",
            [PATRONI, str(config)],
            self.logs / f"patroni-{member.name}.log",
            member.rest,
            as_postgres=True,
        )

    def _haproxy_config(self) -> str:
        def check(path: str) -> list[str]:
            return [f"    option httpchk OPTIONS /{path}", "    http-check expect status 200"]

        def server(m: MemberPorts, *options: str, name: str = "") -> str:
            address = f"{name or m.name} 127.0.0.1:{m.pg}"
            return " ".join([f"    server {address} maxconn 250", *options])

        members = self.ports.members
        lines = [
            "global",
            "    maxconn 1000",
            "defaults",
            "    mode tcp",
            "    retries 2",
            "    timeout connect 2s",
            "    timeout client 30m",
            "    timeout server 30m",
            "    timeout check 2s",
            # Patroni answers a health check in a millisecond; one failed check marks a member
            # down and closes its sessions, so clients do not keep writing to a demoted primary.
            "    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions",
            "listen stats",
            "    mode http",
            f"    bind 127.0.0.1:{self.ports.haproxy_stats}",
            "    stats enable",
            "    stats uri /",
            "listen primary",
            f"    bind 127.0.0.1:{self.ports.haproxy_primary}",
            *check("primary"),
            *(server(m, f"check port {m.rest}") for m in members),
            # Reads: the synchronous standbys (they have applied every acknowledged commit), or
            # the primary, as a backup server, while there is none. A standby marked up again
            # closes the sessions on the primary, so the pools that fell back to it reconnect to
            # the standbys instead of reading on the primary until their connections recycle.
            "listen replicas",
            f"    bind 127.0.0.1:{self.ports.haproxy_replicas}",
            "    balance roundrobin",
            *check("synchronous"),
            *(
                server(m, f"check port {m.rest}", "on-marked-up shutdown-backup-sessions")
                for m in members
            ),
            *(
                server(m, "backup", f"track primary/{m.name}", name=f"{m.name}-primary")
                for m in members
            ),
        ]
        return "\n".join(lines) + "\n"

    def _haproxy_engine(self) -> Engine:
        config = self.root / "haproxy.cfg"
        config.write_text(self._haproxy_config())
        return Engine(
            "haproxy",
            [HAPROXY, "-db", "-f", str(config)],
            self.logs / "haproxy.log",
            self.ports.haproxy_primary,
        )

    def _redis_engines(self) -> list[Engine]:
        engines = []
        for group in self.ports.redis_groups:
            master = group.redis[0]
            for index, port in enumerate(group.redis):
                data = self.root / "redis" / f"{group.name}-{index + 1}"
                data.mkdir(parents=True, exist_ok=True)
                config = data / "redis.conf"
                # Sentinel rewrites this file when it turns the node into a master or a replica
                # (REPLICAOF + CONFIG REWRITE): a second start keeps the roles it gave.
                if not config.exists():
                    lines = [
                        f"port {port}",
                        "bind 127.0.0.1",
                        f"dir {data}",
                        "daemonize no",
                        "protected-mode no",
                        'save ""',
                        # A master restarted by the supervisor comes back with its data, so its
                        # replicas never copy an empty dataset from it before Sentinel steps in.
                        "appendonly yes",
                        "appendfsync everysec",
                    ]
                    if index:
                        lines.append(f"replicaof 127.0.0.1 {master}")
                    config.write_text("\n".join(lines) + "\n")
                argv = [REDIS_SERVER, str(config)]
                name = f"redis-{group.name}-{index + 1}"
                engines.append(Engine(name, argv, self.logs / f"{name}.log", port))
        return engines

    def _sentinel_config(self, port: int) -> str:
        lines = [
            f"port {port}",
            "bind 127.0.0.1",
            "protected-mode no",
            "daemonize no",
            f"dir {self.root / 'redis'}",
        ]
        for group in self.ports.redis_groups:
            lines += [
                # Two of three sentinels must agree the master is down.
                f"sentinel monitor {group.name} 127.0.0.1 {group.redis[0]} 2",
                f"sentinel down-after-milliseconds {group.name} 1000",
                f"sentinel failover-timeout {group.name} 5000",
                f"sentinel parallel-syncs {group.name} 1",
            ]
        return "\n".join(lines) + "\n"

    def _sentinel_engines(self) -> list[Engine]:
        engines = []
        for index, port in enumerate(self.ports.sentinels):
            config = self.root / "redis" / f"sentinel-{index + 1}.conf"
            # Sentinel rewrites its file with what it learnt (the current master, the replicas):
            # a second start keeps that, rather than pointing at the first master again.
            if not config.exists():
                config.write_text(self._sentinel_config(port))
            name = f"sentinel-{index + 1}"
            engines.append(
                Engine(name, [REDIS_SENTINEL, str(config)], self.logs / f"{name}.log", port)
            )
        return engines

    def build(self) -> None:
        """Write every configuration file and make the processes (none is started)."""
        postgres_root = self.root / "postgres"
        postgres_root.mkdir(exist_ok=True)
        postgres_root.chmod(0o700)
        _chown_to_postgres(postgres_root)
        check_reachable_by_postgres(postgres_root)
        self.etcd = [self._etcd_engine(i) for i in range(MEMBERS)]
        self.patroni = [self._patroni_engine(m) for m in self.ports.members]
        self.haproxy = self._haproxy_engine()
        self.redis = self._redis_engines()
        self.sentinels = self._sentinel_engines()
        for engine in self.patroni:
            engine.log_path.touch()
            _chown_to_postgres(engine.log_path)

    @property
    def engines(self) -> list[Engine]:
        proxy = [self.haproxy] if self.haproxy else []
        return [*self.etcd, *self.patroni, *proxy, *self.redis, *self.sentinels]

    def by_name(self, name: str) -> Engine:
        return next(e for e in self.engines if e.name == name)

    def member_engine(self, member: str) -> Engine:
        return self.by_name(f"patroni-{member}")

    # ------------------------------------------------------------------ running
    def start(self, timeout: float = 180.0) -> None:
        """Start etcd, then Patroni, then HAProxy; return once a primary takes writes through
        HAProxy with the application's role and two replicas stream from it."""
        until = time.monotonic() + timeout
        for engine in [*self.etcd, *self.redis, *self.sentinels]:
            engine.start()
        self._wait(self._etcd_healthy, until, "the etcd quorum to form", self.etcd[0])
        for engine in self.patroni:
            engine.start()
        if self.haproxy is not None:
            self.haproxy.start()
        self._wait(lambda: self.leader() is not None, until, "a Patroni leader", self.patroni[0])
        self._wait(self._app_role_ready, until, "the application role", self.patroni[0])
        self._wait(
            lambda: len(self.streaming_replicas()) == MEMBERS - 1,
            until,
            "two streaming replicas",
            self.patroni[-1],
            explain=self._members_report,
        )
        self._wait(
            lambda: bool(self.members_by_role("sync_standby")),
            until,
            "a synchronous standby",
            self.patroni[-1],
            explain=self._members_report,
        )
        self._wait(self._sentinels_ready, until, "Redis Sentinel", self.sentinels[0])

    def _sentinels_ready(self) -> bool:
        """Every sentinel sees each group's master with two replicas and two other sentinels."""
        for port in self.ports.sentinels:
            client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
            try:
                for group in self.ports.redis_groups:
                    state = cast(dict[str, Any], client.sentinel_master(group.name))
                    if state["num-slaves"] < 2 or state["num-other-sentinels"] < 2:
                        return False
            finally:
                client.close()
        return True

    def redis_master(self, group: str = "main") -> int:
        """The port of the group's current master, as the sentinels say."""
        client = redis.Redis(host="127.0.0.1", port=self.ports.sentinels[0], socket_timeout=1)
        try:
            address = cast(tuple[str, int], client.sentinel_get_master_addr_by_name(group))
            return int(address[1])
        finally:
            client.close()

    def _wait(
        self,
        ready: Any,
        until: float,
        what: str,
        engine: Engine,
        *,
        explain: Callable[[], str] | None = None,
    ) -> None:
        while time.monotonic() < until:
            with contextlib.suppress(Exception):
                if ready():
                    return
            time.sleep(0.5)
        message = f"timed out waiting for {what}; see {engine.log_path}"
        if explain is not None:
            # The data directory may be gone by the time someone reads the error (a test's
            # temporary one is): the state and the logs' last lines go with it.
            message += "\n" + explain()
        raise RuntimeError(message)

    def _members_report(self) -> str:
        """Patroni's view of each member, and the last lines of the log of every member that is
        not running or streaming."""
        seen = {str(m.get("name")): m for m in self.cluster().get("members", [])}
        lines = []
        for member in self.ports.members:
            state = seen.get(member.name)
            summary = (
                "absent from Patroni's view"
                if state is None
                else ", ".join(f"{key} {state.get(key)}" for key in ("role", "state", "lag"))
            )
            lines.append(f"{member.name}: {summary}")
            if state is None or state.get("state") not in {"running", "streaming"}:
                log = self.logs / f"patroni-{member.name}.log"
                with contextlib.suppress(OSError):
                    tail = log.read_text(errors="replace").splitlines()[-LOG_LINES_REPORTED:]
                    lines += [f"  {line}" for line in tail]
        return "\n".join(lines)

    def _etcd_healthy(self) -> bool:
        for host in self.etcd_hosts:
            if httpx.get(f"http://{host}/health", timeout=1).json().get("health") != "true":
                return False
        return True

    def _app_role_ready(self) -> bool:
        """Create the services' login role (once) through HAProxy's primary port."""

        async def ensure() -> bool:
            conn = await asyncpg.connect(self.superuser_url(), timeout=3)
            try:
                if await conn.fetchval("SELECT pg_is_in_recovery()"):
                    return False
                exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", APP_USER)
                password = self.ports.app_password.replace("'", "''")
                verb = "ALTER" if exists else "CREATE"
                await conn.execute(f"{verb} ROLE {APP_USER} LOGIN CREATEDB PASSWORD '{password}'")
                return True
            finally:
                await conn.close()

        return asyncio.run(ensure())

    def cluster(self) -> dict[str, Any]:
        """Patroni's view of the cluster (`GET /cluster` on any member that answers)."""
        for member in self.ports.members:
            with contextlib.suppress(httpx.HTTPError, ValueError):
                response = httpx.get(f"{self.rest_url(member)}/cluster", timeout=2)
                if response.status_code == 200:
                    body: dict[str, Any] = response.json()
                    return body
        return {"members": []}

    def leader(self) -> str | None:
        for member in self.cluster().get("members", []):
            if member.get("role") == "leader" and member.get("state") == "running":
                return str(member["name"])
        return None

    def members_by_role(self, role: str) -> list[str]:
        return [str(m["name"]) for m in self.cluster().get("members", []) if m.get("role") == role]

    def streaming_replicas(self) -> list[str]:
        return [
            str(m["name"])
            for m in self.cluster().get("members", [])
            if m.get("role") in {"replica", "sync_standby"}
            and m.get("state") in {"streaming", "running"}
        ]

    def kill_member(self, member: str) -> None:
        """SIGKILL a member's Patroni, its postmaster and every backend: a machine gone at once."""
        engine = self.member_engine(member)
        postmaster = postmaster_pid(self.data_dir(member))
        victims = []
        if engine.pid is not None:
            victims.append(engine.pid)
        if postmaster is not None:
            victims += [postmaster, *children_of(postmaster)]
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        engine.wait(10)

    def stop(self) -> None:
        """HAProxy, then every Patroni member at once (each stops its PostgreSQL), then etcd."""
        if self.haproxy is not None:
            self.haproxy.stop()
        for engine in self.patroni:
            engine.signal(signal.SIGTERM)
        for engine in self.patroni:
            engine.wait(60)
        for member in self.ports.members:
            # A member killed without its Patroni leaves a postmaster behind: stop it too.
            pid = postmaster_pid(self.data_dir(member.name))
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGQUIT)
        for engine in self.etcd:
            engine.stop()
        for engine in [*self.sentinels, *self.redis]:
            engine.signal(signal.SIGTERM)
        for engine in [*self.sentinels, *self.redis]:
            engine.wait(10)

    def remove(self) -> None:
        """Delete the work dir (tests)."""
        shutil.rmtree(self.root, ignore_errors=True)
