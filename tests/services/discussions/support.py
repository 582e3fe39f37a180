"""Helpers for the discussions suites: contract events published the way their producers would,
rooms opened through the API, and WebSocket URLs and close codes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from websockets.exceptions import ConnectionClosed

from agora.contracts.base import EventPayload
from agora.contracts.events.reviews import AlbumAdded
from agora.contracts.events.sports import CategoryCreated, GameScheduled
from agora.contracts.events.voting import PollClosed
from agora.entrypoints.embedded import Platform
from agora.platform.bus.event import Event
from tests.support.api import Account
from tests.support.live import JsonSocket

WHEN = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def event_of(payload: EventPayload) -> Event:
    return Event(
        type=payload.event_type,
        producer=payload.event_type.split(".")[0],
        occurred_at=WHEN,
        payload=payload.model_dump(mode="json"),
    )


async def deliver(platform: Platform, *payloads: EventPayload) -> list[Event]:
    """Publish contract events onto the bus as their producers would, and let consumers run."""
    events = [event_of(p) for p in payloads]
    for event in events:
        await platform.bus.publish(event)
    await platform.settle()
    return events


def poll_closed(
    poll_id: int = 1,
    book_id: int = 10,
    title: str | None = "Dune",
    author: str | None = "Frank Herbert",
    month: str = "2026-01",
    closed_at: datetime = WHEN,
) -> PollClosed:
    return PollClosed(
        poll_id=poll_id,
        month=month,
        winner_book_id=book_id,
        winner_title=title,
        winner_author=author,
        total_votes=3,
        closed_at=closed_at,
    )


def album_added(
    album_id: int = 7, title: str = "Blue", artist: str = "Joni Mitchell"
) -> AlbumAdded:
    return AlbumAdded(album_id=album_id, title=title, artist=artist, year=1971, genre="folk")


def category_created(category_id: int = 3, name: str = "Football") -> CategoryCreated:
    return CategoryCreated(category_id=category_id, name=name)


def game_scheduled(
    game_id: int = 40, category_id: int = 3, team_1: str = "Ajax", team_2: str = "PSV"
) -> GameScheduled:
    return GameScheduled(
        game_id=game_id,
        category_id=category_id,
        sport_category="Football",
        team_1=team_1,
        team_2=team_2,
        start_time=WHEN,
    )


async def open_genre_room(client: httpx.AsyncClient, who: Account, genre: str = "jazz") -> str:
    response = await client.post(
        "/api/forums/rooms",
        json={"roomType": "genre", "albumId": "", "genreId": genre},
        headers=who.headers,
    )
    assert response.status_code in (200, 201), response.text
    room_id: str = response.json()["roomId"]
    return room_id


def ws_url(hostport: str, room_id: str, who: Account | None, **extra: Any) -> str:
    params: dict[str, Any] = {"roomId": room_id}
    if who is not None:
        params["userId"] = str(who.id)
        params["token"] = who.token
    params.update(extra)
    return f"ws://{hostport}/api/forums/connect?{urlencode(params)}"


async def close_code(sock: JsonSocket, within: float = 5.0) -> int:
    """Read frames until the server closes the socket; its close code."""

    async def _drain() -> int:
        while True:
            try:
                await sock.connection.recv()
            except ConnectionClosed as exc:
                # No close frame at all reads as 1006, which no test expects.
                return exc.rcvd.code if exc.rcvd is not None else 1006

    return await asyncio.wait_for(_drain(), within)


async def frames_until(
    sock: JsonSocket, frame_type: str, within: float = 5.0
) -> list[dict[str, Any]]:
    """Every frame up to and including the first of `frame_type`."""
    seen: list[dict[str, Any]] = []
    deadline = asyncio.get_running_loop().time() + within
    while True:
        left = deadline - asyncio.get_running_loop().time()
        frame = await sock.receive(max(left, 0.01))
        seen.append(frame)
        if frame.get("type") == frame_type:
            return seen
