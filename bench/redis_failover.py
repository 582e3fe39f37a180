"""Redis Sentinel against Redis Cluster for `agora cluster up --ha`: the measurement behind
docs/decisions/0016. One invocation starts, from Debian's redis-server 7, on loopback ports:

- Sentinel: a master, two replicas and three sentinels (quorum 2), clients through redis-py's
  `Sentinel.master_for`, the way `platform.redis_connect` opens them;
- Cluster: three masters and three replicas made by `redis-cli --cluster create
  --cluster-replicas 1`, clients through redis-py's asyncio `RedisCluster`;

with the same failure-detection time on both (`down-after-milliseconds` and
`cluster-node-timeout`, `--timeout-ms`), and measures for each:

(a) failover: seconds from SIGKILL of the master that holds the written key to the first write
    that succeeds again, over several rounds (a fresh deployment each round);
(b) steady state: throughput and latency of the commands Agora's adapters send (SET/GET, INCR with
    EXPIRE, XADD, XREADGROUP over several streams, a Lua script over two keys, MULTI over two keys,
    PUBLISH), each tried with plain keys and, on Cluster where plain keys fail, with hash tags;
(c) pub/sub: delivery of PUBLISH to a subscriber on another node (Cluster broadcasts it over the
    cluster bus to every node) and of sharded SPUBLISH/SSUBSCRIBE (Redis 7.0), against Sentinel.

Every process and temporary directory it starts is removed at the end.

    .venv/bin/python bench/redis_failover.py [--rounds 5] [--timeout-ms 1000]
        [--cluster-port-base 46000] [--sentinel-port-base 46100]

Cluster nodes listen on BASE..BASE+5 and their cluster bus on BASE+50..BASE+55 (`cluster-port`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.sentinel import Sentinel
from redis.exceptions import RedisClusterException, RedisError

REDIS = "/usr/bin/redis-server"
REDIS_CLI = "/usr/bin/redis-cli"
SCRIPT = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])"
# The fixed-window rate limit's step (what the `limits` library's Redis storage sends).
INCR_EXPIRE = (
    "local n = redis.call('INCR', KEYS[1]); "
    "if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end; return n"
)
STREAMS = ("users", "voting", "timeline", "discussions")
# What a client error looks like: the server's (RedisError) or redis-py's own refusal to send
# keys of several slots in one command (RedisClusterException).
FAILURES = (RedisError, RedisClusterException, OSError)
Client = aioredis.Redis | RedisCluster


def start(root: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    data = root / str(port)
    data.mkdir()
    log = (root / f"{port}.log").open("ab")
    argv = [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data), "--save", ""]
    return subprocess.Popen([*argv, *extra], stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def start_sentinel(root: Path, port: int, master: int, timeout_ms: int) -> subprocess.Popen[bytes]:
    config = root / f"sentinel-{port}.conf"
    config.write_text(
        f"port {port}\nbind 127.0.0.1\nsentinel monitor main 127.0.0.1 {master} 2\n"
        f"sentinel down-after-milliseconds main {timeout_ms}\nsentinel failover-timeout main 5000\n"
    )
    log = (root / f"{port}.log").open("ab")
    argv = [REDIS, str(config), "--sentinel"]
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


@dataclass
class Deployment:
    """A running Sentinel group or Cluster: a client, the data nodes by port, and what to stop."""

    client: Client
    nodes: dict[int, subprocess.Popen[bytes]]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    async def master_port_of(self, key: str) -> int:
        if isinstance(self.client, RedisCluster):
            node = self.client.get_node_from_key(key)
            assert node is not None
            return int(node.port)
        info = await self.client.info("server")
        return int(info["tcp_port"])


@contextlib.asynccontextmanager
async def sentinel_deployment(root: Path, base: int, timeout_ms: int) -> AsyncIterator[Deployment]:
    replica_of = ("--replicaof", "127.0.0.1", str(base))
    nodes = {base: start(root, base)}
    nodes |= {port: start(root, port, *replica_of) for port in (base + 1, base + 2)}
    sentinels = [start_sentinel(root, base + 10 + i, base, timeout_ms) for i in range(3)]
    deployment = Deployment(aioredis.Redis(), nodes, [*sentinels, *nodes.values()])
    try:
        sentinel = Sentinel(  # type: ignore[no-untyped-call]
            [("127.0.0.1", base + 10 + i) for i in range(3)],
            sentinel_kwargs={"socket_timeout": 0.5},
        )
        deployment.client = sentinel.master_for(
            "main", socket_timeout=0.5, socket_connect_timeout=0.5
        )
        await until_ready(deployment.client)
        await asyncio.sleep(3)  # the sentinels find the replicas and each other
        yield deployment
    finally:
        await deployment.client.aclose()
        stop(deployment.processes)


@contextlib.asynccontextmanager
async def cluster_deployment(root: Path, base: int, timeout_ms: int) -> AsyncIterator[Deployment]:
    ports = [base + i for i in range(6)]
    cluster = ("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
    timing = ("--cluster-node-timeout", str(timeout_ms))
    nodes = {p: start(root, p, *cluster, *timing, "--cluster-port", str(p + 50)) for p in ports}
    deployment = Deployment(aioredis.Redis(), nodes, list(nodes.values()))
    try:
        for port in ports:
            await until_ready(aioredis.Redis(port=port), write=False)
        create = [REDIS_CLI, "--cluster", "create", *(f"127.0.0.1:{p}" for p in ports)]
        created = await asyncio.create_subprocess_exec(
            *create, "--cluster-replicas", "1", "--cluster-yes", stdout=subprocess.DEVNULL
        )
        if await created.wait() != 0:
            raise RuntimeError("redis-cli --cluster create failed")
        await until_cluster_ok(ports)
        deployment.client = RedisCluster(
            host="127.0.0.1", port=base, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        await until_ready(deployment.client)
        await asyncio.sleep(3)  # as for Sentinel: the replicas are in sync, gossip has settled
        yield deployment
    finally:
        await deployment.client.aclose()
        stop(deployment.processes)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for proc in processes:
        proc.kill()
        proc.wait()


async def until_ready(client: Client, within: float = 30, *, write: bool = True) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            await (client.set("probe", "1") if write else client.ping())
            break
        except FAILURES:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)
    if not write:
        await client.aclose()


async def until_cluster_ok(ports: list[int], within: float = 30) -> None:
    """Every node sees the cluster as ok and every replica's link to its master is up."""
    deadline = time.monotonic() + within
    for port in ports:
        node = aioredis.Redis(port=port, decode_responses=True)
        try:
            while True:
                info = await node.execute_command("CLUSTER", "INFO")  # type: ignore[no-untyped-call]
                replication = await node.info("replication")
                synced = replication.get("master_link_status", "up") == "up"
                if "cluster_state:ok" in str(info) and synced:
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"cluster node {port} not ready")
                await asyncio.sleep(0.2)
        finally:
            await node.aclose()


