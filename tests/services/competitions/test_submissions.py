"""Entries: accepted only while a competition is open, one per user unless allowed, edited by their
author, listed with counts."""

from __future__ import annotations

import asyncio

import httpx

from agora.platform.clock import ManualClock
from tests.services.competitions.support import DURATION, create_competition, submit, submit_ok
from tests.support.api import Api

MY_SUBMISSION_FIELDS = {"submission_id", "competition_id", "title", "content", "created_at"}


async def test_submit_answers_in_seed_shape_and_shows_in_lists(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    competition = await create_competition(client, admin, clock)
    cid = competition["competition_id"]
    response = await submit(client, bob, cid, title="Tides", content="The sea came in.")
    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "Submission successful"
    assert isinstance(body["submission_id"], str)
    page = (await client.get(f"/api/competitions/{cid}/submissions")).json()
    entry = page["submissions"][0]
    assert entry["submission_id"] == body["submission_id"]
    assert (entry["username"], entry["likes"], entry["comments"]) == ("bob", 0, 0)
    mine = await client.get("/api/users/profile/submissions", headers=bob.headers)
    assert mine.status_code == 200
    assert set(mine.json()[0]) >= MY_SUBMISSION_FIELDS
    assert mine.json()[0]["competition_id"] == cid
    assert mine.json()[0]["content"] == "The sea came in."
    assert (await client.get("/api/users/profile/submissions")).status_code == 401
    detail = (await client.get(f"/api/competitions/{cid}")).json()
    assert detail["submission_count"] == 1


async def test_submissions_are_refused_before_the_start_and_after_the_end(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    competition = await create_competition(client, admin, clock, starts_in=60)
    cid = competition["competition_id"]
    early = await submit(client, bob, cid)
    assert early.status_code == 400
    assert early.json()["error"]["code"] == "competition_not_open"
    assert "opens at" in early.json()["error"]["message"]
    clock.advance(60)
    assert (await submit(client, bob, cid)).status_code == 201
    clock.advance(DURATION)
    carol = await api.register("carol")
    late = await submit(client, carol, cid)
    assert late.status_code == 400
    assert late.json()["error"]["code"] == "competition_not_open"
    assert "ended at" in late.json()["error"]["message"]


async def test_one_entry_per_user_unless_the_competition_allows_more(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    single = await create_competition(client, admin, clock)
    await submit_ok(client, bob, single["competition_id"])
    second = await submit(client, bob, single["competition_id"], title="Another")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_submitted"
    multiple = await create_competition(client, admin, clock, allow_multiple_entries=True)
    await submit_ok(client, bob, multiple["competition_id"])
    await submit_ok(client, bob, multiple["competition_id"], title="Another")


async def test_racing_entries_of_one_user_leave_one(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    cid = (await create_competition(client, admin, clock))["competition_id"]
    responses = await asyncio.gather(*(submit(client, bob, cid, title=f"T{i}") for i in range(8)))
    assert sorted(r.status_code for r in responses) == [201] + [409] * 7
    page = (await client.get(f"/api/competitions/{cid}/submissions")).json()
    assert len(page["submissions"]) == 1


async def test_submission_input_is_validated_by_field(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    cid = (await create_competition(client, admin, clock))["competition_id"]
    path = f"/api/competitions/{cid}/submit"
    anonymous = await client.post(path, json={"title": "t", "content": "c"})
    assert anonymous.status_code == 401
    long_title = await submit(client, bob, cid, title="x" * 201)
    assert long_title.status_code == 422
    assert long_title.json()["error"]["details"][0]["field"] == "body.title"
    long_content = await submit(client, bob, cid, content="x" * 100_001)
    assert long_content.status_code == 422
    assert long_content.json()["error"]["details"][0]["field"] == "body.content"
    assert (await submit(client, bob, cid, content="")).status_code == 422
    as_other = await client.post(
        path, json={"title": "t", "content": "c", "user_id": str(admin.id)}, headers=bob.headers
    )
    assert as_other.status_code == 403
    assert (await submit(client, bob, "999")).status_code == 404
    longest = await submit(client, bob, cid, title="x" * 200, content="y" * 100_000)
    assert longest.status_code == 201


async def test_only_the_author_edits_an_entry_while_open(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, bob, cid)
    path = f"/api/competitions/{cid}/submissions/{sid}"
    edit = {"content": "A better ending."}
    assert (await client.patch(path, json=edit)).status_code == 401
    assert (await client.patch(path, json=edit, headers=carol.headers)).status_code == 403
    assert (await client.patch(path, json=edit, headers=admin.headers)).status_code == 403
    edited = await client.patch(path, json=edit, headers=bob.headers)
    assert edited.status_code == 200
    assert edited.json()["content"] == "A better ending."
    assert (await client.get(path)).json()["content"] == "A better ending."
    too_long = await client.patch(path, json={"title": "x" * 201}, headers=bob.headers)
    assert too_long.status_code == 422
    clock.advance(DURATION)
    closed = await client.patch(path, json=edit, headers=bob.headers)
    assert closed.status_code == 400
    assert closed.json()["error"]["code"] == "competition_not_open"


async def test_entries_page_newest_first_with_a_cursor(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    cid = (await create_competition(client, admin, clock, allow_multiple_entries=True))[
        "competition_id"
    ]
    ids = [await submit_ok(client, bob, cid, title=f"Entry {i}") for i in range(3)]
    first = (await client.get(f"/api/competitions/{cid}/submissions?limit=2")).json()
    assert [s["submission_id"] for s in first["submissions"]] == [ids[2], ids[1]]
    assert first["next_cursor"] is not None
    second = (
        await client.get(
            f"/api/competitions/{cid}/submissions?limit=2&cursor={first['next_cursor']}"
        )
    ).json()
    assert [s["submission_id"] for s in second["submissions"]] == [ids[0]]
    assert second["next_cursor"] is None
    bad = await client.get(f"/api/competitions/{cid}/submissions?cursor=abc")
    assert bad.status_code == 400
    assert (await client.get("/api/competitions/999/submissions")).status_code == 404
    mine = await client.get("/api/users/profile/submissions?limit=2", headers=bob.headers)
    assert [s["submission_id"] for s in mine.json()] == [ids[2], ids[1]]
    older = await client.get(f"/api/users/profile/submissions?before={ids[1]}", headers=bob.headers)
    assert [s["submission_id"] for s in older.json()] == [ids[0]]
