"""Finding the other processes of a cluster: register this instance and keep it alive, and watch the
live instances of the services this process calls.

Two backends, chosen by `AGORA_DISCOVERY`: `registry` talks to Agora's own discovery service over
HTTP (heartbeats, expiry); `dns` reads the A records of a Kubernetes headless Service, where the
cluster itself registers an instance (the Endpoints controller adds a pod once its readiness probe
passes and removes it when it fails or goes away), so there is nothing to register.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import httpx
import structlog

if TYPE_CHECKING:
    from agora.platform.config import Settings

log = structlog.get_logger("agora.discovery.client")


@dataclass(frozen=True, slots=True)
class Instance:
    """One running replica of a service, as discovery reports it."""

    id: str
    service: str
    host: str
    port: int
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Instance:
        return cls(
            id=str(data["id"]),
            service=str(data["service"]),
            host=str(data["host"]),
            port=int(data["port"]),
            metadata=dict(data.get("metadata") or {}),
        )


class DiscoveryUnavailable(Exception):
    """Discovery could not be reached or answered with an error."""


class Discovery(Protocol):
    """What registration and watching need from a discovery backend."""

    async def register(
        self, service: str, host: str, port: int, metadata: dict[str, Any] | None = None
    ) -> tuple[Instance, float]: ...

    async def heartbeat(self, instance_id: str, status: str = "running") -> bool: ...

    async def deregister(self, instance_id: str) -> None: ...

    async def instances(self, service: str) -> list[Instance]: ...

    async def instances_of(self, services: Sequence[str]) -> dict[str, list[Instance]]: ...

    async def close(self) -> None: ...


class DiscoveryClient:
    """The discovery service's HTTP API. The transport is injectable for tests."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 2.0,
    ) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=timeout)

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise DiscoveryUnavailable(str(exc) or type(exc).__name__) from exc

    async def register(
        self, service: str, host: str, port: int, metadata: dict[str, Any] | None = None
    ) -> tuple[Instance, float]:
        """Register an instance; returns it and the heartbeat interval to keep."""
        response = await self._call(
            "POST",
            "/instances",
            json={"service": service, "host": host, "port": port, "metadata": metadata or {}},
        )
        if response.status_code != 201:
            raise DiscoveryUnavailable(f"register answered {response.status_code}")
        body = response.json()
        return Instance.from_json(body["instance"]), float(body["heartbeat_seconds"])

    async def heartbeat(self, instance_id: str, status: str = "running") -> bool:
        """False when discovery no longer knows the instance (it expired): register again."""
        response = await self._call(
            "PUT", f"/instances/{instance_id}/heartbeat", json={"status": status}
        )
        if response.status_code == 404:
            return False
        if response.status_code != 200:
            raise DiscoveryUnavailable(f"heartbeat answered {response.status_code}")
        return True

    async def deregister(self, instance_id: str) -> None:
        await self._call("DELETE", f"/instances/{instance_id}")

    async def instances(self, service: str) -> list[Instance]:
        response = await self._call("GET", f"/services/{service}/instances")
        if response.status_code != 200:
            raise DiscoveryUnavailable(f"listing {service} answered {response.status_code}")
        return [Instance.from_json(item) for item in response.json()["instances"]]

    async def instances_of(self, services: Sequence[str]) -> dict[str, list[Instance]]:
        """The live instances of each of `services`, in one request (a watcher's refresh)."""
        if len(services) == 1:
            return {services[0]: await self.instances(services[0])}
        response = await self._call("GET", "/services")
        if response.status_code != 200:
            raise DiscoveryUnavailable(f"listing the services answered {response.status_code}")
        known = response.json()["services"]
        return {
            service: [Instance.from_json(item) for item in known.get(service, [])]
            for service in services
        }

    async def close(self) -> None:
        await self._http.aclose()