async def outage(deployment: Deployment, within: float = 60) -> float:
    """Seconds from SIGKILL of the key's master to the first write that succeeds again (infinity:
    not within `within` seconds)."""
    client = deployment.client
    await client.set("counter", 0)
    victim = deployment.nodes[await deployment.master_port_of("counter")]
    killed = time.monotonic()
    victim.send_signal(signal.SIGKILL)
    while True:
        try:
            await client.incr("counter")
            return time.monotonic() - killed
        except FAILURES:
            if time.monotonic() - killed > within:
                return math.inf
            await asyncio.sleep(0.05)


# (b) The commands Agora sends. Each takes the client, an iteration number and whether to put a
# hash tag in the keys, so that the keys of one call share a Cluster hash slot.
def tag(name: str, tagged: bool) -> str:
    return f"agora:{{{name}}}" if tagged else f"agora:{name}"


async def set_get(client: Client, i: int, tagged: bool) -> None:
    await client.set(f"agora:k:{i % 1000}", "v" * 64)
    await client.get(f"agora:k:{(i * 7) % 1000}")


async def incr_expire(client: Client, i: int, tagged: bool) -> None:
    await client.eval(INCR_EXPIRE, 1, f"agora:rate:{i % 100}", "60")


async def xadd(client: Client, i: int, tagged: bool) -> None:
    stream = f"{tag('events', tagged)}:{STREAMS[i % len(STREAMS)]}"
    await client.xadd(stream, {"type": "bench", "n": str(i)}, maxlen=10_000, approximate=True)


