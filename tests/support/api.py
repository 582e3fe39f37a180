"""A small client for tests: register, log in, and call endpoints as a given user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

PASSWORD = "correct horse battery staple"


@dataclass
class Account:
    """A registered, logged-in user as a test sees them."""

    id: int
    username: str
    token: str
    refresh_token: str
    login: dict[str, Any] = field(repr=False)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Api:
    """Seed-shaped calls through the gateway."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def register(
        self, username: str, *, email: str | None = None, password: str = PASSWORD
    ) -> Account:
        body: dict[str, Any] = {"username": username, "password": password}
        body["email"] = email if email is not None else f"{username}@example.com"
        response = await self.client.post("/api/users/register", json=body)
        assert response.status_code == 201, response.text
        return await self.login(username, password=password)

    async def login(self, username: str, *, password: str = PASSWORD) -> Account:
        response = await self.client.post(
            "/api/users/login", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        data = response.json()
        return Account(
            id=int(data["user_id"]),
            username=data["username"],
            token=data["token"],
            refresh_token=data["refresh_token"],
            login=data,
        )

    async def relogin(self, account: Account) -> Account:
        """A fresh token (e.g. after a role change)."""
        return await self.login(account.username)
