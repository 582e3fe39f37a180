"""The scheduled refresh: with `AGORA_WAREHOUSE_REFRESH_SECONDS` set, the warehouse catches up on
its own (no one asks), and stopping the platform releases the DuckDB file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agora.platform.olap import OlapStore
from tests.support.api import Api
from tests.support.databases import DatabaseFactory
from tests.support.platform import client_for, running_platform
from tests.support.waiting import eventually


async def test_the_schedule_refreshes_without_being_asked(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    # The schedule is the same on both backends; the ETL's backends are tested in test_etl.
    async with (
        running_platform(
            database_factory,
            "sqlite",
            tmp_path,
            services=("users", "reviews", "warehouse"),
            warehouse_refresh_seconds=0.1,
        ) as platform,
        client_for(platform) as client,
    ):
        admin = await Api(client).register("admin")
        album = await client.post(
            "/api/users-reviews/albums",
            json={"title": "Blue Train", "artist": "John Coltrane", "genre": "jazz"},
            headers=admin.headers,
        )
        review = await client.post(
            "/api/users-reviews/reviews",
            json={"albumId": album.json()["albumId"], "rating": 4, "reviewText": "Yes."},
            headers=admin.headers,
        )
        assert review.status_code == 201, review.text

        async def counted() -> Any:
            data = (await client.get("/api/analytics/reviews")).json()["data"]
            return data["genres"] and data["genres"][0]["reviews"] == 1

        await eventually(counted, what="the scheduled run to count the review", within=10)
    # Stopped: the file is free for another process (or the operator's command) to open.
    store = OlapStore(tmp_path / "warehouse.duckdb")
    try:
        assert await store.read("SELECT count(*) > 0 FROM etl_run WHERE ok") == [(True,)]
    finally:
        await store.close()