async def xreadgroup(client: Client, i: int, tagged: bool) -> None:
    streams = {f"{tag('events', tagged)}:{name}": ">" for name in STREAMS}
    await client.xreadgroup("bench", f"c{i % 4}", streams, count=10)  # type: ignore[arg-type]


async def lua_two_keys(client: Client, i: int, tagged: bool) -> None:
    room = f"room{i % 50}"
    keys = (f"{tag(room, tagged)}:meta", f"{tag(room, tagged)}:history")
    await client.eval(SCRIPT, 2, *keys, "x")


async def multi_two_keys(client: Client, i: int, tagged: bool) -> None:
    pipe = client.pipeline(transaction=True)
    pipe.set(f"{tag('pair', tagged)}:a", i)  # type: ignore[unused-awaitable]
    pipe.set(f"{tag('pair', tagged)}:b", i)  # type: ignore[unused-awaitable]
    await pipe.execute()


async def publish(client: Client, i: int, tagged: bool) -> None:
    await client.publish(f"agora:room{i % 50}", "x" * 200)


COMMANDS: dict[str, Callable[[Client, int, bool], Awaitable[None]]] = {
    "SET+GET": set_get,
    "INCR+EXPIRE (Lua, 1 key)": incr_expire,
    "XADD": xadd,
    f"XREADGROUP over {len(STREAMS)} streams": xreadgroup,
    "Lua over 2 keys": lua_two_keys,
    "MULTI over 2 keys": multi_two_keys,
    "PUBLISH": publish,
}


async def prepare_streams(client: Client, tagged: bool) -> None:
    for name in STREAMS:
        stream = f"{tag('events', tagged)}:{name}"
        with contextlib.suppress(RedisError):  # the group exists from an earlier pass
            await client.xgroup_create(stream, "bench", id="0", mkstream=True)


async def steady(
    client: Client, tagged: bool, ops: int, workers: int, node: aioredis.Redis | None = None
) -> dict[str, str]:
    """ops calls of each command from `workers` concurrent tasks, best of three passes (the machine
    is shared): calls/s and latency, or the error. When redis-py refuses a command itself, `node`
    (a plain connection to one Cluster node) shows what the server answers to it."""
    await prepare_streams(client, tagged)
    results = {}
    for name, command in COMMANDS.items():
        try:
            await command(client, 0, tagged)
        except FAILURES as exc:
            results[name] = f"FAILS: {type(exc).__name__}: {str(exc).splitlines()[0][:70]}"
            if node is not None:
                try:
                    await command(node, 0, tagged)
                    results[name] += "; the server accepts it"
                except FAILURES as server:
                    # A pipeline's error names the command first; the server's reply is last.
                    reply = str(server).splitlines()[0].split("caused error: ")[-1]
                    results[name] += f"; server: {reply[:60]}"
            continue
        results[name] = min(
            [await timed(client, command, tagged, ops, workers) for _ in range(3)],
            key=lambda line: -float(line.split()[0]),
        )
    return results


