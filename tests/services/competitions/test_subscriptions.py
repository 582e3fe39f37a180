"""Subscribing to a competition (seed 001's user routes) and what new entries tell the
subscribers."""

from __future__ import annotations

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from tests.services.competitions.support import (
    DURATION,
    create_competition,
    submit_ok,
    subscribe,
)
from tests.support.api import Api
from tests.support.events import EventLog

SUBSCRIPTION_FIELDS = {"competition_id", "title", "description", "start_date", "end_date"}


async def test_subscribe_in_seed_shape_and_list_my_subscriptions(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    first = await create_competition(client, admin, clock, title="First")
    second = await create_competition(client, admin, clock, title="Second", starts_in=60)
    response = await subscribe(client, bob, first["competition_id"])
    assert response.status_code == 200
    assert response.json() == {"status": "success", "message": "Subscription successful"}
    assert (await subscribe(client, bob, first["competition_id"])).status_code == 200
    assert (await subscribe(client, bob, second["competition_id"])).status_code == 200
    mine = await client.get("/api/users/profile/subscriptions", headers=bob.headers)
    assert mine.status_code == 200
    items = mine.json()
    assert [i["competition_id"] for i in items] == [
        second["competition_id"],
        first["competition_id"],
    ]
    assert set(items[0]) >= SUBSCRIPTION_FIELDS
    page = await client.get("/api/users/profile/subscriptions?limit=1", headers=bob.headers)
    older = await client.get(
        f"/api/users/profile/subscriptions?before={page.json()[0]['subscription_id']}",
        headers=bob.headers,
    )
    assert [i["competition_id"] for i in older.json()] == [first["competition_id"]]
    assert (await client.get("/api/users/profile/subscriptions")).status_code == 401


async def test_subscribe_callers_and_rules(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    cid = (await create_competition(client, admin, clock))["competition_id"]
    assert (await client.post(f"/api/users/subscribe/{cid}")).status_code == 401
    assert (await subscribe(client, bob, "999")).status_code == 404
    clock.advance(DURATION)
    ended = await subscribe(client, bob, cid)
    assert ended.status_code == 400
    assert ended.json()["error"]["code"] == "competition_closed"


async def test_unsubscribe_stops_the_subscription(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    cid = (await create_competition(client, admin, clock))["competition_id"]
    assert (await subscribe(client, bob, cid)).status_code == 200
    # DELETE /users/subscribe/{id} is not in the gateway's route table yet (the contract lists
    # only POST), so this calls the competitions service directly.
    transport = httpx.ASGITransport(app=platform.runtimes["competitions"].app)
    async with httpx.AsyncClient(transport=transport, base_url="http://competitions") as direct:
        assert (await direct.delete(f"/users/subscribe/{cid}")).status_code == 401
        removed = await direct.delete(f"/users/subscribe/{cid}", headers=bob.headers)
        assert removed.status_code == 200
        assert removed.json() == {"status": "success", "message": "Unsubscribed"}
        again = await direct.delete(f"/users/subscribe/{cid}", headers=bob.headers)
        assert again.json() == {"status": "success", "message": "Was not subscribed"}
        assert (await direct.delete("/users/subscribe/999", headers=bob.headers)).status_code == 404
    mine = await client.get("/api/users/profile/subscriptions", headers=bob.headers)
    assert mine.json() == []


async def test_a_new_entry_names_the_subscribers_at_that_moment(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    log = EventLog(platform, "competitions.submission_created")
    admin, bob, carol, dan = [await api.register(n) for n in ("admin", "bob", "carol", "dan")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    for reader in (bob, carol):
        assert (await subscribe(client, reader, cid)).status_code == 200
    sid = await submit_ok(client, dan, cid, title="Fresh")
    events = await log.of_type("competitions.submission_created")
    assert len(events) == 1
    payload = events[0].payload
    assert payload["submission_id"] == int(sid)
    assert payload["user_id"] == dan.id
    assert payload["username"] == "dan"
    assert sorted(payload["subscriber_ids"]) == sorted([bob.id, carol.id])
