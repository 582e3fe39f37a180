"""The discovery service's HTTP API: register, heartbeat, deregister, and list live instances."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from agora.discovery.store import RegistryStore, StoreUnavailable
from agora.platform.clock import Clock
from agora.platform.errors import NotFound, ServiceUnavailable, error_response
from agora.platform.http import create_service_app

Status = Literal["running", "degraded"]


class InstanceCreate(BaseModel):
    """What an instance says about itself when it starts."""

    service: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,40}$")
    host: str = Field(min_length=1, max_length=255)
    port: int = Field(ge=1, le=65535)
    metadata: dict[str, Any] = Field(default_factory=dict)


class InstanceRead(BaseModel):
    id: str
    service: str
    host: str
    port: int
    metadata: dict[str, Any]
    status: Status
    registered_at: datetime
    expires_at: datetime


class Registered(BaseModel):
    instance: InstanceRead
    ttl_seconds: float
    heartbeat_seconds: float


class Heartbeat(BaseModel):
    status: Status = "running"


class InstanceList(BaseModel):
    service: str
    instances: list[InstanceRead]


class ServiceMap(BaseModel):
    services: dict[str, list[InstanceRead]]


class Registry:
    """The rules: ids, expiry, and what a listing shows."""

    def __init__(self, store: RegistryStore, clock: Clock, *, ttl_seconds: float = 10.0) -> None:
        self.store = store
        self.clock = clock
        self.ttl = ttl_seconds

    @property
    def heartbeat_seconds(self) -> float:
        # Three heartbeats fit in one TTL: one lost beat never expires a healthy instance.
        return self.ttl / 3

    def _expiry(self) -> float:
        return self.clock.now().timestamp() + self.ttl

    async def register(self, data: InstanceCreate) -> InstanceRead:
        instance_id = f"{data.service}-{uuid.uuid4().hex[:10]}"
        now = self.clock.now()
        record = {
            "id": instance_id,
            "service": data.service,
            "host": data.host,
            "port": data.port,
            "metadata": data.metadata,
            "status": "running",
            "registered_at": now.timestamp(),
        }
        expires = self._expiry()
        await self.store.put(data.service, instance_id, record, expires)
        return _read({**record, "expires_at": expires})

    async def heartbeat(self, instance_id: str, status: Status) -> None:
        service = _service_of(instance_id)
        if not await self.store.touch(service, instance_id, self._expiry(), status):
            raise NotFound(
                f"No live instance {instance_id}; register again", code="instance_unknown"
            )

    async def deregister(self, instance_id: str) -> None:
        await self.store.remove(_service_of(instance_id), instance_id)

    async def live(self, service: str) -> list[InstanceRead]:
        return [_read(r) for r in await self.store.live(service, self.clock.now().timestamp())]


def _service_of(instance_id: str) -> str:
    service, _, suffix = instance_id.rpartition("-")
    if not service or not suffix:
        raise NotFound(f"No instance {instance_id}", code="instance_unknown")
    return service


def _read(record: dict[str, Any]) -> InstanceRead:
    return InstanceRead(
        id=record["id"],
        service=record["service"],
        host=record["host"],
        port=record["port"],
        metadata=record.get("metadata") or {},
        status=record.get("status", "running"),
        registered_at=datetime.fromtimestamp(record["registered_at"], tz=UTC),
        expires_at=datetime.fromtimestamp(record["expires_at"], tz=UTC),
    )


def _registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


Reg = Annotated[Registry, Depends(_registry)]
router = APIRouter(tags=["discovery"])


@router.post("/instances", status_code=201, summary="Register an instance")
async def register(body: InstanceCreate, registry: Reg) -> Registered:
    instance = await registry.register(body)
    return Registered(
        instance=instance, ttl_seconds=registry.ttl, heartbeat_seconds=registry.heartbeat_seconds
    )


@router.put("/instances/{instance_id}/heartbeat", summary="Keep an instance alive")
async def heartbeat(instance_id: str, registry: Reg, body: Heartbeat | None = None) -> Heartbeat:
    status = body.status if body else "running"
    await registry.heartbeat(instance_id, status)
    return Heartbeat(status=status)


@router.delete("/instances/{instance_id}", status_code=204, summary="Deregister (clean shutdown)")
async def deregister(instance_id: str, registry: Reg) -> Response:
    await registry.deregister(instance_id)
    return Response(status_code=204)


@router.get("/services/{service}/instances", summary="Live instances of a service")
async def instances(service: str, registry: Reg) -> InstanceList:
    return InstanceList(service=service, instances=await registry.live(service))


@router.get("/services", summary="Every service with its live instances")
async def services(registry: Reg) -> ServiceMap:
    names = await registry.store.services()
    return ServiceMap(services={name: await registry.live(name) for name in names})


def create_discovery_app(store: RegistryStore, clock: Clock, *, ttl_seconds: float = 10.0) -> Any:
    registry = Registry(store, clock, ttl_seconds=ttl_seconds)

    async def store_ok() -> bool:
        try:
            await store.services()
        except StoreUnavailable:
            return False
        return True

    app = create_service_app(
        service="discovery",
        title="Agora discovery",
        description="Service instances register, heartbeat and expire; clients list live ones.",
        routers=[router],
        health_checks={"store": store_ok},
        clock=clock,
    )
    app.state.registry = registry

    @app.exception_handler(StoreUnavailable)
    async def _store_down(request: Request, exc: Exception) -> Response:
        return error_response(ServiceUnavailable("The registry store is unavailable"))

    return app
