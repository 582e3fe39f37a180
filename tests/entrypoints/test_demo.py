"""Demo content on a first start: every system has something to show, once."""

from __future__ import annotations

from pathlib import Path

import httpx

from agora.entrypoints.demo import seed_demo
from agora.platform.config import SERVICE_NAMES
from tests.support.databases import DatabaseFactory
from tests.support.platform import client_for, running_platform


async def test_a_first_start_seeds_every_system_once(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    async with running_platform(
        database_factory, "sqlite", tmp_path, services=SERVICE_NAMES, demo_content=True
    ) as platform:
        accounts = platform.demo_accounts
        assert accounts is not None
        assert [a.username for a in accounts][:2] == ["agora", "mira"]
        assert accounts[0].role == "admin"
        accounts_file = tmp_path / "demo-accounts.txt"
        assert accounts_file.stat().st_mode & 0o777 == 0o600
        async with client_for(platform) as http:
            await _shows_everything(http, accounts[1].username, accounts[1].password)
        # A second seeding (a restart on the same data) adds nothing.
        assert await seed_demo(platform) is None


async def _shows_everything(http: httpx.AsyncClient, username: str, password: str) -> None:
    login = await http.post("/api/users/login", json={"username": username, "password": password})
    assert login.status_code == 200
    me = {"Authorization": f"Bearer {login.json()['token']}"}
    books = (await http.get("/api/books")).json()["books"]
    assert len(books) == 5
    assert sum(b["votes"] for b in books) == 5
    assert len((await http.get("/api/discussions")).json()["discussions"]) == 2
    albums = (await http.get("/api/users-reviews/albums")).json()
    album_list = albums["albums"] if isinstance(albums, dict) else albums
    assert len(album_list) == 6
    assert any(a["reviewCount"] > 0 for a in album_list)
    rooms = (await http.get("/api/forums/rooms")).json()
    room_list = rooms["rooms"] if isinstance(rooms, dict) else rooms
    assert {r["roomType"] for r in room_list} >= {"genre", "album"}
    competitions = (await http.get("/api/competitions")).json()
    assert [c["title"] for c in competitions] == ["Winter Flash Fiction"]
    user_id = login.json()["user_id"]
    home = (await http.get(f"/api/tweets/homeTimeline/{user_id}", headers=me)).json()["tweets"]
    assert len(home) >= 3  # her own post and those of the people she follows
    told = (await http.get("/api/notifications", headers=me)).json()
    assert told["unread_count"] >= 1  # a reply to her comment, a follow
    # The warehouse was filled once from the demo, so the charts are not empty on a first start.
    ratings = (await http.get("/api/analytics/reviews")).json()["data"]
    assert ratings["as_of"] is not None
    assert sum(g["reviews"] for g in ratings["genres"]) == sum(a["reviewCount"] for a in album_list)
