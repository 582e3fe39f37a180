"""Demo content for a first `agora up` on an empty data directory: a few members, this month's
candidate books with votes, lobby threads, albums with reviews and rooms, a writing competition with
entries, follows and posts. (Live games come from the sports service's own feed.)

Everything goes through the public API in process, so it behaves like anything a member does:
events, notifications, feeds. The accounts get random passwords, written to
`DATA_DIR/demo-accounts.txt` (readable by its owner only) and printed when the platform starts.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import structlog

if TYPE_CHECKING:
    from agora.entrypoints.embedded import Platform

log = structlog.get_logger("agora.demo")

MEMBERS = [
    ("agora", "Keeps the lights on. Ask me anything about the club."),
    ("mira", "Reads on trains. Nineteenth-century novels and very short stories."),
    ("tomas", "Jazz on vinyl, football on Saturdays."),
    ("lena", "Writes flash fiction at dawn; edits it at midnight."),
    ("kofi", "Hip-hop, history books, and arguing about both."),
    ("yuki", "Ambient records and long walks. New here!"),
]

BOOKS = [
    (
        "Middlemarch",
        "George Eliot",
        "A provincial town, a dozen lives, and the slow work of reform.",
    ),
    ("Piranesi", "Susanna Clarke", "A man lives in an infinite house of halls and tides."),
    ("The Left Hand of Darkness", "Ursula K. Le Guin", "An envoy on a winter world."),
    ("Beloved", "Toni Morrison", "A house haunted by a past that will not stay buried."),
    ("The Remains of the Day", "Kazuo Ishiguro", "A butler's road trip through his own life."),
]

ALBUMS = [
    ("Kind of Blue", "Miles Davis", 1959, "jazz"),
    ("Blue", "Joni Mitchell", 1971, "folk"),
    ("Rumours", "Fleetwood Mac", 1977, "rock"),
    ("OK Computer", "Radiohead", 1997, "rock"),
    ("Random Access Memories", "Daft Punk", 2013, "electronic"),
    ("To Pimp a Butterfly", "Kendrick Lamar", 2015, "hip-hop"),
]

REVIEWS = [
    ("tomas", "Kind of Blue", 5.0, "Five musicians, one afternoon, no retakes worth mentioning."),
    ("mira", "Blue", 4.5, "Every song sounds like a letter you were not meant to read."),
    ("kofi", "To Pimp a Butterfly", 5.0, "Dense, furious, generous. Still finding new lines."),
    ("yuki", "Random Access Memories", 4.0, "Warm and expensive-sounding; 'Touch' is a world."),
    ("lena", "Rumours", 4.5, "A breakup album you can dance to."),
    ("tomas", "OK Computer", 4.0, "Sounded like the future in 1997 and still does, mostly."),
]

POSTS = [
    ("mira", "Finished book two of the month's shortlist on the 8:14. No spoilers, but: wow."),
    ("tomas", "Found a first pressing of Kind of Blue at the market. Playing it all evening."),
    ("lena", "Three hundred words before breakfast. The competition deadline is a good teacher."),
    ("kofi", "Hot take: the best album reviews are shorter than the album's shortest track."),
    ("yuki", "Hello, Agora! Here for the music rooms and the book club."),
]


@dataclass(frozen=True)
class DemoAccount:
    """A seeded member a newcomer can log in as."""

    username: str
    password: str
    role: str


class _Seeder:
    def __init__(self, http: httpx.AsyncClient, services: set[str]) -> None:
        self.http = http
        self.services = services
        self.tokens: dict[str, str] = {}
        self.ids: dict[str, str] = {}

    def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    async def call(self, method: str, path: str, who: str | None = None, **kwargs: Any) -> Any:
        headers = self.auth(who) if who else {}
        response = await self.http.request(method, f"/api{path}", headers=headers, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text}")
        return response.json() if response.content else None

    async def members(self) -> list[DemoAccount]:
        accounts = []
        for username, bio in MEMBERS:
            password = secrets.token_urlsafe(12)
            body = {"username": username, "email": f"{username}@example.org", "password": password}
            created = await self.call("POST", "/users/register", json=body)
            login = await self.call(
                "POST", "/users/login", json={"username": username, "password": password}
            )
            self.tokens[username] = login["token"]
            self.ids[username] = login["user_id"]
            await self.call("PATCH", "/users/profile", username, json={"bio": bio})
            accounts.append(DemoAccount(username, password, created["role"]))
        return accounts

    async def bookclub(self) -> None:
        book_ids = []
        for title, author, description in BOOKS:
            book = await self.call(
                "POST",
                "/books",
                "agora",
                json={"title": title, "author": author, "description": description},
            )
            book_ids.append(book["id"])
        choices = {"mira": 0, "tomas": 1, "lena": 0, "kofi": 3, "yuki": 1}
        for username, index in choices.items():
            await self.call("POST", "/vote", username, json={"book_id": book_ids[index]})

    async def lobby(self) -> None:
        thread = await self.call(
            "POST",
            "/discussion",
            "mira",
            json={
                "title": "What should we read after the vote?",
                "content": "Shortlist ideas for next month, and why you would pick them.",
            },
        )
        await self.call(
            "POST",
            f"/discussions/{thread['thread_id']}/reply",
            "kofi",
            json={"content": "Something under 300 pages, please. December is busy."},
        )
        await self.call(
            "POST",
            "/discussion",
            "agora",
            json={
                "title": "Welcome to the book club",
                "content": "Vote for next month's book above; the winner gets its own lobby.",
            },
        )

    async def music(self) -> dict[str, str]:
        album_ids = {}
        for title, artist, year, genre in ALBUMS:
            album = await self.call(
                "POST",
                "/users-reviews/albums",
                "agora",
                json={"title": title, "artist": artist, "year": year, "genre": genre},
            )
            album_ids[title] = str(album["albumId"])
        for username, title, rating, text in REVIEWS:
            await self.call(
                "POST",
                "/users-reviews/reviews",
                username,
                json={"albumId": album_ids[title], "rating": rating, "reviewText": text},
            )
        return album_ids

    async def rooms(self, album_ids: dict[str, str]) -> None:
        await self.call(
            "POST", "/forums/rooms", "tomas", json={"roomType": "genre", "genreId": "jazz"}
        )
        await self.call(
            "POST",
            "/forums/rooms",
            "tomas",
            json={"roomType": "album", "albumId": album_ids["Kind of Blue"]},
        )

    async def competition(self, now: Any) -> None:
        competition = await self.call(
            "POST",
            "/competitions",
            "agora",
            json={
                "title": "Winter Flash Fiction",
                "description": "A story of at most 500 words in which it snows. Most likes wins.",
                "start_date": (now - timedelta(days=1)).isoformat(),
                "end_date": (now + timedelta(days=14)).isoformat(),
            },
        )
        cid = competition["competition_id"]
        await self.call("POST", f"/users/subscribe/{cid}", "mira")
        entries = {}
        for username, title, text in (
            ("lena", "First Snow", "The town forgot the sound of its own streets overnight."),
            ("kofi", "Drift", "He counted the flakes on the window until they counted him."),
        ):
            entry = await self.call(
                "POST",
                f"/competitions/{cid}/submit",
                username,
                json={"title": title, "content": text},
            )
            entries[username] = entry["submission_id"]
        for liker in ("mira", "tomas", "yuki"):
            await self.call("POST", f"/competitions/{cid}/like/{entries['lena']}", liker)
        await self.call("POST", f"/competitions/{cid}/like/{entries['kofi']}", "lena")
        comment = await self.call(
            "POST",
            f"/competitions/{cid}/comment/{entries['lena']}",
            "mira",
            json={"content": "That first line! Quiet and perfect."},
        )
        await self.call(
            "POST",
            f"/competitions/{cid}/comment/{entries['lena']}",
            "lena",
            json={"content": "Thank you, Mira!", "parent_comment_id": comment["comment_id"]},
        )

    async def follows(self) -> None:
        pairs = [
            ("mira", "lena"),
            ("mira", "kofi"),
            ("tomas", "mira"),
            ("lena", "mira"),
            ("kofi", "tomas"),
            ("yuki", "mira"),
            ("yuki", "tomas"),
        ]
        for who, whom in pairs:
            await self.call(
                "POST", f"/users/{self.ids[who]}/follow", who, json={"followUserId": self.ids[whom]}
            )

    async def posts(self) -> None:
        for username, content in POSTS:
            await self.call("POST", "/tweets", username, json={"content": content})


async def seed_demo(platform: Platform) -> list[DemoAccount] | None:
    """Seed the demo content if the platform has no users yet; the accounts, or None."""
    services = set(platform.runtimes)
    if "users" not in services:
        return None
    transport = httpx.ASGITransport(app=platform.app, client=("127.0.0.1", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://demo", timeout=60) as http:
        existing = await http.get("/api/users", params={"q": ""})
        if existing.status_code != 200 or existing.json()["users"]:
            return None
        seeder = _Seeder(http, services)
        accounts = await seeder.members()
        if {"voting"} <= services:
            await seeder.bookclub()
        if {"discussions"} <= services:
            await seeder.lobby()
        if {"users", "timeline"} <= services:
            await seeder.follows()
        album_ids: dict[str, str] = {}
        if "reviews" in services:
            album_ids = await seeder.music()
        await platform.settle(within=30)
        if "discussions" in services and album_ids:
            await seeder.rooms(album_ids)
        if "competitions" in services:
            await seeder.competition(platform.clock.now())
        if "timeline" in services:
            await seeder.posts()
        await platform.settle(within=30)
        if "warehouse" in services:
            # The charts are not empty on a first start: the warehouse loads the demo at once.
            await seeder.call("POST", "/analytics/refresh", "agora")
    _write_accounts(platform.settings.data_dir, accounts)
    log.info("demo_content_seeded", members=len(accounts))
    return accounts


def _write_accounts(data_dir: Path, accounts: list[DemoAccount]) -> None:
    path = data_dir / "demo-accounts.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Demo accounts made on first start (username, password, role)"]
    lines += [f"{a.username}\t{a.password}\t{a.role}" for a in accounts]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")
