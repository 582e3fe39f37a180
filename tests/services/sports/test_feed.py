"""The demo feed, driven by a seeded random and the manual clock: it schedules, starts, plays
and finishes games through the service, so the API, events and scores behave as for a person."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.platform.deps import registered
from agora.services.sports.feed import SPORTS, SportsFeed
from agora.services.sports.schemas import SCORING_EVENTS
from agora.services.sports.service import SportsService
from tests.services.sports.support import Callers, Sports
from tests.support.databases import DatabaseFactory
from tests.support.events import EventLog
from tests.support.platform import client_for, running_platform
from tests.support.waiting import eventually

MINUTE = 60.0


def _feed(platform: Platform, clock: ManualClock, seed: int, speed: float = 1.0) -> SportsFeed:
    service = registered(platform.runtimes["sports"].app, SportsService)
    return SportsFeed(
        platform.databases["sports"], service, clock, random.Random(seed), speed=speed
    )


async def _games(client: httpx.AsyncClient, status: str | None = None) -> list[dict[str, Any]]:
    params: dict[str, str | int] = {"limit": 200}
    if status:
        params["status"] = status
    response = await client.get("/api/sports/games", params=params)
    assert response.status_code == 200
    games: list[dict[str, Any]] = response.json()["data"]
    return games


async def _details(client: httpx.AsyncClient, game_id: str) -> dict[str, Any]:
    game: dict[str, Any] = (await client.get(f"/api/sports/games/{game_id}")).json()["data"]
    return game


def _points(game: dict[str, Any]) -> tuple[int, int]:
    scored = [e for e in game["event_details"] if e["event_type"] in SCORING_EVENTS]
    return (
        sum(e["points"] for e in scored if e["team"] == game["team_1"]),
        sum(e["points"] for e in scored if e["team"] == game["team_2"]),
    )


@pytest.mark.parametrize("sport", SPORTS, ids=lambda s: s.category)
def test_a_seeded_random_plans_the_same_game_each_time(sport: Any) -> None:
    first = sport.plan(random.Random(11), "Home", "Away")
    assert first == sport.plan(random.Random(11), "Home", "Away")
    assert first != sport.plan(random.Random(12), "Home", "Away")
    assert first[0].body["event_type"] == "period_start"
    assert first[-1].body["event_type"] == "final"
    assert [p.at for p in first] == sorted(p.at for p in first)


async def test_the_feed_plays_realistic_games_in_simulated_time(
    platform: Platform, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    log = EventLog(platform, "sports.score_changed")
    feed = _feed(platform, clock, seed=2026)
    seen_live_scores = False
    for minute in range(200):
        if minute == 100:
            # A restart: a new feed (another random) carries on with the stored plans.
            feed = _feed(platform, clock, seed=7)
        await feed.step()
        if minute % 5 == 0:
            ongoing = (await client.get("/api/sports/ongoing-events")).json()["data"]
            seen_live_scores |= any(
                g["event_status"] == "live" and g["score_team_1"] + g["score_team_2"] > 0
                for g in ongoing
            )
        clock.advance(MINUTE)
    assert seen_live_scores

    categories = (await client.get("/api/sports/categories")).json()["data"]
    assert sorted(c["category_name"] for c in categories) == sorted(s.category for s in SPORTS)
    finished = await _games(client, "finished")
    assert {g["sport_category"] for g in finished} >= {"Football", "Basketball", "Ice Hockey"}
    scored = 0
    for summary in await _games(client):
        game = await _details(client, summary["game_id"])
        # The score is exactly what the events say, game after game.
        assert (game["score_team_1"], game["score_team_2"]) == _points(game)
        scored += sum(1 for e in game["event_details"] if e["event_type"] in SCORING_EVENTS)
        if game["status"] == "finished":
            types = [e["event_type"] for e in game["event_details"]]
            assert types[0] == "period_start"
            assert types[-1] == "final"
            assert types.count("final") == 1
    assert scored > 0
    assert len(await log.of_type("sports.score_changed")) == scored
    # Every sport has its next game on the schedule.
    upcoming = await _games(client, "scheduled")
    assert sorted(g["sport_category"] for g in upcoming) == sorted(s.category for s in SPORTS)


async def test_the_feed_runs_faster_with_speed_and_respects_people(
    platform: Platform,
    client: httpx.AsyncClient,
    clock: ManualClock,
    callers: Callers,
    sports: Sports,
) -> None:
    feed = _feed(platform, clock, seed=5, speed=10.0)
    for _ in range(3):
        await feed.step()
        clock.advance(MINUTE)
    ongoing = (await client.get("/api/sports/ongoing-events")).json()["data"]
    assert len(ongoing) == len(SPORTS)
    # An admin ends one game early: the feed skips the rest of its plan without failing.
    stopped = ongoing[0]
    await sports.event(callers.admin, stopped["event_id"], event_type="final")
    events_at_stop = len((await _details(client, stopped["event_id"]))["event_details"])
    for _ in range(25):  # 250 game minutes at ten times the speed
        await feed.step()
        clock.advance(MINUTE)
    after = await _details(client, stopped["event_id"])
    assert len(after["event_details"]) == events_at_stop
    assert after["status"] == "finished"
    finished = await _games(client, "finished")
    assert len(finished) >= len(SPORTS) + 1


@pytest.fixture
async def fed_platform(
    db_backend: str, database_factory: DatabaseFactory, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[Platform]:
    async with running_platform(
        database_factory,
        db_backend,
        tmp_path,
        services=("users", "sports"),
        clock=clock,
        sports_feed=True,
    ) as running:
        yield running


async def test_with_the_feed_setting_on_the_job_opens_the_sports(
    fed_platform: Platform,
) -> None:
    async with client_for(fed_platform) as client:

        async def every_sport_scheduled() -> list[dict[str, Any]] | None:
            games = await _games(client, "scheduled")
            return games if len(games) == len(SPORTS) else None

        # The job runs on its own task: its first step lands when it lands.
        upcoming = await eventually(
            every_sport_scheduled, what="the feed job's first step", within=10, interval=0.05
        )
        categories = (await client.get("/api/sports/categories")).json()["data"]
    assert sorted(g["sport_category"] for g in upcoming) == sorted(s.category for s in SPORTS)
    assert len(categories) == len(SPORTS)