class Registration:
    """Keeps one instance registered: heartbeats, re-registers after an expiry, deregisters on
    stop."""

    def __init__(
        self,
        client: Discovery,
        service: str,
        host: str,
        port: int,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.client = client
        self.service = service
        self.host = host
        self.port = port
        self.metadata = metadata or {}
        self.instance: Instance | None = None
        self._interval = 3.0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Register now (retrying until discovery answers), then heartbeat in the background."""
        delay = 0.2
        while self.instance is None:
            try:
                await self._register()
            except DiscoveryUnavailable as exc:
                log.warning("discovery_register_retry", service=self.service, error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self._task = asyncio.create_task(self._beat(), name=f"heartbeat-{self.service}")

    async def _register(self) -> None:
        self.instance, self._interval = await self.client.register(
            self.service, self.host, self.port, self.metadata
        )
        log.info("discovery_registered", instance=self.instance.id, port=self.port)

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                if self.instance is None or not await self.client.heartbeat(self.instance.id):
                    await self._register()
            except DiscoveryUnavailable as exc:
                log.warning("discovery_heartbeat_failed", service=self.service, error=str(exc))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.instance is not None:
            with contextlib.suppress(DiscoveryUnavailable):
                await self.client.deregister(self.instance.id)


class ServiceWatcher:
    """The live instances of some services, refreshed every `interval` seconds. When discovery is
    unreachable the last known lists are kept: better a stale list than no routing at all."""

    def __init__(self, client: Discovery, services: Iterable[str], *, interval: float = 1.0):
        self.client = client
        self.services = list(services)
        self.interval = interval
        self._known: dict[str, list[Instance]] = {service: [] for service in self.services}
        self._task: asyncio.Task[None] | None = None

    def get(self, service: str) -> list[Instance]:
        return self._known.get(service, [])

    async def refresh(self) -> None:
        # One request for every watched service: a replica of the users service watches seven,
        # the gateway eight, every second (decision 0044).
        try:
            self._known.update(await self.client.instances_of(self.services))
        except DiscoveryUnavailable as exc:
            log.warning("discovery_watch_failed", services=self.services, error=str(exc))

    async def _run(self) -> None:
        while True:
            try:
                await self.refresh()
            except Exception:
                # Whatever went wrong this time, the lists must keep being refreshed: a watcher
                # that stopped would route to the instances it last saw for ever.
                log.exception("discovery_watch_crashed", services=self.services)
            await asyncio.sleep(self.interval)

    async def start(self) -> None:
        await self.refresh()
        self._task = asyncio.create_task(self._run(), name="discovery-watcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


Resolver = Callable[[str], Awaitable[list[str]]]
"""Resolves a host name to its IPv4 addresses: [] when the name does not exist (a headless Service
with no ready pod has no record), DiscoveryUnavailable when DNS itself fails."""

# Answers that mean "no such name / no address": the Service has no ready endpoint right now.
_NO_ADDRESS = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


async def system_resolver(name: str) -> list[str]:
    """The platform resolver (the pod's /etc/resolv.conf, so the cluster's DNS)."""
    loop = asyncio.get_running_loop()
    try:
        answers = await loop.getaddrinfo(name, None, family=socket.AF_INET, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if exc.errno in _NO_ADDRESS:
            return []
        raise DiscoveryUnavailable(f"resolving {name}: {exc}") from exc
    return sorted({str(answer[4][0]) for answer in answers})


class DnsDiscovery:
    """Instances from DNS: `name_template` (e.g. `{service}.agora.svc.cluster.local`) names a
    headless Service whose A records are the addresses of the service's ready pods, each listening
    on `port`; every instance of `users` also serves the UserDirectory over gRPC on `grpc_port`."""

    def __init__(
        self,
        *,
        name_template: str,
        port: int,
        grpc_port: int | None = None,
        resolver: Resolver = system_resolver,
        heartbeat_seconds: float = 3600.0,
    ) -> None:
        if "{service}" not in name_template:
            raise ValueError("the DNS name template must contain {service}")
        self.name_template = name_template
        self.port = port
        self.grpc_port = grpc_port
        self._resolve = resolver
        self._heartbeat_seconds = heartbeat_seconds

    def hostname(self, service: str) -> str:
        return self.name_template.replace("{service}", service)

    def _instance(self, service: str, host: str, port: int) -> Instance:
        metadata: dict[str, Any] = {}
        if service == "users" and self.grpc_port:
            metadata["grpc_port"] = self.grpc_port
        return Instance(f"{service}@{host}:{port}", service, host, port, metadata)

    async def register(
        self, service: str, host: str, port: int, metadata: dict[str, Any] | None = None
    ) -> tuple[Instance, float]:
        # Kubernetes registers the pod (readiness probe -> Endpoints); this only names the instance.
        instance = Instance(f"{service}@{host}:{port}", service, host, port, dict(metadata or {}))
        return instance, self._heartbeat_seconds

    async def heartbeat(self, instance_id: str, status: str = "running") -> bool:
        return True

    async def deregister(self, instance_id: str) -> None:
        return None

    async def instances(self, service: str) -> list[Instance]:
        addresses = await self._resolve(self.hostname(service))
        return [self._instance(service, address, self.port) for address in addresses]

    async def instances_of(self, services: Sequence[str]) -> dict[str, list[Instance]]:
        """A name per service (DNS has no "every Service" question); a name that could not be
        resolved is left out, so that a watcher keeps that service's last list."""
        found: dict[str, list[Instance]] = {}
        for service in services:
            try:
                found[service] = await self.instances(service)
            except DiscoveryUnavailable as exc:
                if len(services) == 1:
                    raise
                log.warning("discovery_watch_failed", service=service, error=str(exc))
        return found

    async def close(self) -> None:
        return None


def make_discovery(settings: Settings) -> Discovery:
    """The discovery backend the settings choose."""
    if settings.discovery == "dns":
        return DnsDiscovery(
            name_template=settings.discovery_dns_name,
            port=settings.discovery_dns_port,
            grpc_port=settings.grpc_port,
        )
    if settings.discovery_url is None:
        raise ValueError("the registry discovery backend needs AGORA_DISCOVERY_URL")
    return DiscoveryClient(settings.discovery_url)
