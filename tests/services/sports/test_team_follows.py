"""Following teams: follow, unfollow and my list, with an event only when a follow changes (the
notifications service keeps its copy of follows from them)."""

from __future__ import annotations

import asyncio

import httpx

from agora.entrypoints.embedded import Platform
from tests.services.sports.support import Callers, Sports
from tests.support.api import Account
from tests.support.events import EventLog


async def _follow(client: httpx.AsyncClient, who: Account | None, team: str) -> httpx.Response:
    headers = who.headers if who is not None else {}
    return await client.post("/api/sports/teams/follow", json={"team": team}, headers=headers)


async def _unfollow(client: httpx.AsyncClient, who: Account, team: str) -> httpx.Response:
    return await client.request(
        "DELETE", "/api/sports/teams/follow", json={"team": team}, headers=who.headers
    )


async def _following(client: httpx.AsyncClient, who: Account) -> list[str]:
    response = await client.get("/api/sports/teams/following", headers=who.headers)
    assert response.status_code == 200, response.text
    return [entry["team"] for entry in response.json()["data"]]


async def test_follow_and_unfollow_emit_once_each(
    client: httpx.AsyncClient, callers: Callers, sports: Sports, platform: Platform
) -> None:
    log = EventLog(platform, "sports.team_followed", "sports.team_unfollowed")
    football = await sports.category(callers.admin, "Football")
    await sports.game(callers.admin, football, team_1="Riverside Rovers", team_2="Kingsport City")
    fan = callers.member
    first = await _follow(client, fan, "riverside rovers")
    assert first.status_code == 200
    assert first.json()["status"] == "success"
    assert first.json()["message"] == "Now following Riverside Rovers"
    assert first.json()["data"]["following"] is True
    again = await _follow(client, fan, "Riverside Rovers")
    assert again.status_code == 200
    assert again.json()["message"] == "Already following Riverside Rovers"
    assert await _following(client, fan) == ["Riverside Rovers"]
    assert (await _unfollow(client, fan, "Riverside Rovers")).status_code == 200
    twice = await _unfollow(client, fan, "Riverside Rovers")
    assert twice.status_code == 200
    assert twice.json()["message"] == "Was not following Riverside Rovers"
    assert await _following(client, fan) == []
    followed = await log.of_type("sports.team_followed")
    unfollowed = await log.of_type("sports.team_unfollowed")
    assert [e.payload for e in followed] == [{"user_id": fan.id, "team": "Riverside Rovers"}]
    assert [e.payload for e in unfollowed] == [{"user_id": fan.id, "team": "Riverside Rovers"}]


async def test_concurrent_follows_of_one_team_emit_once(
    client: httpx.AsyncClient, callers: Callers, sports: Sports, platform: Platform
) -> None:
    log = EventLog(platform, "sports.team_followed")
    hockey = await sports.category(callers.admin, "Ice Hockey")
    await sports.game(callers.admin, hockey, team_1="Frostburg Wolves", team_2="Timber Lake Moose")
    responses = await asyncio.gather(
        *[_follow(client, callers.member, "Frostburg Wolves") for _ in range(6)]
    )
    assert [r.status_code for r in responses] == [200] * 6
    assert len(await log.of_type("sports.team_followed")) == 1
    assert await _following(client, callers.member) == ["Frostburg Wolves"]


async def test_following_lists_are_per_user_newest_first_in_pages(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    teams = [f"Club {i}" for i in range(5)]
    for i in range(0, 5, 2):
        await sports.game(callers.admin, football, team_1=teams[i], team_2=f"Rival {i}")
    await sports.game(callers.admin, football, team_1=teams[1], team_2=teams[3])
    for team in teams:
        assert (await _follow(client, callers.member, team)).status_code == 200
    await _follow(client, callers.feeder, "Rival 0")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = await client.get(
            "/api/sports/teams/following", params=params, headers=callers.member.headers
        )
        seen.extend(entry["team"] for entry in page.json()["data"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(teams))
    assert await _following(client, callers.feeder) == ["Rival 0"]


async def test_follow_rules(client: httpx.AsyncClient, callers: Callers, sports: Sports) -> None:
    football = await sports.category(callers.admin, "Football")
    await sports.game(callers.admin, football)
    assert (await _follow(client, None, "Riverside Rovers")).status_code == 401
    assert (await client.get("/api/sports/teams/following")).status_code == 401
    unknown = await _follow(client, callers.member, "Nobody United")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "team_not_found"
    as_someone_else = await client.post(
        "/api/sports/teams/follow",
        json={"team": "Riverside Rovers", "user_id": str(callers.admin.id)},
        headers=callers.member.headers,
    )
    assert as_someone_else.status_code == 403
    as_myself = await client.post(
        "/api/sports/teams/follow",
        json={"team": "Riverside Rovers", "user_id": callers.member.id},
        headers=callers.member.headers,
    )
    assert as_myself.status_code == 200
    for bad in ({}, {"team": ""}, {"team": "x" * 65}):
        refused = await client.post(
            "/api/sports/teams/follow", json=bad, headers=callers.member.headers
        )
        assert refused.status_code == 422, bad
    by_query = await client.delete(
        "/api/sports/teams/follow",
        params={"team": "Riverside Rovers"},
        headers=callers.member.headers,
    )
    assert by_query.json()["message"] == "Unfollowed Riverside Rovers"
    neither = await client.delete("/api/sports/teams/follow", headers=callers.member.headers)
    assert neither.status_code == 422


async def test_teams_are_listed_by_name(
    client: httpx.AsyncClient, callers: Callers, sports: Sports
) -> None:
    tennis = await sports.category(callers.admin, "Tennis")
    await sports.game(callers.admin, tennis, team_1="S. Tanaka", team_2="E. Lindqvist")
    await sports.game(callers.admin, tennis, team_1="A. Moreau", team_2="s. tanaka")
    first = (await client.get("/api/sports/teams", params={"limit": 2})).json()
    assert [t["team_name"] for t in first["data"]] == ["A. Moreau", "E. Lindqvist"]
    rest = (
        await client.get("/api/sports/teams", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert [t["team_name"] for t in rest["data"]] == ["S. Tanaka"]
    assert rest["next_cursor"] is None
