"""The music seed's rooms: album rooms need a known album, genre rooms a slug; one open room per
subject; only the creator or an admin closes one."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from agora.entrypoints.embedded import Platform
from agora.services.discussions.schemas import RoomPage
from tests.services.discussions.support import album_added, deliver, open_genre_room
from tests.support.api import Api
from tests.support.lean import assert_list_answers_alike


async def test_album_room_needs_an_album_the_catalog_announced(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin, alice = await api.register("admin"), await api.register("alice")
    body = {"roomType": "album", "albumId": "7", "genreId": ""}
    unknown = await client.post("/api/forums/rooms", json=body, headers=alice.headers)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "album_not_found"

    await deliver(platform, album_added())
    created = await client.post("/api/forums/rooms", json=body, headers=alice.headers)
    assert created.status_code == 201
    room = created.json()
    assert isinstance(room["roomId"], str)
    assert (room["roomType"], room["albumId"], room["name"]) == (
        "album",
        "7",
        "Blue by Joni Mitchell",
    )
    assert room["createdBy"] == str(alice.id)
    assert room["active"] is True

    again = await client.post("/api/forums/rooms", json=body, headers=admin.headers)
    assert again.status_code == 200
    assert again.json()["roomId"] == room["roomId"]
    listing = (await client.get("/api/forums/rooms")).json()["rooms"]
    assert [(r["roomId"], r["active_users"]) for r in listing] == [(room["roomId"], 0)]
    missing_id = await client.post(
        "/api/forums/rooms", json={"roomType": "album"}, headers=alice.headers
    )
    assert missing_id.status_code == 422


async def test_genre_rooms_take_a_slug(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")

    async def create(body: object) -> httpx.Response:
        return await client.post("/api/forums/rooms", json=body, headers=alice.headers)

    for bad in ("Rock & Roll", "", "x" * 41, "jazz!"):
        response = await create({"roomType": "genre", "genreId": bad})
        assert response.status_code == 422, bad
    assert (await create({"roomType": "book", "genreId": "jazz"})).status_code == 422
    assert (await create({"genreId": "jazz"})).status_code == 422
    created = await create({"roomType": "genre", "albumId": "", "genreId": "post-rock"})
    assert created.status_code == 201
    assert created.json()["genreId"] == "post-rock"
    same = await create({"roomType": "genre", "genreId": "Post-Rock"})
    assert same.status_code == 200
    assert same.json()["roomId"] == created.json()["roomId"]
    anonymous = await client.post(
        "/api/forums/rooms", json={"roomType": "genre", "genreId": "jazz"}
    )
    assert anonymous.status_code == 401


async def test_concurrent_creation_opens_one_room(api: Api, client: httpx.AsyncClient) -> None:
    users = [await api.register(name) for name in ("alice", "bob", "carol")]
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/forums/rooms",
                json={"roomType": "genre", "genreId": "jazz"},
                headers=users[i % 3].headers,
            )
            for i in range(9)
        )
    )
    assert sorted(r.status_code for r in responses) == [200] * 8 + [201]
    assert len({r.json()["roomId"] for r in responses}) == 1
    assert len((await client.get("/api/forums/rooms")).json()["rooms"]) == 1


async def test_closing_a_room_by_caller(api: Api, client: httpx.AsyncClient) -> None:
    admin, alice, bob = [await api.register(n) for n in ("admin", "alice", "bob")]
    body = {"roomType": "genre", "genreId": "jazz"}
    room_id = (await client.post("/api/forums/rooms", json=body, headers=alice.headers)).json()[
        "roomId"
    ]
    assert (await client.delete(f"/api/forums/rooms/{room_id}")).status_code == 401
    other = await client.delete(f"/api/forums/rooms/{room_id}", headers=bob.headers)
    assert other.status_code == 403
    closed = await client.delete(f"/api/forums/rooms/{room_id}", headers=alice.headers)
    assert closed.status_code == 200
    assert closed.json() == {"status": "success", "message": "Room closed", "roomId": room_id}
    again = await client.delete(f"/api/forums/rooms/{room_id}", headers=alice.headers)
    assert again.status_code == 409
    assert (await client.get("/api/forums/rooms")).json()["rooms"] == []
    detail = (await client.get(f"/api/forums/rooms/{room_id}")).json()
    assert detail["active"] is False
    assert detail["closed_at"] is not None

    reopened = await client.post("/api/forums/rooms", json=body, headers=bob.headers)
    assert reopened.status_code == 201
    assert reopened.json()["roomId"] != room_id
    by_admin = await client.delete(
        f"/api/forums/rooms/{reopened.json()['roomId']}", headers=admin.headers
    )
    assert by_admin.status_code == 200
    for unknown in ("999", "abc"):
        response = await client.delete(f"/api/forums/rooms/{unknown}", headers=admin.headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "room_not_found"


async def test_room_list_pages_newest_first(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    ids = []
    for genre in ("a", "b", "c", "d", "e"):
        response = await client.post(
            "/api/forums/rooms", json={"roomType": "genre", "genreId": genre}, headers=alice.headers
        )
        ids.append(response.json()["roomId"])
    seen: list[str] = []
    cursor = ""
    while True:
        page = (await client.get(f"/api/forums/rooms?limit=2&cursor={cursor}")).json()
        seen += [r["roomId"] for r in page["rooms"]]
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert seen == ids[::-1]
    assert (await client.get("/api/forums/rooms?roomType=album")).json()["rooms"] == []
    assert (await client.get("/api/forums/rooms/999/messages")).status_code == 404


async def test_room_list_lean_read_answers_as_the_endpoint(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    """The lean read (decisions 0037, 0039, 0041) answers `GET /forums/rooms` exactly as the
    FastAPI endpoint does, through the gateway and on the service's own app; a cursor, a room type
    and every other method go to the endpoint."""
    alice = await api.register("alice")
    app = platform.runtimes["discussions"].app
    requests = [
        ("GET", "/forums/rooms"),
        ("GET", "/forums/rooms?limit=1"),
        ("GET", "/forums/rooms?roomType=genre"),
        ("GET", "/forums/rooms?roomType=nonsense"),
        ("GET", "/forums/rooms/"),
        ("HEAD", "/forums/rooms"),
        ("DELETE", "/forums/rooms"),
        ("GET", "/forums/rooms%00"),
    ]

    async def alike() -> list[dict[str, Any]]:
        # The plain form, with a page size (decision 0039), but no cursor or room type.
        lean = ["/forums/rooms"] * 2
        listed = await assert_list_answers_alike(
            client, app, requests, lean=lean, token=alice.headers
        )
        # Rendered without the response model (decision 0034): exactly the model's rendering.
        assert listed.content == RoomPage.model_validate(listed.json()).model_dump_json().encode()
        rooms: list[dict[str, Any]] = listed.json()["rooms"]
        return rooms

    assert await alike() == []
    await deliver(platform, album_added())
    album = {"roomType": "album", "albumId": "7"}
    created = await client.post("/api/forums/rooms", json=album, headers=alice.headers)
    assert created.status_code == 201
    jazz = await open_genre_room(client, alice, "jazz")
    closed = await open_genre_room(client, alice, "blues")
    gone = await client.delete(f"/api/forums/rooms/{closed}", headers=alice.headers)
    assert gone.status_code == 200
    rooms = await alike()
    assert [(r["roomId"], r["albumId"], r["genreId"]) for r in rooms] == [
        (jazz, None, "jazz"),
        (created.json()["roomId"], "7", None),
    ]
    operation = app.openapi()["paths"]["/forums/rooms"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RoomPage"
    }
