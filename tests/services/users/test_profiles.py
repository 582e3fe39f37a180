"""Profiles, the sports envelope, notification preferences, roles, and the music seed's base URL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from agora.platform import http
from agora.platform.deps import _bearer
from agora.platform.ids import MAX_ID
from agora.services.users.schemas import PublicProfileRead
from tests.support.api import Api
from tests.support.events import EventLog
from tests.support.lean import assert_answers_alike, counting_lean_answers


async def test_own_profile_anonymous_owner(api: Api, client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/users/profile")).status_code == 401
    alice = await api.register("alice", email="alice@example.com")
    response = await client.get("/api/users/profile", headers=alice.headers)
    assert response.status_code == 200
    body = response.json()
    for field in ("user_id", "username", "email", "profile_picture", "bio", "created_at"):
        assert field in body  # seed 001
    assert body["role"] == "admin"
    assert body["email"] == "alice@example.com"


async def test_update_profile(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    response = await client.patch(
        "/api/users/profile",
        json={"bio": "Reads Le Guin twice a year.", "profile_picture": "https://img.example/a.png"},
        headers=alice.headers,
    )
    assert response.status_code == 200
    assert response.json()["bio"] == "Reads Le Guin twice a year."
    partial = await client.patch("/api/users/profile", json={"bio": ""}, headers=alice.headers)
    assert partial.json()["bio"] == ""
    assert partial.json()["profile_picture"] == "https://img.example/a.png"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bio": "x" * 501}, "body.bio"),
        ({"profile_picture": "javascript:alert(1)"}, "body.profile_picture"),
        ({"profile_picture": "not a url"}, "body.profile_picture"),
        ({"role": "admin"}, "body.role"),
    ],
)
async def test_update_profile_rejects_bad_fields(
    api: Api, client: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    alice = await api.register("alice")
    response = await client.patch("/api/users/profile", json=body, headers=alice.headers)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]
    profile = await client.get("/api/users/profile", headers=alice.headers)
    assert profile.json()["role"] == "admin"


async def test_public_profile_hides_the_email(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    bob = await api.register("bob")
    for path in (f"/api/users/profile/{alice.id}", f"/api/users-reviews/users/profile/{alice.id}"):
        response = await client.get(path, headers=bob.headers)
        assert response.status_code == 200
        assert response.json()["username"] == "alice"
        assert "email" not in response.json()
        # Rendered without the response model (decision 0034): exactly the model's own rendering.
        model = PublicProfileRead.model_validate(response.json())
        assert response.content == model.model_dump_json().encode()
        assert response.headers["content-type"] == "application/json"
    missing = await client.get("/api/users/profile/999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "user_not_found"
    bad = await client.get("/api/users/profile/abc")
    assert bad.status_code == 404
    assert bad.json()["error"]["code"] == "not_found"


async def test_sports_envelope_owner_other_admin(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    bob = await api.register("bob")
    carol = await api.register("carol")
    own = await client.get(f"/api/users/{bob.id}", headers=bob.headers)
    assert own.status_code == 200
    body = own.json()
    assert body["status"] == "success"
    assert body["data"]["username"] == "bob"
    assert body["data"]["email"] == "bob@example.com"
    assert body["data"]["preferences"]["notifications"]["enabled"] is True
    assert (await client.get(f"/api/users/{bob.id}", headers=carol.headers)).status_code == 403
    assert (await client.get(f"/api/users/{bob.id}", headers=admin.headers)).status_code == 200
    assert (await client.get(f"/api/users/{bob.id}")).status_code == 401


async def test_notification_preferences(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    log = EventLog(platform, "user.preferences_changed")
    await api.register("admin")
    bob = await api.register("bob")
    carol = await api.register("carol")
    path = f"/api/users/{bob.id}/preferences/notifications"
    update = {"enabled": True, "types": ["score_update", "news"]}
    response = await client.put(path, json=update, headers=bob.headers)
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "message": "Preferences updated successfully",
        "data": {"enabled": True, "types": ["score_update", "news"]},
    }
    read = await client.get(path, headers=bob.headers)
    assert read.json()["data"]["types"] == ["score_update", "news"]
    assert (await client.put(path, json=update, headers=carol.headers)).status_code == 403
    assert (await client.put(path, json=update)).status_code == 401
    unknown = await client.put(
        path, json={"enabled": True, "types": ["telepathy"]}, headers=bob.headers
    )
    assert unknown.status_code == 422
    assert "telepathy" in unknown.json()["error"]["message"]
    missing = await client.put(path, json={"types": []}, headers=bob.headers)
    assert missing.status_code == 422
    events = await log.of_type("user.preferences_changed")
    assert [e.payload for e in events] == [
        {"user_id": bob.id, "enabled": True, "types": ["score_update", "news"]}
    ]


async def test_admin_grants_admin_members_cannot(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    bob = await api.register("bob")
    carol = await api.register("carol")
    denied = await client.put(
        f"/api/users/{carol.id}/role", json={"role": "admin"}, headers=bob.headers
    )
    assert denied.status_code == 403
    granted = await client.put(
        f"/api/users/{bob.id}/role", json={"role": "admin"}, headers=admin.headers
    )
    assert granted.status_code == 200
    assert granted.json()["role"] == "admin"
    bob = await api.relogin(bob)
    assert bob.login["role"] == "admin"
    bad = await client.put(
        f"/api/users/{bob.id}/role", json={"role": "king"}, headers=admin.headers
    )
    assert bad.status_code == 422


async def test_the_last_admin_cannot_be_demoted(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    response = await client.put(
        f"/api/users/{admin.id}/role", json={"role": "member"}, headers=admin.headers
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "last_admin"


async def test_user_search_by_prefix(api: Api, client: httpx.AsyncClient) -> None:
    for name in ("alice", "alina", "bob"):
        await api.register(name)
    response = await client.get("/api/users", params={"q": "al"})
    assert [u["username"] for u in response.json()["users"]] == ["alice", "alina"]
    wildcard = await client.get("/api/users", params={"q": "%"})
    assert wildcard.json()["users"] == []


async def test_music_seed_base_url_serves_the_same_accounts(client: httpx.AsyncClient) -> None:
    body = {"username": "listener", "password": "correct horse battery staple", "email": "l@x.io"}
    registered = await client.post("/api/users-reviews/users/register", json=body)
    assert registered.status_code == 201
    login = await client.post(
        "/api/users-reviews/users/login",
        json={"username": "listener", "password": body["password"]},
    )
    assert login.status_code == 200
    user_id = login.json()["user_id"]
    profile = await client.get(f"/api/users-reviews/users/profile/{user_id}")
    assert profile.json()["username"] == "listener"


async def test_a_lean_read_is_answered_ahead_of_the_inner_layers(
    api: Api, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the service's whole app (as a cluster replica serves it) a lean read is answered by
    `LeanReadsMiddleware`, inside the observability layer and ahead of the body limit, the NUL
    check and the router (decision 0044); a request it does not take goes through them."""
    alice = await api.register("alice")
    app = platform.runtimes["users"].app
    crossed: list[str] = []
    inner = http.RefuseNulMiddleware.__call__

    async def counted(self: Any, scope: Any, receive: Any, send: Any) -> None:
        crossed.append(scope["path"])
        await inner(self, scope, receive, send)

    monkeypatch.setattr(http.RefuseNulMiddleware, "__call__", counted)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://users") as direct:
        with counting_lean_answers(app) as answered:
            lean = await direct.get(f"/users/profile/{alice.id}")
            full = await direct.get("/users/profile/abc")
    assert (lean.status_code, full.status_code) == (200, 404)
    assert lean.headers["x-request-id"]
    assert answered == ["/users/profile/{userId}"]
    assert crossed == ["/users/profile/abc"]


