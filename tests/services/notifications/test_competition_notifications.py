"""Likes, comments, replies, new entries and placements become notifications for the right people,
live on their sockets and in their lists, never for their own actions, honouring preferences."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from tests.services.competitions.support import (
    DURATION,
    comment_ok,
    competitions_service,
    create_competition,
    like,
    submit_ok,
    subscribe,
)
from tests.services.notifications.support import notifications_of, set_preferences
from tests.support.api import Account, Api
from tests.support.events import EventLog
from tests.support.live import JsonSocket, live_server, ws_connect


def _socket_url(hostport: str, who: Account) -> str:
    return f"ws://{hostport}/api/notifications/ws?token={who.token}"


async def _receive_notifications(socket: JsonSocket, count: int) -> list[dict[str, Any]]:
    frames = [await socket.receive_until("notification") for _ in range(count)]
    return [f["notification"] for f in frames]


async def test_likes_comments_and_replies_reach_the_author_live_and_in_the_list(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    admin = await api.register("admin")
    alice, bob, carol = [await api.register(n) for n in ("alice", "bob", "carol")]
    cid = (await create_competition(client, admin, clock, title="Sonnets"))["competition_id"]
    sid = await submit_ok(client, bob, cid, title="Ode to Rain")
    async with (
        live_server(platform.app) as hostport,
        ws_connect(_socket_url(hostport, bob)) as first,
        ws_connect(_socket_url(hostport, bob)) as second,
        ws_connect(_socket_url(hostport, alice)) as alices,
    ):
        for socket, owner in ((first, bob), (second, bob), (alices, alice)):
            assert (await socket.receive_until("ready"))["channel"] == f"user:{owner.id}"
        assert (await like(client, alice, cid, sid)).status_code == 200
        await comment_ok(client, alice, cid, sid, "Beautiful rhythm.")
        # Bob answers on his own entry: nobody is told of their own action.
        bobs_comment = await comment_ok(client, bob, cid, sid, "Thank you all!")
        await comment_ok(client, carol, cid, sid, "Agreed with you, Bob.", parent=bobs_comment)
        await platform.settle()

        for socket in (first, second):
            live = await _receive_notifications(socket, 3)
            assert [n["type"] for n in live] == ["like", "comment", "reply"]
            assert live[0]["message"] == 'alice liked your entry "Ode to Rain"'
            assert live[1]["message"].startswith('alice commented on your entry "Ode to Rain"')
            assert live[2]["message"].startswith("carol replied to your comment")
            assert live[2]["data"]["parent_comment_id"] == bobs_comment
            assert await socket.nothing_within(0.2)
        assert await alices.nothing_within(0.2)

    listed = await notifications_of(client, bob)
    assert [n["type"] for n in listed] == ["reply", "comment", "like"]
    assert all(n["read"] is False for n in listed)
    # The socket and the list show a notification in the same words.
    assert listed == live[::-1]
    page = (await client.get("/api/notifications", headers=bob.headers)).json()
    assert page["unread_count"] == 3
    assert await notifications_of(client, alice) == []
    assert await notifications_of(client, carol) == []


async def test_a_reply_tells_the_parents_author_and_the_entrys_author_once_each(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    admin = await api.register("admin")
    alice, bob, carol = [await api.register(n) for n in ("alice", "bob", "carol")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, bob, cid)
    alices = await comment_ok(client, alice, cid, sid, "Strong start.")
    await comment_ok(client, carol, cid, sid, "I thought so too.", parent=alices)
    # Alice replying to her own comment tells Bob (his entry), not Alice.
    await comment_ok(client, alice, cid, sid, "Also the ending.", parent=alices)
    await platform.settle()
    assert [n["type"] for n in await notifications_of(client, alice)] == ["reply"]
    bobs = await notifications_of(client, bob)
    assert [n["type"] for n in bobs] == ["comment", "comment", "comment"]
    assert await notifications_of(client, carol) == []


async def test_a_type_turned_off_sends_nothing_of_it(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    admin = await api.register("admin")
    alice, bob, carol, dan = [await api.register(n) for n in ("alice", "bob", "carol", "dan")]
    await set_preferences(client, bob, without=("like",))
    await set_preferences(client, carol, enabled=False)
    await set_preferences(client, dan, without=("reply",))
    cid = (await create_competition(client, admin, clock, allow_multiple_entries=True))[
        "competition_id"
    ]
    bobs = await submit_ok(client, bob, cid)
    carols = await submit_ok(client, carol, cid)
    dans = await submit_ok(client, dan, cid)
    for entry in (bobs, carols, dans):
        assert (await like(client, alice, cid, entry)).status_code == 200
        await comment_ok(client, alice, cid, entry, "Nice.")
    dans_comment = await comment_ok(client, dan, cid, dans, "Thanks.")
    await comment_ok(client, alice, cid, dans, "You're welcome.", parent=dans_comment)
    await platform.settle()
    assert [n["type"] for n in await notifications_of(client, bob)] == ["comment"]
    assert await notifications_of(client, carol) == []
    # Dan turned replies off: the reply on his own entry still tells him, as a comment.
    assert [n["type"] for n in await notifications_of(client, dan)] == [
        "comment",
        "comment",
        "like",
    ]


async def test_a_redelivered_like_event_makes_no_second_notification(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    log = EventLog(platform, "competitions.submission_liked")
    admin, alice, bob = [await api.register(n) for n in ("admin", "alice", "bob")]
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, bob, cid)
    assert (await like(client, alice, cid, sid)).status_code == 200
    (event,) = await log.of_type("competitions.submission_liked")
    await platform.bus.publish(event)
    await platform.bus.publish(event)
    await platform.settle()
    assert [n["type"] for n in await notifications_of(client, bob)] == ["like"]


async def test_concurrent_likes_notify_the_author_once_per_liker(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    admin, author = await api.register("admin"), await api.register("author")
    cid = (await create_competition(client, admin, clock))["competition_id"]
    sid = await submit_ok(client, author, cid)
    fans = [await api.register(f"fan{i}") for i in range(40)]
    responses = await asyncio.gather(*(like(client, fans[i % 40], cid, sid) for i in range(100)))
    assert {r.status_code for r in responses} == {200}
    await platform.settle()
    page = (await client.get("/api/notifications?limit=200", headers=author.headers)).json()
    assert len(page["data"]) == 40
    assert {n["data"]["user_id"] for n in page["data"]} == {str(f.id) for f in fans}


async def test_subscribers_hear_of_new_entries_but_not_the_author(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    admin = await api.register("admin")
    bob, carol, dan, eve = [await api.register(n) for n in ("bob", "carol", "dan", "eve")]
    cid = (await create_competition(client, admin, clock, title="Limericks"))["competition_id"]
    for reader in (bob, carol, dan):
        assert (await subscribe(client, reader, cid)).status_code == 200
    await set_preferences(client, carol, without=("new_submission",))
    await submit_ok(client, dan, cid, title="There once was")
    await platform.settle()
    (told,) = await notifications_of(client, bob)
    assert told["type"] == "new_submission"
    assert told["message"] == 'dan submitted "There once was" to "Limericks"'
    assert await notifications_of(client, carol) == []
    assert await notifications_of(client, dan) == []
    assert await notifications_of(client, eve) == []


async def test_every_entrant_is_told_their_place_exactly_once(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    admin = await api.register("admin")
    ann, ben, cat = [await api.register(n) for n in ("ann", "ben", "cat")]
    cid = (await create_competition(client, admin, clock, title="Haiku"))["competition_id"]
    entries = {who.username: await submit_ok(client, who, cid) for who in (ann, ben, cat)}
    assert (await like(client, admin, cid, entries["cat"])).status_code == 200
    assert (await like(client, ann, cid, entries["cat"])).status_code == 200
    assert (await like(client, cat, cid, entries["ben"])).status_code == 200
    clock.advance(DURATION)
    service = competitions_service(platform)
    await asyncio.gather(
        service.do_close_due(),
        *(client.get(f"/api/competitions/{cid}/results") for _ in range(3)),
    )
    await platform.settle()
    await service.do_close_due()
    await client.get(f"/api/competitions/{cid}/results")
    await platform.settle()
    expected = {"cat": "1st", "ben": "2nd", "ann": "3rd"}
    for who in (ann, ben, cat):
        told = await notifications_of(client, who)
        placements = [n for n in told if n["type"] == "placement"]
        assert len(placements) == 1, who.username
        assert f"placed {expected[who.username]} of 3" in placements[0]["message"]
        assert placements[0]["data"]["competition_id"] == cid
