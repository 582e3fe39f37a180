"""Helpers of the warehouse tests: refresh through the API, and read a source table and its
warehouse copy in one comparable form (the reconciliation oracle)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import column, select, table

from agora.entrypoints.demo import DemoAccount
from agora.entrypoints.embedded import Platform
from agora.platform.db import Database
from agora.platform.deps import registered
from agora.platform.olap import OlapStore
from agora.services.warehouse.models import SOURCES, SourceTable
from agora.services.warehouse.service import WarehouseService
from tests.support.api import Account

Rows = list[tuple[Any, ...]]


def normal(value: Any) -> Any:
    """One form for both sides: naive UTC datetimes, ints for booleans stored as integers."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def by_target(target: str) -> SourceTable:
    return next(s for s in SOURCES if s.target == target)


async def read_source(database: Database, source: SourceTable) -> Rows:
    """Every (live) row of a source table, whole, in the warehouse's column order."""
    query: Any = select(*(column(f.source) for f in source.fields)).select_from(table(source.table))
    if source.live is not None:
        query = query.where(source.live())
    async with database.session(read_only=True) as session:
        rows = (await session.execute(query)).all()
    return sorted(tuple(_typed(source, r)) for r in rows)


def _typed(source: SourceTable, row: Any) -> list[Any]:
    values = []
    for f, value in zip(source.fields, row, strict=True):
        if f.kind == "ts" and isinstance(value, str):  # SQLite hands back text without a type
            value = datetime.fromisoformat(value)
        values.append(normal(value))
    return values


async def read_warehouse(store: OlapStore, source: SourceTable) -> Rows:
    rows = await store.read(f"SELECT {', '.join(source.columns)} FROM {source.target}")  # noqa: S608
    return sorted(tuple(normal(v) for v in r) for r in rows)


@dataclass
class Warehouse:
    platform: Platform
    client: httpx.AsyncClient
    admin: Account
    members: dict[str, DemoAccount]

    @property
    def service(self) -> WarehouseService:
        return registered(self.platform.runtimes["warehouse"].app, WarehouseService)

    @property
    def store(self) -> OlapStore:
        return self.service.store

    def source_db(self, service: str) -> Database:
        return self.platform.databases[service]

    async def refresh(self) -> dict[str, Any]:
        response = await self.client.post("/api/analytics/refresh", headers=self.admin.headers)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()["data"]
        return data

    async def snapshot(self) -> dict[str, Rows]:
        return {s.target: await read_warehouse(self.store, s) for s in SOURCES}

    async def reconcile(self) -> None:
        """Every warehouse table holds exactly its source's (live) rows."""
        for source in SOURCES:
            expected = await read_source(self.source_db(source.service), source)
            assert await read_warehouse(self.store, source) == expected, source.target

    async def token(self, username: str) -> dict[str, str]:
        member = self.members[username]
        login = await self.client.post(
            "/api/users/login", json={"username": username, "password": member.password}
        )
        assert login.status_code == 200, login.text
        return {"Authorization": f"Bearer {login.json()['token']}"}

    async def user_id(self, username: str) -> int:
        response = await self.client.get("/api/users", params={"q": username})
        found = [u for u in response.json()["users"] if u["username"] == username]
        return int(found[0]["user_id"])
