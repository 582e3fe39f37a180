"""The sports seed's chatrooms: opened by the sports service's events, listed and joined."""

from __future__ import annotations

import httpx

from agora.entrypoints.embedded import Platform
from tests.services.discussions.support import category_created, deliver, game_scheduled
from tests.support.api import Api


async def _chatrooms(client: httpx.AsyncClient, query: str = "") -> list[dict[str, object]]:
    response = await client.get(f"/api/sports/chatrooms{query}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success"
    rooms: list[dict[str, object]] = body["data"]
    return rooms


async def test_category_and_game_events_open_one_chatroom_each(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    assert await _chatrooms(client) == []
    await deliver(platform, category_created(), game_scheduled())
    await deliver(platform, category_created(), game_scheduled())  # announced twice
    await deliver(platform, category_created(category_id=4, name="Tennis"))
    rooms = await _chatrooms(client)
    assert len(rooms) == 3
    by_name = {r["chatroom_name"]: r for r in rooms}
    general = by_name["Football chat"]
    assert set(general) >= {
        "lchatroom_id",
        "chatroom_id",
        "chatroom_name",
        "description",
        "active_users",
    }
    assert general["lchatroom_id"] == general["chatroom_id"]
    assert isinstance(general["chatroom_id"], str)
    assert general["active_users"] == 0
    assert general["description"] == "General chat about Football"
    game = by_name["Ajax vs PSV"]
    assert game["category_id"] == "3"
    assert "Ajax vs PSV" in str(game["description"])
    football = await _chatrooms(client, "?category_id=3")
    assert {r["chatroom_name"] for r in football} == {"Football chat", "Ajax vs PSV"}


async def test_joining_a_category_chatroom(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    await deliver(platform, category_created(), game_scheduled())
    joined = await client.post(
        "/api/sports/chatrooms/3",
        json={"user_id": str(alice.id), "category_id": "3"},
        headers=alice.headers,
    )
    assert joined.status_code == 200
    body = joined.json()
    assert body["status"] == "success"
    assert body["message"] == "Joined the chatroom successfully"
    details = body["chatroom_details"]
    assert details["category_id"] == "3"
    assert details["chatroom_name"] == "Football chat"
    assert details["current_users"] == ["alice"]

    without_body = await client.post("/api/sports/chatrooms/3", headers=bob.headers)
    assert without_body.status_code == 200
    assert without_body.json()["chatroom_details"]["current_users"] == ["alice", "bob"]
    twice = await client.post("/api/sports/chatrooms/3", json={}, headers=bob.headers)
    assert twice.json()["chatroom_details"]["current_users"] == ["alice", "bob"]
    assert twice.json()["chatroom_details"]["chatroom_id"] == details["chatroom_id"]

    game_room = next(r for r in await _chatrooms(client) if r["chatroom_name"] == "Ajax vs PSV")
    to_game = await client.post(
        "/api/sports/chatrooms/3",
        json={"chatroom_id": game_room["chatroom_id"]},
        headers=bob.headers,
    )
    assert to_game.status_code == 200
    assert to_game.json()["chatroom_details"]["chatroom_id"] == game_room["chatroom_id"]
    assert to_game.json()["chatroom_details"]["current_users"] == ["bob"]


async def test_join_refusals(api: Api, client: httpx.AsyncClient, platform: Platform) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    await deliver(platform, category_created(), category_created(category_id=4, name="Tennis"))
    anonymous = await client.post("/api/sports/chatrooms/3", json={})
    assert anonymous.status_code == 401
    as_bob = await client.post(
        "/api/sports/chatrooms/3", json={"user_id": str(bob.id)}, headers=alice.headers
    )
    assert as_bob.status_code == 403
    unknown = await client.post("/api/sports/chatrooms/99", json={}, headers=alice.headers)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "category_not_found"
    mismatch = await client.post(
        "/api/sports/chatrooms/3", json={"category_id": "4"}, headers=alice.headers
    )
    assert mismatch.status_code == 400
    tennis = next(r for r in await _chatrooms(client) if r["chatroom_name"] == "Tennis chat")
    elsewhere = await client.post(
        "/api/sports/chatrooms/3",
        json={"chatroom_id": tennis["chatroom_id"]},
        headers=alice.headers,
    )
    assert elsewhere.status_code == 404
    assert elsewhere.json()["error"]["code"] == "chatroom_not_found"

    admin_closes = await client.delete(
        f"/api/forums/rooms/{tennis['chatroom_id']}", headers=bob.headers
    )
    assert admin_closes.status_code == 403  # opened by an event: only admins close it
    first_user_is_admin = await client.delete(
        f"/api/forums/rooms/{tennis['chatroom_id']}", headers=alice.headers
    )
    assert first_user_is_admin.status_code == 200
    closed = await client.post(
        "/api/sports/chatrooms/4",
        json={"chatroom_id": tennis["chatroom_id"]},
        headers=alice.headers,
    )
    assert closed.status_code == 409


async def test_a_categorys_chatrooms_page_with_a_cursor(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    await deliver(
        platform,
        category_created(),
        game_scheduled(),
        game_scheduled(game_id=41, team_1="Feyenoord", team_2="Twente"),
        category_created(category_id=4, name="Tennis"),
    )
    response = await client.get("/api/sports/chatrooms?category_id=3&limit=2")
    first = response.json()
    assert [r["chatroom_name"] for r in first["data"]] == ["Feyenoord vs Twente", "Ajax vs PSV"]
    cursor = first["next_cursor"]
    assert cursor
    after = f"/api/sports/chatrooms?category_id=3&limit=2&cursor={cursor}"
    second = (await client.get(after)).json()
    assert [r["chatroom_name"] for r in second["data"]] == ["Football chat"]
    assert second["next_cursor"] is None
