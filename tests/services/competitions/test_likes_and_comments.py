"""Likes (one per user per entry, exact under concurrency) and threaded comments."""

from __future__ import annotations

import asyncio

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from tests.services.competitions.support import (
    DURATION,
    comment,
    comment_ok,
    competitions_service,
    create_competition,
    like,
    submit_ok,
)
from tests.support.api import Api
from tests.support.events import EventLog
from tests.support.live import live_server, ws_connect


async def _likes(client: httpx.AsyncClient, cid: str, sid: str) -> int:
    likes: int = (await client.get(f"/api/competitions/{cid}/submissions/{sid}")).json()["likes"]
    return likes


async def test_a_like_counts_once_and_can_be_taken_back(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    log = EventLog(platform, "competitions.submission_liked")
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, bob, cid)
    first = await like(client, carol, cid, sid)
    assert first.status_code == 200
    assert first.json()["message"] == "Like added"
    again = await like(client, carol, cid, sid)
    assert again.status_code == 200
    assert again.json()["likes"] == 1
    assert await _likes(client, cid, sid) == 1
    events = await log.of_type("competitions.submission_liked")
    assert len(events) == 1
    assert events[0].payload["author_id"] == bob.id
    assert events[0].payload["liker_id"] == carol.id
    path = f"/api/competitions/{cid}/like/{sid}"
    removed = await client.delete(path, headers=carol.headers)
    assert removed.status_code == 200
    assert removed.json()["message"] == "Like removed"
    assert await _likes(client, cid, sid) == 0
    assert (await client.delete(path, headers=carol.headers)).status_code == 200
    assert await _likes(client, cid, sid) == 0