async def timed(
    client: Client,
    command: Callable[[Client, int, bool], Awaitable[None]],
    tagged: bool,
    ops: int,
    workers: int,
) -> str:
    latencies: list[float] = []

    async def worker(offset: int) -> None:
        for i in range(offset, ops, workers):
            began = time.perf_counter()
            await command(client, i, tagged)
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(workers)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    return f"{ops / elapsed:7.0f} calls/s  p50 {p50 * 1e3:5.2f} ms  p99 {p99 * 1e3:5.2f} ms"


# (c) Pub/sub.
async def deliveries(
    subscriber: aioredis.Redis,
    channel: str,
    send: Callable[[str], Awaitable[Any]],
    *,
    sharded: bool = False,
    count: int = 300,
) -> str:
    """Publishes `count` timestamped messages one after another; delivery latency as received."""
    pubsub = subscriber.pubsub()
    await (pubsub.ssubscribe(channel) if sharded else pubsub.subscribe(channel))
    await pubsub.get_message(timeout=1)  # the subscription's confirmation
    latencies: list[float] = []

    async def receive() -> None:
        while len(latencies) < count:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            if message is None:
                return
            latencies.append(time.perf_counter() - float(message["data"]))

    receiver = asyncio.create_task(receive())
    try:
        for _ in range(count):
            await send(repr(time.perf_counter()))
        await receiver
    finally:
        receiver.cancel()
        await pubsub.aclose()  # type: ignore[no-untyped-call]
    if not latencies:
        return f"0/{count} delivered"
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    return f"{len(latencies)}/{count} delivered, p50 {p50 * 1e3:.2f} ms, p99 {p99 * 1e3:.2f} ms"


async def pubsub_sentinel(deployment: Deployment) -> dict[str, str]:
    port = await deployment.master_port_of("any")
    subscriber = aioredis.Redis(port=port)
    try:
        send = lambda m: deployment.client.publish("agora:chat", m)  # noqa: E731
        return {
            "PUBLISH, subscriber on the master": await deliveries(subscriber, "agora:chat", send)
        }
    finally:
        await subscriber.aclose()


async def pubsub_cluster(deployment: Deployment) -> dict[str, str]:
    assert isinstance(deployment.client, RedisCluster)
    client = deployment.client
    channel = "agora:chat"
    owner = await deployment.master_port_of(channel)
    others = [p for p in deployment.nodes if p != owner]
    results = {}
    # Classic PUBLISH: sent to the channel's slot owner, delivered to a subscriber on another node.
    owner_conn, other_conn = aioredis.Redis(port=owner), aioredis.Redis(port=others[0])
    try:
        send_publish = lambda m: owner_conn.publish(channel, m)  # noqa: E731
        results[f"PUBLISH on :{owner}, subscriber on :{others[0]}"] = await deliveries(
            other_conn, channel, send_publish
        )
        # How far one PUBLISH travels: how many of the six nodes deliver it to a subscriber.
        reached = 0
        for port in deployment.nodes:
            conn = aioredis.Redis(port=port)
            pubsub = conn.pubsub()
            await pubsub.subscribe("agora:probe")
            await pubsub.get_message(timeout=1)
            await owner_conn.publish("agora:probe", "hello")
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            reached += message is not None
            await pubsub.aclose()  # type: ignore[no-untyped-call]
            await conn.aclose()
        results["nodes that deliver one PUBLISH"] = f"{reached} of {len(deployment.nodes)}"
        # Sharded pub/sub: SPUBLISH stays in the channel's shard (its master and replica).
        send_spublish = lambda m: client.spublish(channel, m)  # noqa: E731
        results["SPUBLISH via RedisCluster, SSUBSCRIBE on the owner"] = await deliveries(
            owner_conn, channel, send_spublish, sharded=True
        )
        pubsub = other_conn.pubsub()
        try:
            await pubsub.ssubscribe(channel)
            reply = await pubsub.get_message(timeout=1)
            results["SSUBSCRIBE on another shard's node"] = f"accepted: {reply}"
        except FAILURES as exc:
            results["SSUBSCRIBE on another shard's node"] = f"refused: {str(exc)[:50]}"
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]
    finally:
        await owner_conn.aclose()
        await other_conn.aclose()
    return results


