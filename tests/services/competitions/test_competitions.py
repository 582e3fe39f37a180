"""Creating, listing (from the cache), reading and deleting competitions with seed 001's shapes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from agora.platform.clock import ManualClock
from tests.services.competitions.support import DURATION, create_competition
from tests.support.api import Api

LIST_FIELDS = {"competition_id", "title", "description", "start_date", "end_date"}
DETAIL_FIELDS = LIST_FIELDS | {"admin_id", "created_at"}


async def _active_ids(client: httpx.AsyncClient) -> list[str]:
    response = await client.get("/api/competitions")
    assert response.status_code == 200
    return [c["competition_id"] for c in response.json()]


async def test_admin_creates_a_competition_listed_and_detailed_in_seed_shapes(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin = await api.register("admin")
    created = await create_competition(client, admin, clock, title="Flash Fiction")
    assert isinstance(created["competition_id"], str)
    assert created["message"] == "Competition created"
    listed = (await client.get("/api/competitions")).json()
    assert isinstance(listed, list)
    assert set(listed[0]) == LIST_FIELDS
    assert listed[0]["title"] == "Flash Fiction"
    detail = await client.get(f"/api/competitions/{created['competition_id']}")
    assert detail.status_code == 200
    body = detail.json()
    assert set(body) >= DETAIL_FIELDS
    assert body["admin_id"] == str(admin.id)
    assert body["status"] == "active"
    assert body["allow_multiple_entries"] is False


async def test_the_list_from_the_services_cache_answers_as_the_one_built_from_the_database(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin = await api.register("admin")
    ids = [
        (await create_competition(client, admin, clock, title=title))["competition_id"]
        for title in ("First", "Second")
    ]
    past_gateway = {"Cache-Control": "no-cache"}  # each request reaches the service
    built = await client.get("/api/competitions", headers=past_gateway)
    cached = await client.get("/api/competitions", headers=past_gateway)
    assert built.status_code == cached.status_code == 200
    assert cached.content == built.content
    assert cached.headers["cache-control"] == built.headers["cache-control"]
    assert [c["competition_id"] for c in cached.json()] == ids
    for item in cached.json():
        detail = (await client.get(f"/api/competitions/{item['competition_id']}")).json()
        assert item == {field: detail[field] for field in LIST_FIELDS}


async def test_creating_is_for_admins_with_valid_dates(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, member = await api.register("admin"), await api.register("member")
    start = clock.now()
    body = {
        "title": "Odes",
        "description": "",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=1)).isoformat(),
    }
    assert (await client.post("/api/competitions", json=body)).status_code == 401
    as_member = await client.post("/api/competitions", json=body, headers=member.headers)
    assert as_member.status_code == 403
    backwards = {**body, "end_date": (start - timedelta(hours=1)).isoformat()}
    refused = await client.post("/api/competitions", json=backwards, headers=admin.headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "body.end_date"
    past = {
        **body,
        "start_date": (start - timedelta(days=2)).isoformat(),
        "end_date": (start - timedelta(days=1)).isoformat(),
    }
    ended = await client.post("/api/competitions", json=past, headers=admin.headers)
    assert ended.status_code == 422
    assert ended.json()["error"]["details"][0]["field"] == "body.end_date"
    no_title = await client.post(
        "/api/competitions", json={**body, "title": ""}, headers=admin.headers
    )
    assert no_title.status_code == 422
    assert no_title.json()["error"]["details"][0]["field"] == "body.title"
    # The seed's plain dates are accepted (midnight UTC).
    dates = {**body, "start_date": "2026-01-01", "end_date": "2026-02-01"}
    as_dates = await client.post("/api/competitions", json=dates, headers=admin.headers)
    assert as_dates.status_code == 201
    assert as_dates.json()["end_date"] == "2026-02-01T00:00:00Z"


async def test_the_list_holds_only_competitions_open_now(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin = await api.register("admin")
    now_open = await create_competition(client, admin, clock, title="Now")
    later = await create_competition(client, admin, clock, title="Later", starts_in=300)
    assert await _active_ids(client) == [now_open["competition_id"]]
    clock.advance(300)
    assert set(await _active_ids(client)) == {now_open["competition_id"], later["competition_id"]}
    clock.advance(DURATION - 300)
    assert await _active_ids(client) == [later["competition_id"]]
    clock.advance(300)
    assert await _active_ids(client) == []


async def test_the_cached_list_never_serves_a_deleted_or_ended_competition(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin = await api.register("admin")
    short = await create_competition(client, admin, clock, title="Short", lasts=60)
    doomed = await create_competition(client, admin, clock, title="Doomed")
    assert set(await _active_ids(client)) == {short["competition_id"], doomed["competition_id"]}

    async def read_lists() -> None:
        for _ in range(10):
            await client.get("/api/competitions")

    # Readers keep refilling the cache while the delete commits; none may bring the competition
    # back once the delete has answered.
    readers = [asyncio.create_task(read_lists()) for _ in range(3)]
    deleted = await client.delete(
        f"/api/competitions/{doomed['competition_id']}", headers=admin.headers
    )
    assert deleted.status_code == 200
    assert doomed["competition_id"] not in await _active_ids(client)
    await asyncio.gather(*readers)
    assert await _active_ids(client) == [short["competition_id"]]

    clock.advance(60)
    assert await _active_ids(client) == []


async def test_the_public_list_may_be_cached_until_it_changes(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin = await api.register("admin")
    await create_competition(client, admin, clock, title="Ends soon", lasts=20)
    first = await client.get("/api/competitions")
    assert first.headers["cache-control"] == "public, max-age=0, s-maxage=20"  # not past the end
    again = await client.get("/api/competitions")
    assert again.headers["x-cache"] == "HIT"  # the gateway kept it
    personal = await client.get("/api/competitions", headers=admin.headers)
    assert "public" not in personal.headers.get("cache-control", "")
    clock.advance(20)
    assert (await client.get("/api/competitions")).json() == []


async def test_the_public_list_is_not_cached_past_an_end(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin = await api.register("admin")
    await create_competition(client, admin, clock, title="Ends soon", lasts=20)
    clock.advance(19.5)
    # Under a second before the end: no shared cache may keep a list that is about to change.
    last = await client.get("/api/competitions")
    assert [c["title"] for c in last.json()] == ["Ends soon"]
    assert "public" not in last.headers.get("cache-control", "")
    clock.advance(0.5)
    ended = await client.get("/api/competitions")
    assert ended.headers["x-cache"] == "MISS"
    assert ended.json() == []


async def test_deleting_is_for_admins(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, member = await api.register("admin"), await api.register("member")
    competition = await create_competition(client, admin, clock)
    path = f"/api/competitions/{competition['competition_id']}"
    assert (await client.delete(path)).status_code == 401
    assert (await client.delete(path, headers=member.headers)).status_code == 403
    deleted = await client.delete(path, headers=admin.headers)
    assert deleted.status_code == 200
    assert deleted.json() == {"status": "success", "message": "Competition deleted"}
    assert (await client.delete(path, headers=admin.headers)).status_code == 404
    gone = await client.get(path)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "competition_not_found"


async def test_details_show_upcoming_active_and_closed(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin = await api.register("admin")
    competition = await create_competition(client, admin, clock, starts_in=60)
    path = f"/api/competitions/{competition['competition_id']}"
    assert (await client.get(path)).json()["status"] == "upcoming"
    clock.advance(60)
    assert (await client.get(path)).json()["status"] == "active"
    clock.advance(DURATION)
    closed = (await client.get(path)).json()
    assert closed["status"] == "closed"
    assert closed["closed_at"] is not None
    assert (await client.get("/api/competitions/999")).status_code == 404
