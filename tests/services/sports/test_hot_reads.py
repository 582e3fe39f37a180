"""The hot reads, `ongoing-events` and a game (decision 0040): their lean reads answer exactly as
the endpoints, their bodies are the response models' shapes and what the writes answered, and
the answers kept under the games' versions are made anew by the very next read after any write."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from agora.entrypoints.embedded import Platform
from agora.platform.deps import _bearer, registered
from agora.platform.ids import MAX_ID
from agora.platform.reads import Reads
from agora.services.sports.answers import VersionedAnswers
from agora.services.sports.schemas import Envelope, GameRead
from agora.services.sports.service import GameRows, SportsService
from tests.services.sports.support import Callers, Sports
from tests.support.lean import assert_answers_alike, counting_lean_answers


def _sports_app(platform: Platform) -> FastAPI:
    return platform.runtimes["sports"].app


async def _ongoing(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get("/api/sports/ongoing-events")
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


async def test_lean_reads_answer_as_the_endpoints(
    client: httpx.AsyncClient, callers: Callers, sports: Sports, platform: Platform
) -> None:
    football = await sports.category(callers.admin, "Football")
    live = await sports.live_game(callers.feeder, football)
    await sports.event(callers.feeder, live, event_type="goal", team="team_1", event_time="3'")
    scheduled = await sports.game(callers.feeder, football, team_1="Later", team_2="On")
    app = _sports_app(platform)
    plain = [live, scheduled, "999", str(MAX_ID)]
    others = ["0", f"00{live}", "abc", "-1", f"{MAX_ID + 1}", "9" * 25, f"%20{live}", "\uff11"]
    others += [f"{live}?x=1", f"{live}/", f"{live}%00"]
    paths = [f"/sports/games/{game_id}" for game_id in plain + others]
    paths += ["/sports/ongoing-events"]
    paths += ["/sports/ongoing-events?limit=1", "/sports/ongoing-events?limit=0"]
    paths += ["/sports/ongoing-events?sport_category=football", "/sports/ongoing-events/"]
    reads = [("GET", path) for path in paths] + [("HEAD", paths[0])]
    # Writes only to the service's own app: through the gateway they carry its write rate
    # limit's `X-RateLimit-Reset`, a countdown in seconds that may tick between the two answers.
    requests = reads + [(method, paths[0]) for method in ("POST", "DELETE")]
    requests += [("POST", "/sports/ongoing-events")]
    # The plain game ids, the plain ongoing-events and the one with a plain `limit` (0039).
    lean_count = len(plain) + 2

    # Twice: the answers made afresh, then the ones kept under the games' versions.
    for _ in range(2):
        through_gateway = [(method, "/api" + path) for method, path in reads]
        answered = await assert_answers_alike(client, app, through_gateway)
        assert len(answered) == lean_count
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sports") as direct:
        answered = await assert_answers_alike(direct, app, requests)
        assert len(answered) == lean_count
        answered = await assert_answers_alike(
            direct, app, requests[:1], headers=callers.member.headers
        )
        assert answered == ["/sports/games/{game_id}"]
        app.dependency_overrides[_bearer] = lambda: None
        try:
            with counting_lean_answers(app) as answered:
                assert (await direct.get(paths[0])).status_code == 200
                assert (await direct.get("/sports/ongoing-events")).status_code == 200
            assert answered == []
        finally:
            app.dependency_overrides.clear()


async def test_read_bodies_are_the_models_and_what_the_writes_answered(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    created = await client.post(
        "/api/sports/games",
        json={
            "category_id": football,
            "team_1": "Riverside Rovers",
            "team_2": "Kingsport City",
            "start_time": "2026-01-01T12:30:00.250000+02:00",
        },
        headers=callers.feeder.headers,
    )
    assert created.status_code == 201, created.text
    game = created.json()["data"]
    game_id = game["game_id"]
    assert await sports.read(game_id) == game  # no events yet: what scheduling it answered

    recorded = [
        await sports.event(callers.feeder, game_id, event_type="period_start"),
        await sports.event(callers.feeder, game_id, event_type="goal", team="Kingsport City"),
        await sports.event(callers.feeder, game_id, event_type="card", event_time="17'"),
    ]
    expected = {**recorded[-1]["game"], "event_details": [r["event"] for r in recorded]}
    response = await client.get(f"/api/sports/games/{game_id}")
    assert response.json() == {"status": "success", "data": expected}
    # The body as the response model would have written it.
    model = Envelope[GameRead].model_validate_json(response.content)
    assert response.content == model.model_dump_json().encode()
    ongoing = await client.get("/api/sports/ongoing-events")
    assert ongoing.json() == {"status": "success", "data": [expected]}
    listed = Envelope[list[GameRead]].model_validate_json(ongoing.content)
    assert ongoing.content == listed.model_dump_json().encode()


async def test_every_write_is_seen_by_the_next_read(
    client: httpx.AsyncClient, callers: Callers, sports: Sports, platform: Platform
) -> None:
    """A new event, a score change, a game's end and a new game: each shows in the very next
    read of the game and of the ongoing games, whatever was kept from the reads before."""
    answers = registered(_sports_app(platform), VersionedAnswers)
    football = await sports.category(callers.admin, "Football")
    first = await sports.live_game(callers.feeder, football)
    assert [g["game_id"] for g in await _ongoing(client)] == [first]
    assert len((await sports.read(first))["event_details"]) == 1
    assert await _ongoing(client) == [await sports.read(first)]  # kept, still the same
    assert len(answers) == 2

    # A new event without points.
    await sports.event(callers.feeder, first, event_type="card", event_time="9'")
    assert [e["event_time"] for e in (await sports.read(first))["event_details"]][-1] == "9'"
    assert len((await _ongoing(client))[0]["event_details"]) == 2

    # A score change.
    await sports.event(callers.feeder, first, event_type="goal", team="team_2")
    game = await sports.read(first)
    assert (game["score_team_1"], game["score_team_2"]) == (0, 1)
    ongoing = await _ongoing(client)
    assert (ongoing[0]["score_team_1"], ongoing[0]["score_team_2"]) == (0, 1)
    assert ongoing == [game]

    # A new game: scheduled it is not ongoing; kicked off, it is.
    second = await sports.game(
        callers.feeder,
        football,
        team_1="Frostburg Wolves",
        team_2="Timber Lake Moose",
        start_time="2026-01-02T12:00:00Z",
    )
    assert (await sports.read(second))["status"] == "scheduled"
    assert [g["game_id"] for g in await _ongoing(client)] == [first]
    await sports.event(callers.feeder, second, event_type="period_start")
    assert (await sports.read(second))["status"] == "live"
    assert [g["game_id"] for g in await _ongoing(client)] == [first, second]

    # A game's end.
    await sports.event(callers.feeder, first, event_type="final")
    ended = await sports.read(first)
    assert (ended["status"], ended["event_details"][-1]["event_type"]) == ("finished", "final")
    assert ended["finished_at"] is not None
    assert [g["game_id"] for g in await _ongoing(client)] == [second]

    # Pausing changes a listed game's status in place.
    await sports.event(callers.feeder, second, event_type="pause")
    assert [g["event_status"] for g in await _ongoing(client)] == ["paused"]
    assert (await sports.read(second))["status"] == "paused"


async def test_unchanged_games_are_answered_from_the_kept_bodies(
    client: httpx.AsyncClient, callers: Callers, sports: Sports, platform: Platform
) -> None:
    service = registered(_sports_app(platform), SportsService)
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.live_game(callers.feeder, football)
    made: list[str] = []
    read_game, read_ongoing = service.read_game, service.read_ongoing

    async def counted_game(reads: Reads, game_id: int) -> GameRows:
        made.append("game")
        return await read_game(reads, game_id)

    async def counted_ongoing(
        reads: Reads, *, sport_category: str | None, limit: int
    ) -> list[GameRows]:
        made.append("ongoing")
        return await read_ongoing(reads, sport_category=sport_category, limit=limit)

    service.read_game = counted_game  # type: ignore[method-assign]
    service.read_ongoing = counted_ongoing  # type: ignore[method-assign]
    try:
        for _ in range(3):
            await sports.read(game_id)
            await _ongoing(client)
        assert made == ["game", "ongoing"]
        await sports.event(callers.feeder, game_id, event_type="card")
        for _ in range(2):
            await sports.read(game_id)
            await _ongoing(client)
        assert made == ["game", "ongoing"] * 2
        # A category's games are read afresh every time.
        for _ in range(2):
            filtered = await client.get(
                "/api/sports/ongoing-events", params={"sport_category": "football"}
            )
            assert filtered.status_code == 200
        assert made == ["game", "ongoing"] * 2 + ["ongoing"] * 2
    finally:
        del service.read_game, service.read_ongoing


def test_kept_answers_are_served_only_for_their_versions() -> None:
    answers = VersionedAnswers(size=2)
    answers.put(("game", 1), (3, "t"), b"three")
    assert answers.get(("game", 1), (3, "t")) == b"three"
    assert answers.get(("game", 1), (4, "t")) is None
    assert answers.get(("game", 1), (3, "u")) is None
    assert answers.get(("game", 2), (3, "t")) is None
    answers.put(("game", 1), (4, "t"), b"four")
    assert answers.get(("game", 1), (3, "t")) is None
    assert answers.get(("game", 1), (4, "t")) == b"four"
    answers.put(("game", 2), (0, "t"), b"two")
    answers.get(("game", 1), (4, "t"))  # used last: game 2 goes first
    answers.put(("ongoing", 50), (), b"none")
    assert len(answers) == 2
    assert answers.get(("game", 2), (0, "t")) is None
    assert answers.get(("game", 1), (4, "t")) == b"four"
    assert answers.get(("ongoing", 50), ()) == b"none"
