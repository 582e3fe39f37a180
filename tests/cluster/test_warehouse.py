"""The warehouse in the cluster topology: one warehouse process whatever the replica count (the
single writer of its DuckDB file), fed from the services' PostgreSQL databases, answering through
the gateway."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.contract import flows
from tests.support.cluster import RunningCluster, running_cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(600)]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[RunningCluster]:
    services = ["users", "reviews", "timeline", "warehouse"]
    with running_cluster(tmp_path, services, replicas=2) as running:
        yield running


async def test_one_warehouse_refreshes_from_the_services_databases(cluster: RunningCluster) -> None:
    assert [c.name for c in cluster.replicas("warehouse")] == ["warehouse-1"]
    assert len(cluster.replicas("reviews")) == 2
    async with httpx.AsyncClient(base_url=cluster.gateway_urls[0], timeout=30) as http:
        admin = await flows.register(http, flows.unique("admin"))
        me = {"Authorization": f"Bearer {admin.token}"}
        album = await http.post(
            "/api/users-reviews/albums",
            json={"title": "Blue Train", "artist": "John Coltrane", "genre": "jazz"},
            headers=me,
        )
        assert album.status_code == 201, album.text
        review = await http.post(
            "/api/users-reviews/reviews",
            json={"albumId": album.json()["albumId"], "rating": 4.5, "reviewText": "Yes."},
            headers=me,
        )
        assert review.status_code == 201, review.text
        posted = await http.post("/api/tweets", json={"content": "Hello"}, headers=me)
        assert posted.status_code == 201, posted.text

        refreshed = await http.post("/api/analytics/refresh", headers=me)
        assert refreshed.status_code == 200, refreshed.text
        tables = refreshed.json()["data"]["tables"]
        assert tables["dim_user"]["inserted"] == 1
        assert tables["fact_review"]["inserted"] == 1
        assert tables["fact_post"]["inserted"] == 1

        jazz = await http.get("/api/analytics/reviews", params={"genre": "jazz"})
        assert jazz.status_code == 200, jazz.text
        [genre] = jazz.json()["data"]["genres"]
        assert (genre["reviews"], genre["average_rating"]) == (1, 4.5)
        assert genre["distribution"][8] == 1

        again = await http.post("/api/analytics/refresh", headers=me)
        assert again.json()["data"]["rows_changed"] == 0
