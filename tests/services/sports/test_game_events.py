"""Recording game events: who may, how each moves the score, status and period, which are
refused in which state, and that concurrent events never lose a point."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from tests.services.sports.support import Callers, Sports
from tests.support.events import EventLog


async def test_only_admins_and_feeders_record_events(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.game(callers.admin, football)
    kickoff = {"event_type": "period_start", "period": "1st half"}
    assert (await sports.post(None, game_id, **kickoff)).status_code == 401
    member = await sports.post(callers.member, game_id, **kickoff)
    assert member.status_code == 403
    assert member.json()["error"]["code"] == "feeder_required"
    assert (await sports.read(game_id))["status"] == "scheduled"
    by_feeder = await sports.post(callers.feeder, game_id, **kickoff)
    assert by_feeder.status_code == 201
    by_admin = await sports.post(
        callers.admin, game_id, event_type="goal", team="Kingsport City", description="Header"
    )
    assert by_admin.status_code == 201
    data = by_admin.json()["data"]
    assert data["event"]["event_type"] == "goal"
    assert data["event"]["description"] == "Header"
    assert data["event"]["team"] == "Kingsport City"
    assert (data["game"]["score_team_1"], data["game"]["score_team_2"]) == (0, 1)
    unknown = await sports.post(callers.admin, "9999", **kickoff)
    assert unknown.status_code == 404


async def test_a_game_goes_from_kick_off_to_final(callers: Callers, sports: Sports) -> None:
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.game(callers.feeder, football)
    feeder = callers.feeder
    started = await sports.event(feeder, game_id, event_type="period_start", period="1st half")
    assert started["game"]["status"] == "live"
    assert started["game"]["current_period"] == "1st half"
    assert started["game"]["started_at"] is not None
    await sports.event(feeder, game_id, event_type="goal", team="Riverside Rovers")
    await sports.event(feeder, game_id, event_type="card", team="team_2", description="Yellow")
    ended = await sports.event(feeder, game_id, event_type="period_end")
    assert ended["event"]["description"] == "End of 1st half"
    assert ended["game"]["status"] == "live"
    assert ended["game"]["period_running"] is False
    second = await sports.event(feeder, game_id, event_type="period_start", period="2nd half")
    assert second["game"]["current_period"] == "2nd half"
    await sports.event(feeder, game_id, event_type="substitution", team="team_1")
    await sports.event(feeder, game_id, event_type="goal", team="kingsport city", points=1)
    await sports.event(feeder, game_id, event_type="goal", team="team_1")
    final = await sports.event(feeder, game_id, event_type="final")
    assert final["game"]["status"] == "finished"
    assert final["game"]["finished_at"] is not None
    assert final["event"]["description"] == "Final: Riverside Rovers 2–1 Kingsport City"
    game = await sports.read(game_id)
    assert (game["score_team_1"], game["score_team_2"]) == (2, 1)
    assert [e["event_type"] for e in game["event_details"]] == [
        "period_start",
        "goal",
        "card",
        "period_end",
        "period_start",
        "substitution",
        "goal",
        "goal",
        "final",
    ]
    assert [e["period"] for e in game["event_details"]][:3] == ["1st half"] * 3
    assert game["event_details"][6]["score_team_2"] == 1


async def test_periods_are_numbered_when_not_named(callers: Callers, sports: Sports) -> None:
    basketball = await sports.category(callers.admin, "Basketball")
    game_id = await sports.game(callers.admin, basketball, team_1="Bayview Tides")
    first = await sports.event(callers.admin, game_id, event_type="period_start")
    assert first["game"]["current_period"] == "Period 1"
    assert first["event"]["description"] == "Start of Period 1"
    # A new period may start without the last one ended explicitly.
    second = await sports.event(callers.admin, game_id, event_type="period_start")
    assert second["game"]["current_period"] == "Period 2"


async def test_events_that_do_not_fit_the_games_state_are_refused(
    callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    admin = callers.admin
    game_id = await sports.game(admin, football)

    async def refused(code: str, **body: object) -> None:
        response = await sports.post(admin, game_id, **body)
        assert response.status_code == 409, (body, response.text)
        assert response.json()["error"]["code"] == code, body

    await refused("game_not_live", event_type="goal", team="team_1")
    await refused("game_not_live", event_type="card", team="team_1")
    await refused("invalid_transition", event_type="pause")
    await refused("invalid_transition", event_type="final")
    await refused("invalid_transition", event_type="resume")
    await sports.event(admin, game_id, event_type="period_start")
    await sports.event(admin, game_id, event_type="pause")
    await refused("game_not_live", event_type="goal", team="team_1")
    await refused("invalid_transition", event_type="period_end")
    await sports.event(admin, game_id, event_type="card", team="team_2")  # cards while stopped
    await sports.event(admin, game_id, event_type="resume")
    await sports.event(admin, game_id, event_type="period_end")
    await refused("period_not_running", event_type="goal", team="team_1")
    await refused("period_not_running", event_type="period_end")
    await sports.event(admin, game_id, event_type="period_start")
    await sports.event(admin, game_id, event_type="final")
    await refused("game_not_live", event_type="goal", team="team_1")
    await refused("game_not_live", event_type="point", team="team_1", points=2)
    await refused("invalid_transition", event_type="period_start")
    await refused("invalid_transition", event_type="cancel")
    # A note fits any state.
    await sports.event(admin, game_id, event_type="note", description="Attendance 41,203")
    game = await sports.read(game_id)
    assert game["status"] == "finished"
    assert (game["score_team_1"], game["score_team_2"]) == (0, 0)


async def test_postponed_games_resume_later_and_cancelled_games_stay_over(
    callers: Callers, sports: Sports
) -> None:
    tennis = await sports.category(callers.admin, "Tennis")
    admin = callers.admin
    rain = await sports.live_game(admin, tennis, team_1="A. Moreau", team_2="L. Fischer")
    await sports.event(admin, rain, event_type="point", team="A. Moreau")
    postponed = await sports.event(admin, rain, event_type="postpone", description="Rain")
    assert postponed["game"]["status"] == "postponed"
    assert postponed["game"]["period_running"] is False
    assert (await sports.post(admin, rain, event_type="point", team="team_1")).status_code == 409
    resumed = await sports.event(admin, rain, event_type="period_start", period="Set 1")
    assert resumed["game"]["status"] == "live"
    assert resumed["game"]["score_team_1"] == 1
    cancelled = await sports.event(admin, rain, event_type="cancel")
    assert cancelled["game"]["status"] == "cancelled"
    again = await sports.post(admin, rain, event_type="period_start")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event_type": "goal"}, "body"),
        ({"event_type": "goal", "team": "Nobody FC"}, "body.team"),
        ({"event_type": "goal", "team": "team_1", "points": 0}, "body"),
        ({"event_type": "goal", "team": "team_1", "points": -1}, "body.points"),
        ({"event_type": "card", "team": "team_1", "points": 2}, "body"),
        ({"event_type": "own_goal", "team": "team_1"}, "body.event_type"),
        ({"team": "team_1"}, "body.event_type"),
        ({"event_type": "note", "description": "x" * 501}, "body.description"),
    ],
)
async def test_malformed_events_are_422_naming_the_field(
    callers: Callers, sports: Sports, body: dict[str, object], field: str
) -> None:
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.live_game(callers.admin, football)
    response = await sports.post(callers.admin, game_id, **body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == field
    assert (await sports.read(game_id))["score_team_1"] == 0


async def test_scoring_events_emit_score_changed(
    callers: Callers, sports: Sports, platform: Platform
) -> None:
    log = EventLog(platform, "sports.score_changed")
    basketball = await sports.category(callers.admin, "Basketball")
    game_id = await sports.live_game(
        callers.feeder, basketball, team_1="Capital Comets", team_2="Summit Falcons"
    )
    await sports.event(callers.feeder, game_id, event_type="point", team="team_2", points=3)
    await sports.event(callers.feeder, game_id, event_type="card", team="team_1")
    await sports.event(callers.feeder, game_id, event_type="point", team="Capital Comets", points=2)
    changes = await log.of_type("sports.score_changed")
    assert len(changes) == 2
    first = changes[0].payload
    assert {k: first[k] for k in first if k != "occurred_at"} == {
        "game_id": int(game_id),
        "sport_category": "Basketball",
        "team_1": "Capital Comets",
        "team_2": "Summit Falcons",
        "score_team_1": 0,
        "score_team_2": 3,
        "scoring_team": "Summit Falcons",
        "event_type_name": "point",
        "description": "3 points to Summit Falcons",
    }
    assert (changes[1].payload["score_team_1"], changes[1].payload["score_team_2"]) == (2, 3)


async def test_ten_concurrent_events_leave_the_sum_of_their_points(
    client: httpx.AsyncClient, callers: Callers, sports: Sports, platform: Platform
) -> None:
    log = EventLog(platform, "sports.score_changed")
    basketball = await sports.category(callers.admin, "Basketball")
    game_id = await sports.live_game(callers.feeder, basketball)
    posts = [
        sports.post(
            callers.feeder if i % 2 else callers.admin,
            game_id,
            event_type="point",
            team=f"team_{1 + i % 2}",
            points=1 + i % 3,
        )
        for i in range(10)
    ]
    responses = await asyncio.gather(*posts)
    assert [r.status_code for r in responses] == [201] * 10
    game = await sports.read(game_id)
    expected_1 = sum(1 + i % 3 for i in range(10) if i % 2 == 0)
    expected_2 = sum(1 + i % 3 for i in range(10) if i % 2 == 1)
    assert (game["score_team_1"], game["score_team_2"]) == (expected_1, expected_2)
    points = [e for e in game["event_details"] if e["event_type"] == "point"]
    assert sum(e["points"] for e in points) == expected_1 + expected_2
    # Each event saw the score right after it: the running totals are all different.
    totals = sorted(e["score_team_1"] + e["score_team_2"] for e in points)
    assert len(set(totals)) == 10
    assert totals[-1] == expected_1 + expected_2
    assert game["version"] == 11
    assert len(await log.of_type("sports.score_changed")) == 10


async def test_concurrent_final_and_goals_never_score_after_the_final(
    callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.live_game(callers.feeder, football)
    goals = [
        sports.post(callers.feeder, game_id, event_type="goal", team="team_1") for _ in range(6)
    ]
    final = sports.post(callers.admin, game_id, event_type="final")
    responses = await asyncio.gather(*goals[:3], final, *goals[3:])
    accepted = sum(1 for r in responses[:3] + responses[4:] if r.status_code == 201)
    refused = [r for r in responses[:3] + responses[4:] if r.status_code != 201]
    assert responses[3].status_code == 201
    assert all(r.json()["error"]["code"] == "game_not_live" for r in refused)
    game = await sports.read(game_id)
    assert game["score_team_1"] == accepted
    final_index = [e["event_type"] for e in game["event_details"]].index("final")
    assert all(e["event_type"] != "goal" for e in game["event_details"][final_index:])
