"""Sport categories and games with the sports seed's payloads: who may create them, their shapes,
and the events other services rely on."""

from __future__ import annotations

import httpx

from agora.entrypoints.embedded import Platform
from tests.services.sports.support import Callers, Sports
from tests.support.events import EventLog

SEED_GAME_FIELDS = {"game_id", "team_1", "team_2", "score_team_1", "score_team_2", "event_details"}
SEED_ONGOING_FIELDS = {
    "event_id",
    "sport_category",
    "team_1",
    "team_2",
    "score_team_1",
    "score_team_2",
    "event_status",
    "start_time",
    "current_period",
    "event_details",
}


async def test_categories_are_listed_in_the_seed_envelope(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    empty = await client.get("/api/sports/categories")
    assert empty.json() == {"status": "success", "data": []}
    football = await sports.category(callers.admin, "Football")
    basketball = await sports.category(callers.admin, "Basketball")
    listed = await client.get("/api/sports/categories")
    assert listed.status_code == 200
    assert listed.json() == {
        "status": "success",
        "data": [
            {"category_id": football, "category_name": "Football"},
            {"category_id": basketball, "category_name": "Basketball"},
        ],
    }


async def test_only_admins_create_categories(
    client: httpx.AsyncClient, callers: Callers, platform: Platform
) -> None:
    log = EventLog(platform, "sports.category_created")
    body = {"category_name": "Tennis"}
    anonymous = await client.post("/api/sports/categories", json=body)
    assert anonymous.status_code == 401
    for who in (callers.member, callers.feeder):
        refused = await client.post("/api/sports/categories", json=body, headers=who.headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "admin_required"
    created = await client.post("/api/sports/categories", json=body, headers=callers.admin.headers)
    assert created.status_code == 201
    data = created.json()["data"]
    assert data["category_name"] == "Tennis"
    events = await log.of_type("sports.category_created")
    assert [e.payload for e in events] == [
        {"category_id": int(data["category_id"]), "name": "Tennis"}
    ]


async def test_category_names_are_unique_in_any_case(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    await sports.category(callers.admin, "Ice Hockey")
    again = await client.post(
        "/api/sports/categories",
        json={"category_name": "  ice   HOCKEY "},
        headers=callers.admin.headers,
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_category"
    for bad in ({"category_name": "   "}, {}, {"category_name": "x" * 51}, {"name": "Golf"}):
        refused = await client.post(
            "/api/sports/categories", json=bad, headers=callers.admin.headers
        )
        assert refused.status_code == 422, bad
        assert refused.json()["status"] == "error"


async def test_admins_and_feeders_schedule_games_members_cannot(
    client: httpx.AsyncClient, callers: Callers, sports: Sports, platform: Platform
) -> None:
    log = EventLog(platform, "sports.game_scheduled")
    football = await sports.category(callers.admin, "Football")
    body = {
        "category_id": football,
        "team_1": "Northbridge United",
        "team_2": "Harbor Town FC",
        "start_time": "2026-01-02T18:00:00Z",
    }
    assert (await client.post("/api/sports/games", json=body)).status_code == 401
    member = await client.post("/api/sports/games", json=body, headers=callers.member.headers)
    assert member.status_code == 403
    assert member.json()["error"]["code"] == "feeder_required"
    by_feeder = await client.post("/api/sports/games", json=body, headers=callers.feeder.headers)
    by_admin = await client.post("/api/sports/games", json=body, headers=callers.admin.headers)
    assert (by_feeder.status_code, by_admin.status_code) == (201, 201)
    game = by_feeder.json()["data"]
    assert set(game) >= SEED_GAME_FIELDS
    assert game["status"] == "scheduled"
    assert (game["score_team_1"], game["score_team_2"]) == (0, 0)
    assert game["sport_category"] == "Football"
    assert game["category_id"] == football
    assert game["category"] == {"category_id": football, "category_name": "Football"}
    assert game["start_time"].startswith("2026-01-02T18:00:00")
    assert game["event_details"] == []
    scheduled = await log.of_type("sports.game_scheduled")
    assert len(scheduled) == 2
    assert scheduled[0].payload == {
        "game_id": int(game["game_id"]),
        "category_id": int(football),
        "sport_category": "Football",
        "team_1": "Northbridge United",
        "team_2": "Harbor Town FC",
        "start_time": "2026-01-02T18:00:00Z",
    }


async def test_a_game_needs_a_known_category_and_two_different_teams(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    base = {
        "category_id": football,
        "team_1": "Ashford Athletic",
        "team_2": "Kingsport City",
        "start_time": "2026-01-02T18:00:00",
    }
    unknown = await client.post(
        "/api/sports/games", json={**base, "category_id": "999"}, headers=callers.admin.headers
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "category_not_found"
    for bad in (
        {**base, "team_2": "ashford  athletic"},
        {**base, "start_time": "tomorrow"},
        {**base, "team_1": ""},
        {k: v for k, v in base.items() if k != "team_2"},
    ):
        refused = await client.post("/api/sports/games", json=bad, headers=callers.admin.headers)
        assert refused.status_code == 422, bad
    # A start time without an offset is UTC; a numeric category id is fine too.
    naive = await client.post(
        "/api/sports/games",
        json={**base, "category_id": int(football)},
        headers=callers.admin.headers,
    )
    assert naive.status_code == 201
    assert naive.json()["data"]["start_time"] == "2026-01-02T18:00:00Z"


async def test_a_team_keeps_its_first_spelling_across_games(
    callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    await sports.game(callers.admin, football, team_1="FC Porto", team_2="Benfica")
    again = await sports.game(callers.admin, football, team_1="fc  porto", team_2="Sporting")
    assert (await sports.read(again))["team_1"] == "FC Porto"


async def test_reading_a_game_is_public_and_unknown_games_are_404(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.live_game(callers.feeder, football)
    await sports.event(callers.feeder, game_id, event_type="goal", team="Riverside Rovers")
    response = await client.get(f"/api/sports/games/{game_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success"
    game = body["data"]
    assert game["game_id"] == game_id
    assert (game["score_team_1"], game["score_team_2"]) == (1, 0)
    assert game["status"] == "live"
    assert game["current_period"] == "1st half"
    assert [e["event_type"] for e in game["event_details"]] == ["period_start", "goal"]
    assert {"event_time", "event_type", "description"} <= set(game["event_details"][0])
    missing = await client.get("/api/sports/games/424242")
    assert missing.status_code == 404
    assert missing.json() == {
        "status": "error",
        "error": {"code": "game_not_found", "message": "No game with id 424242"},
    }


async def test_ongoing_events_lists_live_and_paused_games_with_their_events(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    hockey = await sports.category(callers.admin, "Ice Hockey")
    await sports.game(callers.admin, football, team_1="Not Yet", team_2="Started")
    live = await sports.live_game(callers.admin, football)
    paused = await sports.live_game(
        callers.admin, hockey, team_1="Frostburg Wolves", team_2="Timber Lake Moose"
    )
    await sports.event(callers.admin, paused, event_type="pause")
    over = await sports.live_game(callers.admin, football, team_1="Over", team_2="Done")
    await sports.event(callers.admin, over, event_type="final")
    await sports.event(callers.admin, live, event_type="goal", team="team_2", event_time="12'")

    response = await client.get("/api/sports/ongoing-events")
    assert response.status_code == 200
    data = response.json()["data"]
    assert [g["event_id"] for g in data] == [live, paused]
    assert all(set(g) >= SEED_ONGOING_FIELDS for g in data)
    first = data[0]
    assert (first["sport_category"], first["event_status"]) == ("Football", "live")
    assert (first["score_team_1"], first["score_team_2"]) == (0, 1)
    assert first["event_details"][-1]["event_time"] == "12'"
    assert first["event_details"][-1]["description"] == "Goal for Kingsport City"
    assert data[1]["event_status"] == "paused"

    only_hockey = await client.get(
        "/api/sports/ongoing-events", params={"sport_category": "ice hockey"}
    )
    assert [g["event_id"] for g in only_hockey.json()["data"]] == [paused]
    by_id = await client.get("/api/sports/ongoing-events", params={"sport_category": hockey})
    assert by_id.json() == only_hockey.json()
    for name in ("Curling", "999999"):
        unknown = await client.get("/api/sports/ongoing-events", params={"sport_category": name})
        assert unknown.status_code == 404
        assert unknown.json()["error"]["code"] == "category_not_found"


async def test_games_list_by_status_and_category_in_pages(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    tennis = await sports.category(callers.admin, "Tennis")
    ids = [await sports.game(callers.admin, football, team_1=f"Team {i}") for i in range(3)]
    live = await sports.live_game(callers.admin, tennis, team_1="K. Novak", team_2="S. Tanaka")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/sports/games", params=params)).json()
        seen.extend(g["game_id"] for g in page["data"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [live, *reversed(ids)]
    by_status = await client.get("/api/sports/games", params={"status": "live"})
    assert [g["game_id"] for g in by_status.json()["data"]] == [live]
    by_category = await client.get("/api/sports/games", params={"sport_category": football})
    assert len(by_category.json()["data"]) == 3
    assert (await client.get("/api/sports/games", params={"status": "won"})).status_code == 422
    assert (await client.get("/api/sports/games", params={"cursor": "x"})).status_code == 400


async def test_a_schedule_lists_games_by_start_time_in_pages(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    starts = [
        "2026-03-01T15:00:00Z",
        "2026-01-10T09:30:00Z",
        "2026-02-01T20:00:00Z",
        "2026-01-10T09:30:00Z",  # starts with the second: its id breaks the tie
        "2026-01-10T09:30:00.250000Z",
    ]
    ids = [
        await sports.game(callers.admin, football, team_1=f"Team {i}", start_time=start)
        for i, start in enumerate(starts)
    ]
    live = await sports.live_game(callers.admin, football, team_1="Live A", team_2="Live B")
    several = await client.get(
        "/api/sports/games", params=[("status", "live"), ("status", "finished")]
    )
    assert [g["game_id"] for g in several.json()["data"]] == [live]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"status": "scheduled", "order": "soonest", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        answer = await client.get("/api/sports/games", params=params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        seen.extend(g["game_id"] for g in page["data"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [ids[1], ids[3], ids[4], ids[2], ids[0]]
    refused = await client.get("/api/sports/games", params={"order": "soonest", "cursor": "12"})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "bad_cursor"
    assert (await client.get("/api/sports/games", params={"order": "later"})).status_code == 422
