"""The discovery service and its client, on the in-memory store and the real Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from agora.discovery.app import create_discovery_app
from agora.discovery.store import MemoryRegistryStore, RedisRegistryStore, RegistryStore
from agora.platform.clock import ManualClock
from agora.platform.discovery import (
    DiscoveryClient,
    DiscoveryUnavailable,
    Registration,
    ServiceWatcher,
)
from tests.conftest import REDIS_URL

StoreFactory = Callable[[str], RegistryStore]


@pytest.fixture(
    params=[
        pytest.param(lambda _ns: MemoryRegistryStore(), id="memory"),
        pytest.param(
            lambda ns: RedisRegistryStore(REDIS_URL, prefix=ns),
            id="redis",
            marks=pytest.mark.redis,
        ),
    ]
)
async def store(
    request: pytest.FixtureRequest, redis_namespace: str
) -> AsyncIterator[RegistryStore]:
    made: RegistryStore = request.param(redis_namespace)
    yield made
    await made.close()


@pytest.fixture
def transport(store: RegistryStore, clock: ManualClock) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_discovery_app(store, clock, ttl_seconds=9))


@pytest.fixture
async def http(transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=transport, base_url="http://discovery") as client:
        yield client


@pytest.fixture
async def client(transport: httpx.ASGITransport) -> AsyncIterator[DiscoveryClient]:
    made = DiscoveryClient("http://discovery", transport=transport)
    yield made
    await made.close()


async def test_register_list_and_deregister(http: httpx.AsyncClient) -> None:
    created = await http.post(
        "/instances",
        json={
            "service": "users",
            "host": "127.0.0.1",
            "port": 9101,
            "metadata": {"grpc_port": 9201},
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["ttl_seconds"] == 9
    assert body["heartbeat_seconds"] == 3
    instance_id = body["instance"]["id"]
    assert instance_id.startswith("users-")
    listed = (await http.get("/services/users/instances")).json()
    assert [i["port"] for i in listed["instances"]] == [9101]
    assert listed["instances"][0]["metadata"] == {"grpc_port": 9201}
    assert (await http.get("/services")).json()["services"]["users"][0]["id"] == instance_id
    assert (await http.delete(f"/instances/{instance_id}")).status_code == 204
    assert (await http.get("/services/users/instances")).json()["instances"] == []


async def test_an_instance_without_heartbeats_expires(
    http: httpx.AsyncClient, clock: ManualClock
) -> None:
    first = (
        await http.post("/instances", json={"service": "voting", "host": "h", "port": 1})
    ).json()
    second = (
        await http.post("/instances", json={"service": "voting", "host": "h", "port": 2})
    ).json()
    clock.advance(6)
    beat = await http.put(
        f"/instances/{first['instance']['id']}/heartbeat", json={"status": "degraded"}
    )
    assert beat.status_code == 200
    clock.advance(6)
    live = (await http.get("/services/voting/instances")).json()["instances"]
    assert [(i["port"], i["status"]) for i in live] == [(1, "degraded")]
    late = await http.put(f"/instances/{second['instance']['id']}/heartbeat")
    assert late.status_code == 404
    assert late.json()["error"]["code"] == "instance_unknown"


async def test_bad_registrations_are_refused(http: httpx.AsyncClient) -> None:
    for body in (
        {"service": "Users!", "host": "h", "port": 1},
        {"service": "users", "host": "h", "port": 0},
        {},
    ):
        response = await http.post("/instances", json=body)
        assert response.status_code == 422
    assert (await http.put("/instances/nonsense/heartbeat")).status_code == 404


async def test_registration_heartbeats_and_registers_again_after_expiry(
    client: DiscoveryClient, clock: ManualClock
) -> None:
    registration = Registration(client, "reviews", "127.0.0.1", 9300)
    await registration.start()
    assert registration.instance is not None
    first_id = registration.instance.id
    assert [i.id for i in await client.instances("reviews")] == [first_id]
    clock.advance(30)  # every heartbeat missed: discovery forgets it
    assert await client.instances("reviews") == []
    assert not await client.heartbeat(first_id)
    await registration._register()  # what the heartbeat loop does on a 404
    assert [i.port for i in await client.instances("reviews")] == [9300]
    await registration.stop()
    assert await client.instances("reviews") == []


async def test_the_watcher_refreshes_every_service_in_one_request(
    transport: httpx.ASGITransport,
) -> None:
    asked: list[str] = []

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            asked.append(f"{request.method} {request.url.path}")
            return await transport.handle_async_request(request)

    client = DiscoveryClient("http://discovery", transport=Counting())
    await client.register("sports", "127.0.0.1", 9400)
    await client.register("reviews", "127.0.0.1", 9500)
    await client.register("reviews", "127.0.0.1", 9501)
    watcher = ServiceWatcher(client, ["sports", "reviews", "timeline"])
    asked.clear()
    await watcher.refresh()
    assert asked == ["GET /services"]
    assert [i.port for i in watcher.get("sports")] == [9400]
    assert sorted(i.port for i in watcher.get("reviews")) == [9500, 9501]
    assert watcher.get("timeline") == []
    await client.close()


async def test_the_watcher_keeps_the_last_list_when_discovery_is_down(
    client: DiscoveryClient,
) -> None:
    await client.register("sports", "127.0.0.1", 9400)
    await client.register("reviews", "127.0.0.1", 9500)
    watcher = ServiceWatcher(client, ["sports", "reviews"])
    await watcher.refresh()
    assert [i.port for i in watcher.get("sports")] == [9400]
    down = DiscoveryClient("http://127.0.0.1:1", timeout=0.5)
    watcher.client = down
    await watcher.refresh()
    assert [i.port for i in watcher.get("sports")] == [9400]
    assert [i.port for i in watcher.get("reviews")] == [9500]
    with pytest.raises(DiscoveryUnavailable):
        await down.instances("sports")
    await down.close()


@pytest.mark.redis
async def test_a_redis_store_that_is_down_is_a_503(clock: ManualClock) -> None:
    store = RedisRegistryStore("redis://127.0.0.1:1/0")
    app = create_discovery_app(store, clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://d"
    ) as http:
        response = await http.post("/instances", json={"service": "users", "host": "h", "port": 1})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "service_unavailable"
        assert (await http.get("/status")).json()["status"] == "degraded"
    await store.close()
