"""The account sagas through the gateway, in the embedded topology (SQLite and PostgreSQL): delete
with a grace period (hidden at once, login refused with a restore flow, restored exactly), erase
(no personal data left in any database, the username quarantined), export (a ZIP per owner), and
the admins' view."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from agora.entrypoints.embedded import Platform
from agora.entrypoints.registry import available_specs
from agora.platform.clock import ManualClock
from agora.platform.deps import registered
from agora.services.users.sagas import AccountSagas
from tests.services.reviews.support import add_album, album_reviews, review
from tests.services.timeline.support import follow, home, tweet, user_timeline
from tests.support.api import PASSWORD, Account, Api
from tests.support.databases import DatabaseFactory
from tests.support.platform import client_for, make_settings
from tests.support.waiting import eventually

SAGA_WAIT = 30.0


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "timeline", "reviews", "notifications")


async def deletion(client: httpx.AsyncClient, who: Account) -> dict[str, Any]:
    response = await client.get("/api/users/profile/deletion", headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def wait_state(
    client: httpx.AsyncClient, admin: Account, saga_id: str, state: str
) -> dict[str, Any]:
    async def check() -> dict[str, Any]:
        response = await client.get(
            "/api/admin/sagas", params={"all": "true"}, headers=admin.headers
        )
        assert response.status_code == 200, response.text
        for saga in response.json()["sagas"]:
            if saga["saga_id"] == saga_id and saga["state"] == state:
                seen: dict[str, Any] = saga
                return seen
        return {}  # not yet

    found: dict[str, Any] = await eventually(
        check, what=f"saga {saga_id} {state}", within=SAGA_WAIT, interval=0.1
    )
    return found


async def reviews_of(client: httpx.AsyncClient, album: str) -> tuple[list[str], int]:
    """An album's review texts, and the count it shows."""
    body = await album_reviews(client, album)
    return sorted(r["reviewText"] for r in body["reviews"]), body["reviewCount"]


