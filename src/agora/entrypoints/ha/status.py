"""`agora cluster status` and `agora cluster switchover` for an HA work dir: roles, lag and PIDs
from Patroni's REST API, etcd's and Redis's own answers; a planned switchover through Patroni's
`POST /switchover`."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import httpx
import redis

from agora.entrypoints.ha.engines import HAPorts, postmaster_pid

ROLE_NAMES = {"leader": "leader", "sync_standby": "sync standby", "replica": "replica"}


def _pid_listening_on(port: int) -> int | None:
    """The pid of the process listening on a loopback TCP port (from /proc), if any."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (proc / "fd").iterdir():
                target = str(fd.readlink())
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(proc.name)
    return None


def _postgres_members(root: Path, ports: HAPorts) -> list[dict[str, Any]]:
    cluster: dict[str, Any] = {"members": []}
    for member in ports.members:
        with contextlib.suppress(httpx.HTTPError, ValueError):
            response = httpx.get(f"http://127.0.0.1:{member.rest}/cluster", timeout=2)
            if response.status_code == 200:
                cluster = response.json()
                break
    seen = {str(m["name"]): m for m in cluster.get("members", [])}
    rows = []
    for member in ports.members:
        info = seen.get(member.name, {})
        role = str(info.get("role", "down")) if info else "down"
        lag = info.get("lag")
        rows.append(
            {
                "name": member.name,
                "kind": "postgresql",
                "role": role,
                "state": info.get("state", "stopped"),
                "pid": postmaster_pid(root / "postgres" / member.name),
                "port": member.pg,
                "rest_port": member.rest,
                "patroni_pid": _pid_listening_on(member.rest),
                "timeline": info.get("timeline"),
                "lag_bytes": lag if isinstance(lag, int) else (0 if role == "leader" else None),
            }
        )
    return rows


def _etcd_members(ports: HAPorts) -> list[dict[str, Any]]:
    leader_id = None
    statuses: dict[str, dict[str, Any]] = {}
    for member in ports.etcd:
        with contextlib.suppress(httpx.HTTPError, ValueError):
            status = httpx.post(
                f"http://127.0.0.1:{member.client}/v3/maintenance/status", json={}, timeout=2
            ).json()
            statuses[member.name] = status
            leader_id = status.get("leader", leader_id)
    rows = []
    for member in ports.etcd:
        status = statuses.get(member.name)
        if status is None:
            role = "down"
        else:
            member_id = status.get("header", {}).get("member_id")
            role = "leader" if member_id == leader_id else "follower"
        rows.append(
            {
                "name": member.name,
                "kind": "etcd",
                "role": role,
                "pid": _pid_listening_on(member.client),
                "port": member.client,
            }
        )
    return rows


def _redis_role(port: int) -> str:
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1)
    try:
        role = client.execute_command("ROLE")  # type: ignore[no-untyped-call]
        name = role[0].decode() if isinstance(role[0], bytes) else str(role[0])
        return "sentinel" if name == "sentinels" else name
    except (redis.RedisError, OSError):
        return "down"
    finally:
        client.close()


def _redis_nodes(ports: HAPorts) -> list[dict[str, Any]]:
    rows = []
    for group in ports.redis_groups:
        for index, port in enumerate(group.redis):
            rows.append(
                {
                    "name": f"redis-{group.name}-{index + 1}",
                    "kind": "redis",
                    "group": group.name,
                    "role": _redis_role(port),
                    "pid": _pid_listening_on(port),
                    "port": port,
                }
            )
    for index, port in enumerate(ports.sentinels):
        pid = _pid_listening_on(port)
        rows.append(
            {
                "name": f"sentinel-{index + 1}",
                "kind": "sentinel",
                "role": "sentinel" if pid else "down",
                "pid": pid,
                "port": port,
            }
        )
    return rows


def ha_status(root: Path) -> dict[str, Any]:
    """Every HA member with name, role, pid and port (and the PostgreSQL lag)."""
    ports = HAPorts.load(root / "plan.json")
    redis = _redis_nodes(ports)
    return {
        "postgresql": _postgres_members(root, ports),
        "etcd": _etcd_members(ports),
        "redis": redis,
        "haproxy": {
            "primary_port": ports.haproxy_primary,
            "replicas_port": ports.haproxy_replicas,
            "pid": _pid_listening_on(ports.haproxy_primary),
        },
    }


def format_ha_status(status: dict[str, Any]) -> str:
    lines = ["PostgreSQL (Patroni)"]
    for m in status["postgresql"]:
        lag = "-" if m["lag_bytes"] is None else f"{m['lag_bytes']} B"
        lines.append(
            f"  {m['name']:<6} {ROLE_NAMES.get(m['role'], m['role']):<13} {m['state']:<10} "
            f"port={m['port']:<6} pid={m['pid'] or '-':<8} lag={lag:<8} timeline={m['timeline']}"
        )
    lines.append("etcd")
    lines += [
        f"  {m['name']:<6} {m['role']:<13} port={m['port']:<6} pid={m['pid'] or '-'}"
        for m in status["etcd"]
    ]
    if status["redis"]:
        lines.append("Redis (Sentinel)")
        lines += [
            f"  {m['name']:<18} {m['role']:<9} port={m['port']:<6} pid={m['pid'] or '-'}"
            for m in status["redis"]
        ]
    proxy = status["haproxy"]
    lines.append(
        f"HAProxy  writes 127.0.0.1:{proxy['primary_port']}  reads "
        f"127.0.0.1:{proxy['replicas_port']}  pid={proxy['pid'] or '-'}"
    )
    return "\n".join(lines)


def switchover(root: Path, candidate: str | None = None) -> str:
    """A planned switchover through Patroni; returns Patroni's answer. Raises RuntimeError when
    Patroni refuses (no healthy candidate, a switchover already running)."""
    ports = HAPorts.load(root / "plan.json")
    members = _postgres_members(root, ports)
    leader = next((m for m in members if m["role"] == "leader"), None)
    if leader is None:
        raise RuntimeError("no PostgreSQL leader to switch over from")
    body: dict[str, str] = {"leader": leader["name"]}
    if candidate is not None:
        body["candidate"] = candidate
    response = httpx.post(
        f"http://127.0.0.1:{leader['rest_port']}/switchover", json=body, timeout=60
    )
    if response.status_code != 200:
        raise RuntimeError(f"Patroni refused the switchover: {response.text.strip()}")
    return response.text.strip()