async def test_public_profile_lean_read_answers_as_the_endpoint(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    """The lean read (decision 0037) answers plain requests exactly as the FastAPI endpoint does,
    through the gateway and on the service's own app (its whole middleware stack, as a cluster
    replica serves it); every other request goes to the endpoint."""
    alice = await api.register("alice")
    await api.register("bob")
    app = platform.runtimes["users"].app
    plain = [alice.id, 999, MAX_ID]
    others = ["0", f"00{alice.id}", "abc", "-1", f"{MAX_ID + 1}", "9" * 25, f"%20{alice.id}"]
    others += ["\uff11", f"{alice.id}?x=1", f"{alice.id}/", f"{alice.id}%00"]
    paths = [f"/users/profile/{user_id}" for user_id in plain]
    paths += [f"/users/profile/{text}" for text in others]
    paths += [f"/users-reviews/users/profile/{alice.id}"]
    requests = [("GET", path) for path in paths] + [
        ("HEAD", paths[0]),
        ("POST", paths[0]),
        ("DELETE", paths[0]),
    ]
    through_gateway = [(method, "/api" + path) for method, path in requests]
    answered = await assert_answers_alike(client, app, through_gateway)
    assert len(answered) == len(plain)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://users") as direct:
        answered = await assert_answers_alike(direct, app, requests)
        assert len(answered) == len(plain)
        # A GET that declares a body goes the whole way: the body limit refuses this one.
        declared = {"Content-Length": str(2 * 1024 * 1024)}
        assert await assert_answers_alike(direct, app, [("GET", paths[0], declared)]) == []
        assert (await direct.get(paths[0], headers=declared)).status_code == 413
        # An empty one declares none (wrk sends it with every GET).
        empty = [("GET", paths[0], {"Content-Length": "0"})]
        assert await assert_answers_alike(direct, app, empty) == ["/users/profile/{userId}"]
        # With a token too: the endpoint reads none, and neither does the lean read.
        answered = await assert_answers_alike(direct, app, requests[:1], headers=alice.headers)
        assert len(answered) == 1
        first = await direct.get(paths[0])
        assert first.status_code == 200
        assert first.headers["x-request-id"]
        # Tests that override a dependency get the endpoint, overrides and all.
        app.dependency_overrides[_bearer] = lambda: None
        try:
            with counting_lean_answers(app) as answered:
                assert (await direct.get(paths[0])).status_code == 200
            assert answered == []
        finally:
            app.dependency_overrides.clear()
    document = app.openapi()
    operation = document["paths"]["/users/profile/{userId}"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PublicProfileRead"
    }
