"""Seed flows as a client written from the seeds would run them, against any base URL: the same
functions run against the embedded platform and against a cluster of processes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.support.waiting import eventually

PASSWORD = "correct horse battery staple"


@dataclass
class User:
    id: str
    name: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


async def register(http: httpx.AsyncClient, name: str, *, email: bool = True) -> User:
    body: dict[str, Any] = {"username": name, "password": PASSWORD}
    if email:
        body["email"] = f"{name}@example.com"
    created = await http.post("/api/users/register", json=body)
    assert created.status_code == 201, created.text
    login = await http.post("/api/users/login", json={"username": name, "password": PASSWORD})
    assert login.status_code == 200, login.text
    data = login.json()
    return User(id=data["user_id"], name=name, token=data["token"])


async def users_flow(http: httpx.AsyncClient) -> None:
    """Seeds 001, 003 and 004: register, log in, profile, follow, followers, preferences."""
    writer = await register(http, unique("writer"))
    # Seed 003 registers without an email and reads `userId`/`accessToken`.
    tweeter_name = unique("tweeter")
    created = await http.post(
        "/api/users/register", json={"username": tweeter_name, "password": PASSWORD}
    )
    assert created.status_code == 201
    assert created.json()["userId"] == created.json()["user_id"]
    login = await http.post(
        "/api/users/login", json={"username": tweeter_name, "password": PASSWORD}
    )
    tweeter = User(login.json()["userId"], tweeter_name, login.json()["accessToken"])
    # Seed 001: log in by email; profile.
    by_email = await http.post(
        "/api/users/login", json={"email": f"{writer.name}@example.com", "password": PASSWORD}
    )
    assert by_email.json()["expires_at"]
    profile = await http.get("/api/users/profile", headers=writer.auth)
    assert profile.json()["username"] == writer.name
    patched = await http.patch("/api/users/profile", json={"bio": "Writes."}, headers=writer.auth)
    assert patched.json()["bio"] == "Writes."
    # Seed 003: follow, followers, followings, unfollow.
    follow = await http.post(
        f"/api/users/{tweeter.id}/follow", json={"followUserId": writer.id}, headers=tweeter.auth
    )
    assert follow.status_code == 200
    followers = await http.get(f"/api/users/{writer.id}/followers")
    assert followers.json()["followers"] == [tweeter.id]
    followings = await http.get(f"/api/users/{tweeter.id}/followings")
    assert followings.json()["followings"] == [writer.id]
    unfollow = await http.request(
        "DELETE",
        f"/api/users/{tweeter.id}/unfollow",
        json={"unfollowUserId": writer.id},
        headers=tweeter.auth,
    )
    assert unfollow.status_code == 200
    assert (await http.get(f"/api/users/{writer.id}/followers")).json()["followers"] == []
    # Seed 004: the account envelope and notification preferences.
    envelope = await http.get(f"/api/users/{writer.id}", headers=writer.auth)
    assert envelope.json()["status"] == "success"
    assert envelope.json()["data"]["preferences"]["notifications"]["enabled"] is True
    prefs = await http.put(
        f"/api/users/{writer.id}/preferences/notifications",
        json={"enabled": True, "types": ["like", "comment"]},
        headers=writer.auth,
    )
    assert prefs.json() == {
        "status": "success",
        "message": "Preferences updated successfully",
        "data": {"enabled": True, "types": ["like", "comment"]},
    }
    # Errors are the contract's JSON.
    bad = await http.post("/api/users/register", json={"username": "X", "password": "short"})
    assert bad.status_code == 422
    assert bad.json()["status"] == "error"


async def competitions_flow(http: httpx.AsyncClient, admin: User) -> None:
    """Seed 001: an admin opens a competition; writers submit, like, comment and reply."""
    now = datetime.now(UTC)
    created = await http.post(
        "/api/competitions",
        json={
            "title": unique("Flash fiction"),
            "description": "Three hundred words on a winter night.",
            "start_date": (now - timedelta(minutes=1)).isoformat(),
            "end_date": (now + timedelta(hours=2)).isoformat(),
        },
        headers=admin.auth,
    )
    assert created.status_code == 201, created.text
    competition_id = created.json()["competition_id"]
    active = await http.get("/api/competitions")
    assert competition_id in [c["competition_id"] for c in active.json()]
    detail = await http.get(f"/api/competitions/{competition_id}")
    assert detail.json()["admin_id"] == admin.id
    ana, ben = await register(http, unique("ana")), await register(http, unique("ben"))
    submitted = await http.post(
        f"/api/competitions/{competition_id}/submit",
        json={"title": "Frost", "content": "The window held its breath."},
        headers=ana.auth,
    )
    assert submitted.status_code == 201
    assert submitted.json()["message"] == "Submission successful"
    submission_id = submitted.json()["submission_id"]
    for _ in range(2):  # a second like is harmless
        liked = await http.post(
            f"/api/competitions/{competition_id}/like/{submission_id}", headers=ben.auth
        )
        assert liked.json()["message"] == "Like added"
    comment = await http.post(
        f"/api/competitions/{competition_id}/comment/{submission_id}",
        json={"content": "Lovely last line."},
        headers=ben.auth,
    )
    assert comment.json()["message"] == "Comment added"
    reply = await http.post(
        f"/api/competitions/{competition_id}/comment/{submission_id}",
        json={"content": "Thank you!", "parent_comment_id": comment.json()["comment_id"]},
        headers=ana.auth,
    )
    assert reply.status_code == 201
    entries = await http.get(f"/api/competitions/{competition_id}/submissions")
    entry = next(e for e in entries.json()["submissions"] if e["submission_id"] == submission_id)
    assert entry["likes"] == 1
    assert entry["comments"] == 2
    mine = await http.get("/api/users/profile/submissions", headers=ana.auth)
    assert [s["submission_id"] for s in mine.json()] == [submission_id]
    subscribed = await http.post(f"/api/users/subscribe/{competition_id}", headers=ben.auth)
    assert subscribed.json()["message"] == "Subscription successful"
    subs = await http.get("/api/users/profile/subscriptions", headers=ben.auth)
    assert competition_id in [c["competition_id"] for c in subs.json()]
    # Ana is told about Ben's like and comment.
    told = await http.get("/api/notifications", headers=ana.auth)
    assert told.status_code == 200


async def bookclub_flow(http: httpx.AsyncClient, admin: User) -> None:
    """Seed 000: candidate books, one vote per member (a second vote moves it), live status, the
    poll's close, and the winner's lobby with its threads."""
    first = await http.post(
        "/api/books",
        json={"title": unique("Middlemarch"), "author": "George Eliot", "description": "A town."},
        headers=admin.auth,
    )
    second = await http.post(
        "/api/books",
        json={"title": unique("Piranesi"), "author": "Susanna Clarke", "description": "Halls."},
        headers=admin.auth,
    )
    assert first.status_code == second.status_code == 201
    winner, other = first.json()["id"], second.json()["id"]
    readers = [await register(http, unique("reader")) for _ in range(3)]
    for reader in readers:
        voted = await http.post(
            "/api/vote", json={"book_id": other, "user_id": int(reader.id)}, headers=reader.auth
        )
        assert voted.status_code == 200
        assert voted.json()["message"]
    # Two readers change their minds: their votes move, nothing doubles.
    for reader in readers[:2]:
        moved = await http.post("/api/vote", json={"book_id": winner}, headers=reader.auth)
        assert moved.json()["votes"] >= 1
    fresh = {"Cache-Control": "no-cache"}
    status = (await http.get("/api/vote/status", headers=fresh)).json()["status"]
    counts = {row["book_id"]: row["votes"] for row in status}
    assert counts[winner] == 2
    assert counts[other] == 1
    books = (await http.get("/api/books", headers=fresh)).json()["books"]
    assert {b["id"]: b["votes"] for b in books}[winner] == 2
    closed = await http.post("/api/polls/current/close", headers=admin.auth)
    assert closed.status_code == 200, closed.text

    async def welcome_thread() -> bool:
        threads = (await http.get("/api/discussions")).json()["discussions"]
        return any(t["title"].startswith("Welcome to") for t in threads)

    # The winner's lobby opens (an event away): its welcome thread appears.
    await eventually(welcome_thread, what="the winner's welcome thread", within=10, interval=0.1)
    reader = readers[0]
    thread = await http.post(
        "/api/discussion",
        json={"title": "First impressions", "content": "Dorothea!"},
        headers=reader.auth,
    )
    assert thread.json()["message"] == "Discussion thread created successfully"
    thread_id = thread.json()["thread_id"]
    reply = await http.post(
        f"/api/discussions/{thread_id}/reply", json={"content": "Agreed."}, headers=readers[1].auth
    )
    assert reply.json()["message"] == "Reply submitted successfully"
    listed = (await http.get("/api/discussions")).json()["discussions"]
    assert next(t for t in listed if t["thread_id"] == thread_id)["replies"] == 1
    detail = (await http.get(f"/api/discussions/{thread_id}")).json()
    assert detail["title"] == "First impressions"
