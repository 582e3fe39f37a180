"""Analytics of played games, answered from the warehouse: the seed's summary and per-category
reports, filtered by category and by time range, as of the last refresh."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from agora.platform.clock import ManualClock
from tests.services.sports.support import Callers, Sports
from tests.support.api import Api


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "sports", "warehouse")


@pytest.fixture
async def callers(api: Api, client: httpx.AsyncClient) -> Callers:
    admin = await api.register("admin")
    feeder = await api.register("feeder")
    member = await api.register("member")
    granted = await client.put(
        f"/api/users/{feeder.id}/role", json={"role": "feeder"}, headers=admin.headers
    )
    assert granted.status_code == 200, granted.text
    return Callers(admin=admin, feeder=await api.relogin(feeder), member=member)


@pytest.fixture
def sports(client: httpx.AsyncClient) -> Sports:
    return Sports(client)


DAY = 86_400.0


def _metrics(report: dict[str, Any]) -> dict[str, float]:
    return {m["metric_name"]: m["value"] for m in report["metrics"]}


@pytest.fixture
async def season(api: Api, callers: Callers, sports: Sports, clock: ManualClock) -> dict[str, str]:
    """Football 2–1 eleven days ago and 0–0 two days ago; basketball 100–90 live since two days
    ago; a scheduled tennis match (not played, so not counted)."""
    admin = callers.admin
    football = await sports.category(admin, "Football")
    basketball = await sports.category(admin, "Basketball")
    tennis = await sports.category(admin, "Tennis")
    early = await sports.live_game(admin, football)
    for team in ("team_1", "team_2", "team_1"):
        await sports.event(admin, early, event_type="goal", team=team)
    await sports.event(admin, early, event_type="card", team="team_2")
    await sports.event(admin, early, event_type="final")
    clock.advance(9 * DAY)
    admin = await api.relogin(admin)  # tokens expire as the clock moves
    draw = await sports.live_game(admin, football)
    await sports.event(admin, draw, event_type="final")
    hoops = await sports.live_game(
        admin, basketball, team_1="Capital Comets", team_2="Bayview Tides"
    )
    for team, points in (("team_1", 50), ("team_1", 50), ("team_2", 45), ("team_2", 45)):
        await sports.event(admin, hoops, event_type="point", team=team, points=points)
    await sports.game(admin, tennis, team_1="K. Novak", team_2="M. Rossi")
    clock.advance(2 * DAY)
    refreshed = await api.client.post(
        "/api/analytics/refresh", headers=(await api.relogin(admin)).headers
    )
    assert refreshed.status_code == 200, refreshed.text
    return {"football": football, "basketball": basketball, "tennis": tennis}


async def _analytics(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get("/api/sports/analytics", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    data: dict[str, Any] = body["data"]
    return data


async def test_analytics_of_everything_in_the_seed_shape(
    client: httpx.AsyncClient, season: dict[str, str]
) -> None:
    data = await _analytics(client)
    assert data["as_of"] == "2026-01-12T12:00:00Z"  # when the refresh ran
    summary = data["analytics_summary"]
    assert summary["total_events"] == 3  # games played; the scheduled match does not count
    assert summary["total_game_events"] == 6 + 2 + 5
    assert summary["average_score"] == pytest.approx(round((3 + 0 + 190) / 6, 3))
    assert summary["top_teams"][:2] == [
        {"team_name": "Capital Comets", "average_score": 100.0, "games": 1},
        {"team_name": "Bayview Tides", "average_score": 90.0, "games": 1},
    ]
    assert summary["top_teams"][2:] == [
        {"team_name": "Riverside Rovers", "average_score": 1.0, "games": 2},
        {"team_name": "Kingsport City", "average_score": 0.5, "games": 2},
    ]
    reports = {r["report_id"]: r for r in data["detailed_reports"]}
    assert set(reports) == {f"category-{c}" for c in season.values()}
    for report in data["detailed_reports"]:
        assert set(report) >= {"report_id", "report_name", "metrics"}
        assert all(set(m) == {"metric_name", "value"} for m in report["metrics"])
    football = _metrics(reports[f"category-{season['football']}"])
    assert football["games"] == 2
    assert football["finished_games"] == 2
    assert football["events"] == 8
    assert football["scoring_events"] == 3
    assert football["cards"] == 1
    assert football["average_goals_per_game"] == 1.5
    assert football["draw_rate"] == 0.5
    assert football["team_1_win_rate"] == 0.5
    basketball = _metrics(reports[f"category-{season['basketball']}"])
    assert (basketball["games"], basketball["ongoing_games"]) == (1, 1)
    assert basketball["average_goals_per_game"] == 190
    assert _metrics(reports[f"category-{season['tennis']}"])["games"] == 0


async def test_analytics_of_one_category_by_name_or_id(
    client: httpx.AsyncClient, season: dict[str, str]
) -> None:
    by_name = await _analytics(client, sport_category="football")
    by_id = await _analytics(client, sport_category=season["football"])
    assert by_name["analytics_summary"] == by_id["analytics_summary"]
    assert by_name["sport_category"] == "Football"
    assert by_name["analytics_summary"]["total_events"] == 2
    assert by_name["analytics_summary"]["average_score"] == 0.75
    assert [t["team_name"] for t in by_name["analytics_summary"]["top_teams"]] == [
        "Riverside Rovers",
        "Kingsport City",
    ]
    assert [r["report_id"] for r in by_name["detailed_reports"]] == [
        f"category-{season['football']}"
    ]
    # A name, other scripts' digits, an id beyond the id range: none names a category.
    for name in ("Curling", "²", "99999999999999999999999"):
        unknown = await client.get("/api/sports/analytics", params={"sport_category": name})
        assert unknown.status_code == 404
        assert unknown.json()["error"]["code"] == "category_not_found"


async def test_analytics_within_a_time_range(
    client: httpx.AsyncClient, season: dict[str, str]
) -> None:
    week = await _analytics(client, time_range="7d")
    assert week["analytics_summary"]["total_events"] == 2
    assert week["time_range"] == "7d"
    football = await _analytics(client, time_range="7d", sport_category="Football")
    assert _metrics(football["detailed_reports"][0])["draw_rate"] == 1.0
    assert (await _analytics(client, time_range="2w"))["analytics_summary"]["total_events"] == 3
    assert (await _analytics(client, time_range="all"))["analytics_summary"]["total_events"] == 3
    day = await _analytics(client, time_range="24h")
    assert day["analytics_summary"] == {
        "total_events": 0,
        "total_game_events": 0,
        "average_score": 0.0,
        "top_teams": [],
    }
    assert all(_metrics(r)["games"] == 0 for r in day["detailed_reports"])
    assert (await _analytics(client, time_range="60h"))["analytics_summary"]["total_events"] == 2


@pytest.mark.parametrize("time_range", ["", "1y", "0d", "7", "week", "-7d", "99999d"])
async def test_unknown_time_ranges_are_422(
    client: httpx.AsyncClient, callers: Callers, time_range: str
) -> None:
    response = await client.get("/api/sports/analytics", params={"time_range": time_range})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "query.time_range"


async def test_analytics_are_public(client: httpx.AsyncClient, season: dict[str, str]) -> None:
    response = await client.get("/api/sports/analytics", params={"time_range": "30d"})
    assert response.status_code == 200


async def test_the_analytics_are_as_of_the_last_refresh(
    api: Api, client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    before = await _analytics(client)
    assert before["as_of"] is None  # never refreshed: empty, and says so
    assert before["analytics_summary"]["total_events"] == 0
    football = await sports.category(callers.admin, "Football")
    await sports.live_game(callers.admin, football)
    assert (await _analytics(client))["analytics_summary"]["total_events"] == 0
    refreshed = await client.post("/api/analytics/refresh", headers=callers.admin.headers)
    assert refreshed.status_code == 200
    assert (await _analytics(client))["analytics_summary"]["total_events"] == 1


async def test_only_admins_refresh(client: httpx.AsyncClient, callers: Callers) -> None:
    anonymous = await client.post("/api/analytics/refresh")
    assert anonymous.status_code == 401
    member = await client.post("/api/analytics/refresh", headers=callers.member.headers)
    assert member.status_code == 403
    assert member.json()["status"] == "error"
