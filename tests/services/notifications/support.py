"""Reading a user's notifications and setting their preferences, for the notifications suite."""

from __future__ import annotations

from typing import Any

import httpx

from agora.contracts.notifications import ALL_NOTIFICATION_TYPES
from tests.support.api import Account


async def notifications_of(client: httpx.AsyncClient, who: Account) -> list[dict[str, Any]]:
    """The user's notifications, newest first."""
    response = await client.get("/api/notifications", headers=who.headers)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


async def set_preferences(
    client: httpx.AsyncClient,
    who: Account,
    *,
    enabled: bool = True,
    without: tuple[str, ...] = (),
) -> None:
    types = [t for t in ALL_NOTIFICATION_TYPES if t not in without]
    response = await client.put(
        f"/api/users/{who.id}/preferences/notifications",
        json={"enabled": enabled, "types": types},
        headers=who.headers,
    )
    assert response.status_code == 200, response.text