async def test_like_callers_and_rules(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    other = (await create_competition(client, admin, clock, title="Other"))["competition_id"]
    sid = await submit_ok(client, bob, cid)
    assert (await client.post(f"/api/competitions/{cid}/like/{sid}")).status_code == 401
    own = await like(client, bob, cid, sid)
    assert own.status_code == 403
    assert own.json()["error"]["code"] == "own_submission"
    assert (await like(client, carol, cid, "999")).status_code == 404
    wrong_competition = await like(client, carol, other, sid)
    assert wrong_competition.status_code == 404
    assert (await like(client, admin, cid, sid)).status_code == 200
    clock.advance(DURATION)
    late = await like(client, carol, cid, sid)
    assert late.status_code == 400
    assert late.json()["error"]["code"] == "competition_closed"
    unlike_late = await client.delete(f"/api/competitions/{cid}/like/{sid}", headers=admin.headers)
    assert unlike_late.status_code == 400
    assert await _likes(client, cid, sid) == 1


async def test_a_like_past_the_end_closes_the_competition_then_is_refused(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    log = EventLog(platform, "competitions.results_published")
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, bob, cid)
    assert (await like(client, carol, cid, sid)).status_code == 200
    clock.advance(DURATION)
    # Before the closing job's next round (seconds away in real time): the like settles it.
    late = await like(client, admin, cid, sid)
    assert late.status_code == 400
    assert late.json()["error"]["code"] == "competition_closed"
    events = await log.of_type("competitions.results_published")
    assert [e.payload["competition_id"] for e in events] == [int(cid)]
    assert events[0].payload["placings"][0]["likes"] == 1
    assert await competitions_service(platform).do_close_due() == 0
    unlike_late = await client.delete(f"/api/competitions/{cid}/like/{sid}", headers=carol.headers)
    assert unlike_late.status_code == 400
    assert unlike_late.json()["error"]["code"] == "competition_closed"
    assert len(await log.of_type("competitions.results_published")) == 1
    assert await _likes(client, cid, sid) == 1


async def test_a_hundred_concurrent_likes_from_forty_users_count_forty(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    log = EventLog(platform, "competitions.submission_liked")
    admin, author = await api.register("admin"), await api.register("author")
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, author, cid)
    fans = [await api.register(f"fan{i}") for i in range(40)]
    likers = [fans[i % 40] for i in range(100)]
    responses = await asyncio.gather(*(like(client, fan, cid, sid) for fan in likers))
    assert {r.status_code for r in responses} == {200}
    assert await _likes(client, cid, sid) == 40
    assert len(await log.of_type("competitions.submission_liked")) == 40


async def test_comments_and_replies_form_threads(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    log = EventLog(platform, "competitions.comment_added")
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, bob, cid)
    response = await comment(client, carol, cid, sid, "Great opening line.")
    assert response.status_code == 201
    assert response.json()["message"] == "Comment added"
    top = response.json()["comment_id"]
    reply = await comment_ok(client, bob, cid, sid, "Thank you!", parent=top)
    nested = await comment_ok(client, carol, cid, sid, "You're welcome.", parent=reply)
    second = await comment_ok(client, admin, cid, sid, "Agreed.")
    threads = (await client.get(f"/api/competitions/{cid}/submissions/{sid}/comments")).json()
    assert [c["comment_id"] for c in threads["comments"]] == [top, second]
    first = threads["comments"][0]
    assert first["username"] == "carol"
    assert [r["comment_id"] for r in first["replies"]] == [reply]
    assert first["replies"][0]["parent_comment_id"] == top
    assert [r["comment_id"] for r in first["replies"][0]["replies"]] == [nested]
    same = (await client.get(f"/api/competitions/{cid}/comment/{sid}")).json()
    assert same == threads
    page = (await client.get(f"/api/competitions/{cid}/submissions/{sid}/comments?limit=1")).json()
    assert [c["comment_id"] for c in page["comments"]] == [top]
    rest = (
        await client.get(
            f"/api/competitions/{cid}/submissions/{sid}/comments?cursor={page['next_cursor']}"
        )
    ).json()
    assert [c["comment_id"] for c in rest["comments"]] == [second]
    assert (await client.get(f"/api/competitions/{cid}/submissions/{sid}")).json()["comments"] == 4
    events = await log.of_type("competitions.comment_added")
    by_id = {str(e.payload["comment_id"]): e.payload for e in events}
    assert by_id[reply]["parent_author_id"] == carol.id
    assert by_id[reply]["submission_author_id"] == bob.id
    assert by_id[top]["parent_comment_id"] is None


async def test_comment_callers_and_rules(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    cid = (await create_competition(client, admin, clock, allow_multiple_entries=True))[
        "competition_id"
    ]
    sid = await submit_ok(client, bob, cid)
    elsewhere = await submit_ok(client, bob, cid, title="Elsewhere")
    foreign = await comment_ok(client, carol, cid, elsewhere)
    path = f"/api/competitions/{cid}/comment/{sid}"
    assert (await client.post(path, json={"content": "hi"})).status_code == 401
    empty = await comment(client, carol, cid, sid, "  ")
    assert empty.status_code == 422
    assert empty.json()["error"]["details"][0]["field"] == "body.content"
    mismatch = await comment(client, carol, cid, sid, "hi", parent=foreign)
    assert mismatch.status_code == 422
    assert mismatch.json()["error"]["details"][0]["field"] == "body.parent_comment_id"
    assert (await comment(client, carol, cid, sid, "hi", parent="999")).status_code == 404
    assert (await comment(client, carol, cid, "999")).status_code == 404
    as_other = await client.post(
        path, json={"content": "hi", "user_id": bob.id}, headers=carol.headers
    )
    assert as_other.status_code == 403
    # Comments stay open after the end: the discussion goes on, only entries and likes stop.
    clock.advance(DURATION)
    assert (await comment(client, carol, cid, sid, "Congratulations")).status_code == 201


async def test_only_the_author_edits_or_deletes_a_comment(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, bob, cid)
    top = await comment_ok(client, carol, cid, sid, "First thought")
    reply = await comment_ok(client, bob, cid, sid, "Thanks", parent=top)
    leaf = await comment_ok(client, carol, cid, sid, "Second thought")
    path = f"/api/competitions/{cid}/comments/{top}"
    edit = {"content": "Second thought, actually"}
    assert (await client.patch(path, json=edit)).status_code == 401
    assert (await client.patch(path, json=edit, headers=bob.headers)).status_code == 403
    assert (await client.patch(path, json=edit, headers=admin.headers)).status_code == 403
    edited = await client.patch(path, json=edit, headers=carol.headers)
    assert edited.status_code == 200
    assert edited.json()["content"] == "Second thought, actually"
    assert (await client.delete(path, headers=bob.headers)).status_code == 403
    assert (await client.delete(path, headers=carol.headers)).status_code == 200
    assert (await client.delete(path, headers=carol.headers)).status_code == 404
    leaf_path = f"/api/competitions/{cid}/comments/{leaf}"
    assert (await client.delete(leaf_path, headers=carol.headers)).status_code == 200
    threads = (await client.get(f"/api/competitions/{cid}/submissions/{sid}/comments")).json()
    # The deleted comment with a reply stays as a placeholder; the deleted leaf is gone.
    assert [c["comment_id"] for c in threads["comments"]] == [top]
    placeholder = threads["comments"][0]
    assert placeholder["deleted"] is True
    assert placeholder["content"] == ""
    assert placeholder["username"] is None
    assert placeholder["replies"][0]["comment_id"] == reply
    assert (await client.get(f"/api/competitions/{cid}/submissions/{sid}")).json()["comments"] == 1
    reply_to_deleted = await comment(client, carol, cid, sid, "hm", parent=top)
    assert reply_to_deleted.status_code == 400


async def test_each_caller_sees_whether_they_like_an_entry_in_any_browser(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    """`liked_by_me` comes from the account, not the browser: null without a token."""
    admin, bob, carol, dave = [await api.register(n) for n in ("admin", "bob", "carol", "dave")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    liked_sid = await submit_ok(client, bob, cid)
    other_sid = await submit_ok(client, dave, cid)
    assert (await like(client, carol, cid, liked_sid)).status_code == 200
    # Carol signs in again elsewhere: a new token, the same answer.
    carol_elsewhere = await api.relogin(carol)

    async def liked(headers: dict[str, str]) -> dict[str, object]:
        page = await client.get(f"/api/competitions/{cid}/submissions", headers=headers)
        assert page.status_code == 200, page.text
        return {s["submission_id"]: s["liked_by_me"] for s in page.json()["submissions"]}

    assert await liked(carol_elsewhere.headers) == {liked_sid: True, other_sid: False}
    assert await liked(dave.headers) == {liked_sid: False, other_sid: False}
    assert await liked({}) == {liked_sid: None, other_sid: None}
    one = f"/api/competitions/{cid}/submissions/{liked_sid}"
    assert (await client.get(one, headers=carol_elsewhere.headers)).json()["liked_by_me"] is True
    assert (await client.get(one)).json()["liked_by_me"] is None
    await client.delete(f"/api/competitions/{cid}/like/{liked_sid}", headers=carol.headers)
    assert await liked(carol_elsewhere.headers) == {liked_sid: False, other_sid: False}


async def test_an_open_competition_gets_each_entrys_counts_live(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, bob, cid)
    async with (
        live_server(platform.app) as hostport,
        # Public, as the entries are: no token.
        ws_connect(f"ws://{hostport}/api/competitions/{cid}/live") as socket,
    ):
        await socket.receive_until("ready")
        await like(client, carol, cid, sid)
        assert (await socket.receive_until("counts")) | {"offset": 0, "epoch": ""} == {
            "type": "counts",
            "submission_id": sid,
            "likes": 1,
            "comments": 0,
            "offset": 0,
            "epoch": "",
        }
        await comment_ok(client, carol, cid, sid, "Lovely.")
        assert (await socket.receive_until("counts"))["comments"] == 1
        await client.delete(f"/api/competitions/{cid}/like/{sid}", headers=carol.headers)
        assert (await socket.receive_until("counts"))["likes"] == 0
