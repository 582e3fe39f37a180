"""At its end a competition closes itself once: entries ranked by likes (ties to the earlier entry),
results published in one event."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.services.competitions.models import Competition, Submission
from agora.services.competitions.service import CompetitionsService
from tests.services.competitions.support import (
    DURATION,
    competitions_service,
    create_competition,
    like,
    submit_ok,
)
from tests.support.api import Api
from tests.support.events import EventLog


async def test_results_rank_by_likes_with_ties_to_the_earlier_entry(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    log = EventLog(platform, "competitions.results_published")
    admin = await api.register("admin")
    ann, ben, cat, dan = [await api.register(n) for n in ("ann", "ben", "cat", "dan")]
    cid = (await create_competition(client, admin, clock, title="Haiku"))["competition_id"]
    first = await submit_ok(client, ann, cid, title="Early")
    clock.advance(1)
    second = await submit_ok(client, ben, cid, title="Late")
    clock.advance(1)
    third = await submit_ok(client, cat, cid, title="Popular")
    for fan in (admin, dan):
        assert (await like(client, fan, cid, third)).status_code == 200
    assert (await like(client, dan, cid, first)).status_code == 200
    assert (await like(client, dan, cid, second)).status_code == 200

    early = await client.get(f"/api/competitions/{cid}/results")
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "results_not_ready"

    clock.advance(DURATION)
    results = await client.get(f"/api/competitions/{cid}/results")
    assert results.status_code == 200
    placed = results.json()["results"]
    assert [(r["place"], r["submission_id"], r["likes"]) for r in placed] == [
        (1, third, 2),
        (2, first, 1),
        (3, second, 1),
    ]
    assert placed[0]["username"] == "cat"
    entries = (await client.get(f"/api/competitions/{cid}/submissions")).json()["submissions"]
    assert {e["submission_id"]: e["place"] for e in entries} == {third: 1, first: 2, second: 3}

    # The closing job records the places the reads showed.
    await competitions_service(platform).do_close_due()
    assert (await client.get(f"/api/competitions/{cid}/results")).json()["results"] == placed
    events = await log.of_type("competitions.results_published")
    assert len(events) == 1
    payload = events[0].payload
    assert payload["entry_count"] == 3
    assert [(p["user_id"], p["place"]) for p in payload["placings"]] == [
        (cat.id, 1),
        (ann.id, 2),
        (ben.id, 3),
    ]


async def test_closing_happens_exactly_once_when_the_job_and_requests_race(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    log = EventLog(platform, "competitions.results_published")
    admin, ann = await api.register("admin"), await api.register("ann")
    cid = (await create_competition(client, admin, clock))["competition_id"]
    await submit_ok(client, ann, cid)
    clock.advance(DURATION)
    service = competitions_service(platform)
    outcomes = await asyncio.gather(
        service.do_close_due(),
        service.do_close_due(),
        *(client.get(f"/api/competitions/{cid}/results") for _ in range(6)),
        *(client.get(f"/api/competitions/{cid}") for _ in range(4)),
    )
    closed_by_jobs = [o for o in outcomes if isinstance(o, int)]
    responses = [o for o in outcomes if isinstance(o, httpx.Response)]
    assert all(r.status_code == 200 for r in responses)
    assert sum(closed_by_jobs) <= 1
    events = await log.of_type("competitions.results_published")
    assert len(events) == 1
    assert await service.do_close_due() == 0


async def test_the_job_closes_a_competition_nobody_looks_at(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    log = EventLog(platform, "competitions.results_published")
    admin, ann = await api.register("admin"), await api.register("ann")
    cid = (await create_competition(client, admin, clock))["competition_id"]
    await submit_ok(client, ann, cid)
    service = competitions_service(platform)
    assert await service.do_close_due() == 0
    clock.advance(DURATION)
    # The background job may get there first; either way one of them closes it, once.
    await service.do_close_due()
    assert await service.do_close_due() == 0
    events = await log.of_type("competitions.results_published")
    assert [e.payload["competition_id"] for e in events] == [int(cid)]
    assert (await client.get(f"/api/competitions/{cid}")).json()["status"] == "closed"


async def test_a_competition_without_entries_closes_with_empty_results(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin = await api.register("admin")
    cid = (await create_competition(client, admin, clock))["competition_id"]
    clock.advance(DURATION)
    results = await client.get(f"/api/competitions/{cid}/results")
    assert results.status_code == 200
    assert results.json()["results"] == []
    assert (await client.get("/api/competitions/999/results")).status_code == 404


async def _stored(service: CompetitionsService, cid: str) -> list[tuple[object, ...]]:
    """Every stored column of the competition and its entries."""
    async with service.database.session(read_only=True) as session:
        competition = (
            await session.execute(select(Competition).where(Competition.id == int(cid)))
        ).scalar_one()
        entries = (
            await session.execute(
                select(Submission)
                .where(Submission.competition_id == int(cid))
                .order_by(Submission.id)
            )
        ).scalars()
        rows = [competition, *entries]
        return [
            tuple(getattr(row, column.key) for column in type(row).__table__.columns)
            for row in rows
        ]


async def test_reads_past_the_end_show_the_results_and_write_nothing_until_the_job_records_them(
    api: Api,
    client: httpx.AsyncClient,
    clock: ManualClock,
    platform: Platform,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = EventLog(platform, "competitions.results_published")
    admin = await api.register("admin")
    ann, ben, cat = [await api.register(n) for n in ("ann", "ben", "cat")]
    created = await create_competition(client, admin, clock, title="Haiku")
    cid, end_date = created["competition_id"], created["end_date"]
    first = await submit_ok(client, ann, cid, title="Early")
    clock.advance(1)
    second = await submit_ok(client, ben, cid, title="Late")
    assert (await like(client, cat, cid, second)).status_code == 200
    assert (await like(client, cat, cid, first)).status_code == 200
    assert (await like(client, admin, cid, second)).status_code == 200
    service = competitions_service(platform)
    close_due = service.do_close_due
    # Hold the background job off, so that only the reads below could write.
    monkeypatch.setattr(service, "do_close_due", _held_off)
    clock.advance(DURATION)
    before = await _stored(service, cid)

    async def reads() -> list[object]:
        answers = [
            await client.get(f"/api/competitions/{cid}"),
            await client.get(f"/api/competitions/{cid}/results"),
            await client.get(f"/api/competitions/{cid}/submissions"),
            await client.get(f"/api/competitions/{cid}/submissions/{first}"),
            await client.get("/api/users/profile/submissions", headers=ann.headers),
        ]
        # What a read computes before the close is recorded is for that moment only.
        assert all("public" not in a.headers.get("cache-control", "") for a in answers)
        return [a.json() for a in answers]

    shown = await reads()
    detail, results, entries, one, mine = shown
    assert isinstance(detail, dict)
    assert (detail["status"], detail["closed_at"]) == ("closed", end_date)
    assert isinstance(results, dict)
    assert results["closed_at"] == end_date
    assert [(r["place"], r["submission_id"], r["likes"]) for r in results["results"]] == [
        (1, second, 2),
        (2, first, 1),
    ]
    assert isinstance(entries, dict)
    assert {e["submission_id"]: e["place"] for e in entries["submissions"]} == {
        second: 1,
        first: 2,
    }
    assert isinstance(one, dict)
    assert one["place"] == 2
    assert isinstance(mine, list)
    assert [(m["submission_id"], m["place"]) for m in mine] == [(first, 2)]
    assert await _stored(service, cid) == before
    assert await log.of_type("competitions.results_published") == []

    # Several instances' jobs notice the end at once: the close is recorded once, as it was shown.
    closed = await asyncio.gather(*(close_due() for _ in range(5)))
    assert sorted(closed) == [0, 0, 0, 0, 1]
    assert await close_due() == 0
    (event,) = await log.of_type("competitions.results_published")
    assert [(p["submission_id"], p["place"]) for p in event.payload["placings"]] == [
        (int(second), 1),
        (int(first), 2),
    ]
    assert await _stored(service, cid) != before
    assert await reads() == shown


async def _held_off() -> int:
    return 0