# What the engines log when an election for the failover ends without a winner and must be retried:
# a sentinel waits 2 x failover-timeout before it tries again, a Cluster replica 2 x node-timeout.
RETRIED = ("-failover-abort-not-elected", "Failover attempt expired")


def elections_retried(work: Path) -> int:
    return sum(
        line.count(marker)
        for log in work.glob("*.log")
        for line in log.read_text(errors="replace").splitlines()
        for marker in RETRIED
    )


def failover_events(work: Path) -> list[str]:
    """What the engines logged about the failover, for a round in which writes never came back."""
    words = ("odown", "failover", "elected", "tilt", "promoted", "Failover", "FAIL")
    lines = (line for log in sorted(work.glob("*.log")) for line in log.read_text().splitlines())
    return [f"{line[:110]}" for line in lines if any(word in line for word in words)]


def summary(values: list[float]) -> str:
    listed = ", ".join(f"{s:.1f}" if s != math.inf else "never" for s in values)
    return f"median {statistics.median(values):.1f} s, max {max(values):.1f} s ({listed})"


async def main(rounds: int, timeout_ms: int, cluster_base: int, sentinel_base: int) -> None:
    engines = {
        "Sentinel": (sentinel_deployment, sentinel_base),
        "Cluster": (cluster_deployment, cluster_base),
    }
    root = Path(tempfile.mkdtemp(prefix="agora-redis-bench-"))
    try:
        print(f"failure detection: {timeout_ms} ms on both; {rounds} rounds each")
        outages: dict[str, list[float]] = {name: [] for name in engines}
        retried = dict.fromkeys(engines, 0)
        for index in range(rounds):  # alternate the engines, so the machine's load hits both alike
            for name, (deploy, base) in engines.items():
                work = root / f"{name}-{index}"
                work.mkdir()
                async with deploy(work, base, timeout_ms) as deployment:
                    outages[name].append(await outage(deployment))
                retried[name] += elections_retried(work)
                if outages[name][-1] == math.inf:
                    print(f"  {name} round {index + 1}: writes did not come back within 60 s:")
                    print("\n".join(f"    {line}" for line in failover_events(work)[-15:]))
        print("\n(a) writes fail after SIGKILL of the key's master")
        for name, values in outages.items():
            print(
                f"  {name:<9} {summary(values)}; elections that had to be retried: {retried[name]}"
            )
        print(
            "\n(b) steady state: 2000 calls per command, 8 concurrent tasks, one client, best of 3"
        )
        for name, (deploy, base) in engines.items():
            print()
            work = root / f"{name}-steady"
            work.mkdir()
            async with deploy(work, base, timeout_ms) as deployment:
                passes = [("plain keys", False)] + (
                    [("hash tags", True)] if name == "Cluster" else []
                )
                node = aioredis.Redis(port=base) if name == "Cluster" else None
                for label, tagged in passes:
                    print(f"  {name}, {label}:")
                    found = await steady(deployment.client, tagged, 2000, 8, node)
                    for command, result in found.items():
                        print(f"    {command:<28} {result}")
                if node is not None:
                    await node.aclose()
                print(f"\n(c) {name}, pub/sub (300 messages, one at a time):")
                check = pubsub_cluster if name == "Cluster" else pubsub_sentinel
                for label, result in (await check(deployment)).items():
                    print(f"    {label:<50} {result}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--timeout-ms", type=int, default=1000)
    parser.add_argument("--cluster-port-base", type=int, default=46000)
    parser.add_argument("--sentinel-port-base", type=int, default=46100)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.timeout_ms, args.cluster_port_base, args.sentinel_port_base))