async def seed(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> tuple[Account, Account, Account, str]:
    admin = await api.register("admin")
    alice = await api.register("alice")
    bob = await api.register("bob")
    await follow(client, bob, alice)
    await follow(client, alice, bob)
    await platform.settle()
    await tweet(client, alice, "alice speaks")
    await tweet(client, bob, "bob speaks")
    album = await add_album(client, admin)
    await review(client, alice, album, 4.5, "alice: a classic")
    await review(client, bob, album, 3.0, "bob: fine")
    await platform.settle()
    return admin, alice, bob, album


async def test_deletion_hides_at_once_refuses_login_and_restores_exactly(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin, alice, bob, album = await seed(api, client, platform)
    before = (await home(client, bob), await reviews_of(client, album))
    assert "alice speaks" in before[0]

    wrong = await client.post(
        "/api/users/profile/deletion", json={"password": "not it at all"}, headers=alice.headers
    )
    assert wrong.status_code == 401
    started = await client.post(
        "/api/users/profile/deletion",
        json={"password": PASSWORD, "grace_days": 14},
        headers=alice.headers,
    )
    assert started.status_code == 202, started.text
    body = started.json()
    saga_id = body["deletion_id"]
    assert body["state"] == "hiding"
    assert body["grace_days"] == 14
    assert body["erase_at"]

    # Deactivated at once: no login (423 with a restore token), no refresh.
    refused = await client.post(
        "/api/users/login", json={"username": "alice", "password": PASSWORD}
    )
    assert refused.status_code == 423, refused.text
    assert refused.json()["error"]["code"] == "account_pending_deletion"
    refreshed = await client.post("/api/users/refresh", json={"refresh_token": alice.refresh_token})
    assert refreshed.status_code == 401

    hidden = await wait_state(client, admin, saga_id, "hidden")
    assert [s["step"] for s in hidden["steps"]] == [
        "hide:notifications",
        "hide:timeline",
        "hide:reviews",
        "hide:users",
    ]
    assert all(s["state"] == "done" for s in hidden["steps"])
    assert "alice speaks" not in await home(client, bob)
    assert await user_timeline(client, alice.id) == []
    assert await reviews_of(client, album) == (["bob: fine"], 1)
    followers = await client.get(f"/api/users/{bob.id}/followers")
    assert list(followers.json().get("followers", [])) == []

    restore_token = refused.json()["error"]["details"][0]["restore_token"]
    cancelled = await client.request(
        "DELETE", "/api/users/profile/deletion", json={"restore_token": restore_token}
    )
    assert cancelled.status_code == 202, cancelled.text
    restored = await wait_state(client, admin, saga_id, "restored")
    restore_steps = [s["step"] for s in restored["steps"] if s["step"].startswith("restore:")]
    assert restore_steps == [
        "restore:users",
        "restore:reviews",
        "restore:timeline",
        "restore:notifications",
    ]
    again = await api.login("alice")
    await platform.settle()
    assert (await home(client, bob), await reviews_of(client, album)) == before
    assert await user_timeline(client, again.id) == ["alice speaks"]
    assert (await deletion(client, again))["state"] == "restored"


async def test_erase_after_the_grace_period_leaves_no_personal_data(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin, alice, bob, _ = await seed(api, client, platform)
    started = await client.post(
        "/api/users/profile/deletion",
        json={"password": PASSWORD, "grace_days": 0},
        headers=alice.headers,
    )
    assert started.status_code == 202, started.text
    erased = await wait_state(client, admin, started.json()["deletion_id"], "erased")
    assert {s["step"] for s in erased["steps"]} >= {"erase:users", "erase:timeline"}

    login = await client.post("/api/users/login", json={"username": "alice", "password": PASSWORD})
    assert login.status_code == 401
    again = await client.post(
        "/api/users/register", json={"username": "alice", "password": PASSWORD}
    )
    assert again.status_code == 409  # quarantined
    assert await home(client, bob) == ["bob speaks"]
    # No database row names Alice (her id only in the tombstone that keeps it from reuse).
    for name, database in platform.databases.items():
        async with database.session(read_only=True) as session:
            for table in database_tables(platform, name):
                for row in (await session.execute(select(table))).all():
                    text = json.dumps([str(v) for v in row])
                    assert "alice" not in text, f"{name}.{table.name}: {text}"


def database_tables(platform: Platform, service: str) -> list[Any]:
    metadata = platform.runtimes[service].spec.metadata
    return [t for n, t in metadata.tables.items() if n not in ("outbox", "inbox")]


async def test_export_is_a_zip_for_its_owner_only(
    api: Api, client: httpx.AsyncClient, platform: Platform, clock: ManualClock
) -> None:
    _admin, alice, bob, _ = await seed(api, client, platform)
    started = await client.post("/api/users/profile/export", headers=alice.headers)
    assert started.status_code == 202, started.text
    export_id = started.json()["export_id"]

    async def ready() -> dict[str, Any] | None:
        response = await client.get(f"/api/users/profile/export/{export_id}", headers=alice.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body if body["state"] == "ready" else None

    body = await eventually(ready, what="export ready", within=SAGA_WAIT, interval=0.1)
    assert body["download_url"]
    assert body["expires_at"]
    other = await client.get(f"/api/users/profile/export/{export_id}", headers=bob.headers)
    assert other.status_code == 404
    assert (await client.get(body["download_url"], headers=bob.headers)).status_code == 404
    download = await client.get(body["download_url"], headers=alice.headers)
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = set(archive.namelist())
    assert {
        "README.txt",
        "users/profile.json",
        "timeline/tweets.json",
        "reviews/reviews.json",
    } <= names
    tweets = json.loads(archive.read("timeline/tweets.json"))
    assert [t["content"] for t in tweets] == ["alice speaks"]
    # The link lapses after seven days, and the archive is deleted then.
    clock.advance(timedelta(days=7, seconds=1).total_seconds())
    alice = await api.login("alice")  # her token of a week ago has expired
    lapsed = await client.get(f"/api/users/profile/export/{export_id}", headers=alice.headers)
    assert lapsed.json()["state"] == "expired"
    assert lapsed.json()["download_url"] is None
    assert (await client.get(body["download_url"], headers=alice.headers)).status_code == 409
    sagas = registered(platform.runtimes["users"].app, AccountSagas)
    assert await sagas.do_remove_expired_exports() == 1
    assert not list((platform.settings.data_dir / "exports").glob("*.zip"))
    profile = json.loads(archive.read("users/profile.json"))
    assert profile[0]["username"] == "alice"
    assert "password_hash" not in profile[0]


async def test_only_admins_see_sagas(api: Api, client: httpx.AsyncClient) -> None:
    await api.register("admin")
    member = await api.register("member")
    assert (await client.get("/api/admin/sagas", headers=member.headers)).status_code == 403
    assert (await client.get("/api/admin/sagas")).status_code == 401


class Flaky:
    """A participant that refuses until told otherwise (a bug, a full disk)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.service = inner.service
        self.broken = True

    async def hide(self, user_id: int, saga_id: str) -> Any:
        if self.broken:
            raise RuntimeError("disk full")
        return await self.inner.hide(user_id, saga_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_a_step_that_cannot_succeed_fails_the_saga_until_an_admin_retries(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin, alice, _, _ = await seed(api, client, platform)
    # The coordinator's map of participants is the composition's (a dict), filled at build.
    participants = platform.runtimes["users"].ctx.account_data
    assert registered(platform.runtimes["users"].app, AccountSagas).participants is participants
    flaky = Flaky(participants["reviews"])
    participants["reviews"] = flaky
    try:
        started = await client.post(
            "/api/users/profile/deletion",
            json={"password": PASSWORD, "grace_days": 14},
            headers=alice.headers,
        )
        saga_id = started.json()["deletion_id"]
        failed = await wait_state(client, admin, saga_id, "failed")
        assert "hide:reviews" in failed["reason"]
        assert "disk full" in failed["reason"]
        steps = {s["step"]: s["state"] for s in failed["steps"]}
        assert steps["hide:reviews"] == "failed"
        assert "hide:users" not in steps  # the saga stopped there
        listed = await client.get("/api/admin/sagas", headers=admin.headers)
        assert saga_id in [s["saga_id"] for s in listed.json()["sagas"]]  # running ones

        member_retry = await client.post(f"/api/admin/sagas/{saga_id}/retry", headers=alice.headers)
        assert member_retry.status_code in (401, 403)
        flaky.broken = False
        retried = await client.post(f"/api/admin/sagas/{saga_id}/retry", headers=admin.headers)
        assert retried.status_code == 202, retried.text
        hidden = await wait_state(client, admin, saga_id, "hidden")
        assert {s["state"] for s in hidden["steps"]} == {"done"}
        again = await client.post(f"/api/admin/sagas/{saga_id}/retry", headers=admin.headers)
        assert again.status_code == 409  # not failed any more
    finally:
        participants["reviews"] = flaky.inner


class Stalled:
    """A participant whose export hangs until released (a slow service mid-export)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.service = inner.service
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def export(self, user_id: int) -> Any:
        self.entered.set()
        await self.release.wait()
        return await self.inner.export(user_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_erasing_an_account_cancels_its_export_in_flight(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    """An export still collecting when its account is erased is cancelled: it never writes an
    archive (not even its step in flight when the erase came), and is never resumed."""
    admin, alice, _, _ = await seed(api, client, platform)
    participants = platform.runtimes["users"].ctx.account_data
    sagas = registered(platform.runtimes["users"].app, AccountSagas)
    stalled = Stalled(participants["timeline"])
    participants["timeline"] = stalled
    exports = platform.settings.data_dir / "exports"
    try:
        started = await client.post("/api/users/profile/export", headers=alice.headers)
        assert started.status_code == 202, started.text
        export_id = started.json()["export_id"]
        await asyncio.wait_for(stalled.entered.wait(), SAGA_WAIT)
        # The export has written the notifications' files and waits on the timeline's.
        assert (exports / export_id / "notifications").is_dir()

        erase = await client.post(
            "/api/users/profile/deletion",
            json={"password": PASSWORD, "grace_days": 0},
            headers=alice.headers,
        )
        assert erase.status_code == 202, erase.text
        erased = await wait_state(client, admin, erase.json()["deletion_id"], "erased")
        steps = {s["step"]: s for s in erased["steps"]}
        assert steps["cancel:exports"]["state"] == "done"
        assert steps["cancel:exports"]["rows"] == 1
        assert not (exports / export_id).exists()

        # The step in flight finishes now: it sees the cancel and removes what it wrote.
        stalled.release.set()
        cancelled = await wait_state(client, admin, export_id, "cancelled")
        assert cancelled["reason"] == "The account was deleted"

        async def stopped() -> bool:
            info = await sagas.engine.get_info(export_id)
            return info is not None and info.status == "CANCELLED"

        await eventually(stopped, what="the export's workflow cancelled", within=SAGA_WAIT)

        def stalled_step_state(saga: dict[str, Any]) -> str | None:
            return {s["step"]: s["state"] for s in saga["steps"]}.get("export:timeline")

        async def step_finished() -> bool:
            saga = await wait_state(client, admin, export_id, "cancelled")
            return stalled_step_state(saga) in ("done", "failed")

        await eventually(step_finished, what="the stalled step finished", within=SAGA_WAIT)
        final = await wait_state(client, admin, export_id, "cancelled")
        assert stalled_step_state(final) == "done"
        assert {s["step"]: s["rows"] for s in final["steps"]}["export:timeline"] == 0
        assert "archive" not in {s["step"] for s in final["steps"]}
        assert not list(exports.glob(f"{export_id}*"))
    finally:
        stalled.release.set()
        participants["timeline"] = stalled.inner


async def test_a_restarted_platform_resumes_a_saga_waiting_out_its_grace_period(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    """The embedded coordinator stopped during the grace period: started again on the same data
    directory, the saga is still waiting (DBOS recovered it from `sagas.db`) and a restore is
    applied."""
    services = ["users", "timeline"]
    specs = available_specs(services)
    urls = {s.name: await database_factory.create("sqlite", s.name, s.migrations) for s in specs}
    settings = make_settings(tmp_path, urls, services)
    first = Platform(settings)
    await first.start(migrate=False)
    try:
        async with client_for(first) as client:
            api = Api(client)
            admin = await api.register("admin")
            alice = await api.register("alice")
            await tweet(client, alice, "still here")
            started = await client.post(
                "/api/users/profile/deletion",
                json={"password": PASSWORD, "grace_days": 14},
                headers=alice.headers,
            )
            saga_id = started.json()["deletion_id"]
            await wait_state(client, admin, saga_id, "hidden")
    finally:
        await first.stop()

    second = Platform(settings)
    await second.start(migrate=False)
    try:
        async with client_for(second) as client:
            api = Api(client)
            admin = await api.login("admin")
            refused = await client.post(
                "/api/users/login", json={"username": "alice", "password": PASSWORD}
            )
            assert refused.status_code == 423
            token = refused.json()["error"]["details"][0]["restore_token"]
            cancelled = await client.request(
                "DELETE", "/api/users/profile/deletion", headers={"X-Restore-Token": token}
            )
            assert cancelled.status_code == 202, cancelled.text
            await wait_state(client, admin, saga_id, "restored")
            alice = await api.login("alice")
            assert await user_timeline(client, alice.id) == ["still here"]
    finally:
        await second.stop()
        for url in urls.values():
            await database_factory.drop(url)
