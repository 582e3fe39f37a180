"""The live WebSocket of a game through the gateway: a snapshot, then event and score frames
after each commit, and recovery of what a reconnecting client missed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.embedded import Platform
from tests.services.sports.support import Callers, Sports
from tests.support.live import JsonSocket, live_server, ws_connect


async def _score_at_version(socket: JsonSocket, version: int) -> dict[str, Any]:
    """Score frames until the one of `version` (each newer than the last)."""
    last = -1
    while True:
        frame = await socket.receive_until("score")
        assert frame["version"] > last
        last = frame["version"]
        if frame["version"] == version:
            return frame


async def test_a_viewer_gets_a_snapshot_then_each_event_and_score(
    platform: Platform, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.live_game(callers.feeder, football)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/sports/games/{game_id}/live") as socket,
    ):
        snapshot = await socket.receive()
        assert snapshot["type"] == "snapshot"
        assert snapshot["game"]["game_id"] == game_id
        assert snapshot["game"]["status"] == "live"
        assert snapshot["game"]["current_period"] == "1st half"
        assert [e["event_type"] for e in snapshot["game"]["event_details"]] == ["period_start"]
        ready = await socket.receive()
        assert (ready["type"], ready["channel"]) == ("ready", f"game:{game_id}")
        assert (ready["offset"], ready["epoch"]) == (snapshot["offset"], snapshot["epoch"])
        await sports.event(callers.feeder, game_id, event_type="goal", team="team_2")
        event = await socket.receive()
        assert event["type"] == "event"
        assert event["event"]["event_type"] == "goal"
        assert event["event"]["team"] == "Kingsport City"
        assert event["offset"] > snapshot["offset"]
        score = await socket.receive()
        assert {k: score[k] for k in ("type", "score_team_1", "score_team_2", "status")} == {
            "type": "score",
            "score_team_1": 0,
            "score_team_2": 1,
            "status": "live",
        }
        assert score["current_period"] == "1st half"
        await sports.event(callers.feeder, game_id, event_type="period_end")
        await sports.event(callers.feeder, game_id, event_type="period_start", period="2nd half")
        moved = await _score_at_version(socket, snapshot["game"]["version"] + 3)
        assert moved["current_period"] == "2nd half"
        await sports.event(callers.feeder, game_id, event_type="final")
        over = await socket.receive_until("score")
        assert over["status"] == "finished"


async def test_a_refused_event_publishes_nothing(
    platform: Platform, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.game(callers.feeder, football)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/sports/games/{game_id}/live") as socket,
    ):
        assert (await socket.receive())["type"] == "snapshot"
        assert (await socket.receive())["type"] == "ready"
        refused = await sports.post(callers.feeder, game_id, event_type="goal", team="team_1")
        assert refused.status_code == 409
        assert await socket.nothing_within(0.3)


async def test_reconnecting_with_since_and_epoch_delivers_what_was_missed(
    platform: Platform, callers: Callers, sports: Sports
) -> None:
    basketball = await sports.category(callers.admin, "Basketball")
    game_id = await sports.live_game(callers.feeder, basketball)
    async with live_server(platform.app) as hostport:
        url = f"ws://{hostport}/api/sports/games/{game_id}/live"
        async with ws_connect(url) as socket:
            await socket.receive()
            await sports.event(callers.feeder, game_id, event_type="point", team="team_1", points=2)
            await socket.receive_until("event")
            last = await socket.receive_until("score")
        for points in (3, 1):
            await sports.event(
                callers.feeder, game_id, event_type="point", team="team_2", points=points
            )
        since = f"{url}?since={last['offset']}&epoch={last['epoch']}"
        async with ws_connect(since) as socket:
            frames = [await socket.receive() for _ in range(4)]
            assert [f["type"] for f in frames] == ["event", "score", "event", "score"]
            assert [f["event"]["points"] for f in frames if f["type"] == "event"] == [3, 1]
            assert (frames[-1]["score_team_1"], frames[-1]["score_team_2"]) == (2, 4)
            offsets = [f["offset"] for f in frames]
            assert offsets == sorted(offsets)
            assert offsets[0] == last["offset"] + 1
            ready = await socket.receive()
            assert (ready["type"], ready["offset"]) == ("ready", offsets[-1])
            # Then live again.
            await sports.event(callers.feeder, game_id, event_type="point", team="team_1")
            assert (await socket.receive_until("score"))["score_team_1"] == 3


async def test_a_position_from_another_epoch_gets_a_reload_and_a_snapshot(
    platform: Platform, callers: Callers, sports: Sports
) -> None:
    tennis = await sports.category(callers.admin, "Tennis")
    game_id = await sports.live_game(callers.feeder, tennis, team_1="K. Novak", team_2="M. Rossi")
    await sports.event(callers.feeder, game_id, event_type="point", team="M. Rossi")
    async with (
        live_server(platform.app) as hostport,
        ws_connect(
            f"ws://{hostport}/api/sports/games/{game_id}/live?since=5&epoch=stale"
        ) as socket,
    ):
        reload = await socket.receive()
        assert reload["type"] == "reload"
        snapshot = await socket.receive()
        assert snapshot["type"] == "snapshot"
        assert snapshot["game"]["score_team_2"] == 1
        assert snapshot["epoch"] == reload["epoch"]
        assert (await socket.receive())["type"] == "ready"


async def test_concurrent_events_end_on_the_final_score(
    platform: Platform, callers: Callers, sports: Sports
) -> None:
    basketball = await sports.category(callers.admin, "Basketball")
    game_id = await sports.live_game(callers.feeder, basketball)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/sports/games/{game_id}/live") as socket,
    ):
        start = (await socket.receive())["game"]["version"]
        posts = [
            sports.post(callers.feeder, game_id, event_type="point", team="team_1", points=p)
            for p in (1, 2, 3, 2, 1, 3, 2, 1, 3, 2)
        ]
        assert all(r.status_code == 201 for r in await asyncio.gather(*posts))
        final = await _score_at_version(socket, start + 10)
        assert final["score_team_1"] == 20


async def test_live_sockets_allow_anonymous_and_members_but_not_bad_tokens(
    platform: Platform, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.game(callers.admin, football)
    async with live_server(platform.app) as hostport:
        base = f"ws://{hostport}/api/sports/games/{game_id}/live"
        async with ws_connect(f"{base}?token={callers.member.token}") as socket:
            assert (await socket.receive())["type"] == "snapshot"
        async with ws_connect(f"{base}?token=garbage") as socket:
            with pytest.raises(ConnectionClosed) as closed:
                await socket.receive()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401
        async with ws_connect(f"ws://{hostport}/api/sports/games/999/live") as socket:
            with pytest.raises(ConnectionClosed) as closed:
                await socket.receive()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4404


async def test_malformed_frames_get_an_error_and_the_socket_stays_open(
    platform: Platform, callers: Callers, sports: Sports
) -> None:
    football = await sports.category(callers.admin, "Football")
    game_id = await sports.live_game(callers.admin, football)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/sports/games/{game_id}/live?since=abc") as socket,
    ):
        bad_since = await socket.receive()
        assert bad_since["type"] == "error"
        assert bad_since["error"]["code"] == "bad_since"
        assert (await socket.receive())["type"] == "snapshot"
        assert (await socket.receive())["type"] == "ready"
        await socket.send_raw("not json")
        assert (await socket.receive())["error"]["code"] == "malformed_frame"
        await socket.send({"message": "hello"})
        assert (await socket.receive())["error"]["code"] == "unknown_frame"
        await socket.send({"type": "ping"})
        assert await socket.receive() == {"type": "pong"}
        await sports.event(callers.admin, game_id, event_type="goal", team="team_1")
        assert (await socket.receive_until("score"))["score_team_1"] == 1
