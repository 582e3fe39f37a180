"""Helpers of the sports tests: callers of each kind and seed-shaped sports calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.api import Account


@dataclass
class Callers:
    """The first user (an admin), a feeder, and a plain member."""

    admin: Account
    feeder: Account
    member: Account


class Sports:
    """Seed-shaped sports calls through the gateway."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def category(self, who: Account, name: str) -> str:
        response = await self.client.post(
            "/api/sports/categories", json={"category_name": name}, headers=who.headers
        )
        assert response.status_code == 201, response.text
        category_id: str = response.json()["data"]["category_id"]
        return category_id

    async def game(
        self,
        who: Account,
        category_id: str,
        team_1: str = "Riverside Rovers",
        team_2: str = "Kingsport City",
        start_time: str = "2026-01-01T12:30:00Z",
    ) -> str:
        response = await self.client.post(
            "/api/sports/games",
            json={
                "category_id": category_id,
                "team_1": team_1,
                "team_2": team_2,
                "start_time": start_time,
            },
            headers=who.headers,
        )
        assert response.status_code == 201, response.text
        game_id: str = response.json()["data"]["game_id"]
        return game_id

    async def post(self, who: Account | None, game_id: str, **body: Any) -> httpx.Response:
        return await self.client.post(
            f"/api/sports/games/{game_id}/events",
            json=body,
            headers=who.headers if who is not None else {},
        )

    async def event(self, who: Account, game_id: str, **body: Any) -> dict[str, Any]:
        response = await self.post(who, game_id, **body)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()["data"]
        return data

    async def live_game(self, who: Account, category_id: str, **teams: str) -> str:
        """A game that has kicked off (its first period running)."""
        game_id = await self.game(who, category_id, **teams)
        await self.event(who, game_id, event_type="period_start", period="1st half")
        return game_id

    async def read(self, game_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/api/sports/games/{game_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["status"] == "success"
        data: dict[str, Any] = body["data"]
        return data
