"""Notifications from the users service (follows) and the sports service (score updates of followed
teams). The sports events are published on the bus here, as the sports service would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from agora.contracts.base import EventPayload
from agora.contracts.events.sports import ScoreChanged, TeamFollowed, TeamUnfollowed
from agora.entrypoints.embedded import Platform
from agora.platform.bus.event import Event
from agora.platform.clock import ManualClock
from tests.services.notifications.support import notifications_of, set_preferences
from tests.support.api import Account, Api


async def _publish(platform: Platform, payload: EventPayload, *, seconds_ago: float = 0) -> None:
    await platform.bus.publish(
        Event(
            type=payload.event_type,
            producer="sports",
            occurred_at=platform.clock.now() - timedelta(seconds=seconds_ago),
            payload=payload.model_dump(mode="json"),
        )
    )


def _goal(**changes: Any) -> ScoreChanged:
    values: dict[str, Any] = {
        "game_id": 7,
        "sport_category": "Football",
        "team_1": "Real Madrid",
        "team_2": "Barcelona",
        "score_team_1": 1,
        "score_team_2": 0,
        "scoring_team": "Real Madrid",
        "event_type_name": "goal",
        "description": "Goal by Vinicius",
        "occurred_at": "2026-01-01T12:00:00Z",
        **changes,
    }
    return ScoreChanged.model_validate(values)


async def test_a_follow_tells_the_followed_user(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    response = await client.post(
        f"/api/users/{alice.id}/follow", json={"followUserId": bob.id}, headers=alice.headers
    )
    assert response.status_code == 200
    await platform.settle()
    (told,) = await notifications_of(client, bob)
    assert (told["type"], told["message"]) == ("follow", "alice followed you")
    assert told["data"]["follower_id"] == str(alice.id)
    assert await notifications_of(client, alice) == []


async def test_score_changes_tell_the_followers_of_either_team(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    madrid, barca, both, gone, muted, nobody = [
        await api.register(n) for n in ("madrid", "barca", "both", "gone", "muted", "nobody")
    ]
    await set_preferences(client, muted, without=("score_update",))
    follows: list[tuple[Account, str]] = [
        (madrid, "real madrid"),
        (barca, "Barcelona"),
        (both, "Real Madrid"),
        (both, "Barcelona"),
        (gone, "Real Madrid"),
        (muted, "Real Madrid"),
    ]
    for who, team in follows:
        await _publish(platform, TeamFollowed(user_id=who.id, team=team), seconds_ago=10)
    await _publish(platform, TeamUnfollowed(user_id=gone.id, team="Real Madrid"), seconds_ago=5)
    await platform.settle()
    await _publish(platform, _goal())
    await platform.settle()
    for fan in (madrid, barca, both):
        told = await notifications_of(client, fan)
        assert [n["type"] for n in told] == ["score_update"], fan.username
        assert told[0]["message"] == "Real Madrid 1–0 Barcelona: Goal by Vinicius"
        assert told[0]["data"]["game_id"] == "7"
    for quiet in (gone, muted, nobody):
        assert await notifications_of(client, quiet) == [], quiet.username


async def test_a_late_follow_event_does_not_undo_a_newer_unfollow(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    fan = await api.register("fan")
    # Events of different types are not ordered: the unfollow may arrive first.
    await _publish(platform, TeamUnfollowed(user_id=fan.id, team="Barcelona"), seconds_ago=1)
    await _publish(platform, TeamFollowed(user_id=fan.id, team="Barcelona"), seconds_ago=2)
    await platform.settle()
    await _publish(platform, _goal(score_team_2=1, scoring_team="Barcelona"))
    await platform.settle()
    assert await notifications_of(client, fan) == []
    await _publish(platform, TeamFollowed(user_id=fan.id, team="Barcelona"))
    await platform.settle()
    await _publish(platform, _goal(score_team_1=2))
    await platform.settle()
    assert [n["type"] for n in await notifications_of(client, fan)] == ["score_update"]


async def test_an_admin_sends_a_notification_in_seed_004_shape(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    body = {"user_id": str(bob.id), "message": "Final tonight!", "type": "news"}
    assert (await client.post("/api/notifications", json=body)).status_code == 401
    as_member = await client.post("/api/notifications", json=body, headers=carol.headers)
    assert as_member.status_code == 403
    sent = await client.post("/api/notifications", json=body, headers=admin.headers)
    assert sent.status_code == 200
    assert sent.json()["status"] == "success"
    assert sent.json()["message"] == "Notification sent successfully"
    (told,) = await notifications_of(client, bob)
    assert (told["type"], told["message"]) == ("news", "Final tonight!")
    unknown_user = await client.post(
        "/api/notifications", json={**body, "user_id": 999}, headers=admin.headers
    )
    assert unknown_user.status_code == 404
    bad_type = await client.post(
        "/api/notifications", json={**body, "type": "gossip"}, headers=admin.headers
    )
    assert bad_type.status_code == 422
    assert bad_type.json()["error"]["details"][0]["field"] == "body.type"
    await set_preferences(client, carol, without=("news",))
    muted = await client.post(
        "/api/notifications", json={**body, "user_id": carol.id}, headers=admin.headers
    )
    assert muted.status_code == 200
    assert muted.json()["delivered"] is False
    assert await notifications_of(client, carol) == []


async def test_a_games_score_updates_collapse_into_one_unread_notification(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    fan = await api.register("fan")
    await _publish(platform, TeamFollowed(user_id=fan.id, team="Real Madrid"), seconds_ago=10)
    await platform.settle()
    for goals in (1, 2, 3):
        await _publish(platform, _goal(score_team_1=goals, description=f"Goal {goals}"))
        await platform.settle()
    other_game = _goal(game_id=8, team_2="Sevilla", description="Goal elsewhere")
    await _publish(platform, other_game)
    await platform.settle()
    told = await notifications_of(client, fan)
    # One per game while unread, newest state first: not one per point scored.
    assert [n["message"] for n in told] == [
        "Real Madrid 1–0 Sevilla: Goal elsewhere",
        "Real Madrid 3–0 Barcelona: Goal 3",
    ]
    unread = await client.get("/api/notifications", headers=fan.headers)
    assert unread.json()["unread_count"] == 2
    # Once read, the next change of that game is a new notification.
    read = await client.post(
        f"/api/notifications/{told[1]['notification_id']}/read", headers=fan.headers
    )
    assert read.status_code == 200
    await _publish(platform, _goal(score_team_1=4, description="Goal 4"))
    await platform.settle()
    messages = [n["message"] for n in await notifications_of(client, fan)]
    assert messages[0] == "Real Madrid 4–0 Barcelona: Goal 4"
    assert "Real Madrid 3–0 Barcelona: Goal 3" in messages
