"""The ETL: a refresh copies exactly what the services hold (reconciled table by table against
their own databases), a second refresh changes nothing, an incremental run moves only what
changed, and deletions and erasures are carried through."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text

from agora.entrypoints.demo import REVIEWS
from agora.platform.clock import ManualClock
from agora.services.warehouse.models import SOURCES
from tests.services.sports.support import Sports
from tests.services.warehouse.support import Warehouse, read_warehouse
from tests.support.waiting import eventually

FACTS = [s.target for s in SOURCES if s.target.startswith("fact_")]


async def play_games(warehouse: Warehouse, client: httpx.AsyncClient) -> None:
    """Two sport categories, a finished football game (2-1, a card) and a live basketball game."""
    sports = Sports(client)
    admin = warehouse.admin
    football = await sports.category(admin, "Football")
    basketball = await sports.category(admin, "Basketball")
    game = await sports.live_game(admin, football)
    for team in ("team_1", "team_2", "team_1"):
        await sports.event(admin, game, event_type="goal", team=team)
    await sports.event(admin, game, event_type="card", team="team_2")
    await sports.event(admin, game, event_type="final")
    hoops = await sports.live_game(admin, basketball, team_1="Capital Comets", team_2="Bayview")
    await sports.event(admin, hoops, event_type="point", team="team_1", points=3)


async def chat(warehouse: Warehouse, messages: list[tuple[str, str]]) -> None:
    """Chat messages in the first room (sockets are tested in discussions; the ETL reads rows)."""
    database = warehouse.source_db("discussions")
    async with database.session() as session:
        room_id = (await session.execute(text("SELECT min(id) FROM rooms"))).scalar_one()
        for username, body in messages:
            await session.execute(
                text(
                    "INSERT INTO messages (room_id, user_id, username, body, created_at, deleted) "
                    "VALUES (:room, :user, :name, :body, :at, :deleted)"
                ),
                {
                    "room": room_id,
                    "user": await warehouse.user_id(username),
                    "name": username,
                    "body": body,
                    "at": warehouse.platform.clock.now().replace(tzinfo=None),
                    "deleted": False,
                },
            )


def moved(run: dict[str, Any], table: str) -> dict[str, int]:
    stats: dict[str, int] = run["tables"][table]
    return {k: v for k, v in stats.items() if k != "read" and v}


async def test_a_refresh_holds_exactly_what_the_services_hold(
    warehouse: Warehouse, client: httpx.AsyncClient
) -> None:
    await play_games(warehouse, client)
    await chat(warehouse, [("mira", "Hello"), ("tomas", "Kind of Blue, again"), ("mira", "Yes")])
    run = await warehouse.refresh()
    await warehouse.reconcile()
    # Known totals of the demo (loaded by its own refresh): 6 members, 5 votes, 6 albums with 6
    # reviews, 2 entries, 4 likes, 2 comments, 7 follows; then this run's games and messages.
    counts = {s.target: len(await read_warehouse(warehouse.store, s)) for s in SOURCES}
    assert counts["dim_user"] == 6
    assert counts["fact_vote"] == 5
    assert (counts["dim_album"], counts["fact_review"]) == (6, len(REVIEWS))
    assert (counts["fact_submission"], counts["fact_like"], counts["fact_comment"]) == (2, 4, 2)
    assert counts["fact_follow"] == 7
    assert {t: n["inserted"] for t, n in run["tables"].items() if n["inserted"]} == {
        "dim_sport_category": 2,
        "dim_team": 4,
        "fact_chat_message": 3,
        "fact_game_result": 2,
        "fact_game_event": 8,
    }
    scores = await warehouse.store.read(
        "SELECT sum(score_team_1 + score_team_2), sum(points) FROM fact_game_result "
        "JOIN (SELECT game_id, sum(points) AS points FROM fact_game_event GROUP BY ALL) "
        "USING (game_id)"
    )
    assert scores == [(6, 6)]
    # The calendar covers every day a fact happened on; the run is logged.
    days = await warehouse.store.read("SELECT count(*) FROM dim_date")
    assert days[0][0] >= 1
    runs = await warehouse.store.read("SELECT ok, rows_changed, error FROM etl_run ORDER BY ALL")
    assert (True, run["rows_changed"], None) in runs
    assert all(ok and error is None for ok, _, error in runs)


async def test_a_second_refresh_changes_nothing(warehouse: Warehouse) -> None:
    await warehouse.refresh()
    before = await warehouse.snapshot()
    again = await warehouse.refresh()
    assert again["rows_changed"] == 0
    for table in FACTS:
        assert moved(again, table) == {}, table
        # Append-only facts read nothing past their watermark.
        if next(s for s in SOURCES if s.target == table).mode == "append":
            assert again["tables"][table]["read"] == 0, table
    assert await warehouse.snapshot() == before
    await warehouse.reconcile()


async def test_an_incremental_run_moves_only_what_changed(
    warehouse: Warehouse, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    await chat(warehouse, [("yuki", "first"), ("yuki", "second")])
    await warehouse.refresh()
    clock.advance(60)
    tomas = await warehouse.token("tomas")
    reviews = (await client.get("/api/users-reviews/reviews/album/1")).json()
    review = next(r for r in reviews["reviews"] if r["username"] == "tomas")
    edited = await client.put(
        f"/api/users-reviews/reviews/{review['reviewId']}",
        json={"rating": 3.5, "reviewText": "Still good, less sure."},
        headers=tomas,
    )
    assert edited.status_code == 200, edited.text
    posted = await client.post("/api/tweets", json={"content": "One more"}, headers=tomas)
    assert posted.status_code == 201, posted.text
    async with warehouse.source_db("discussions").session() as session:
        await session.execute(
            text("UPDATE messages SET deleted = :yes WHERE body = 'first'"), {"yes": True}
        )
    run = await warehouse.refresh()
    assert moved(run, "fact_review") == {"updated": 1}
    assert moved(run, "fact_post") == {"inserted": 1}
    assert run["tables"]["fact_post"]["read"] == 1
    assert moved(run, "fact_chat_message") == {"deleted": 1}
    for table in set(FACTS) - {"fact_review", "fact_post", "fact_chat_message"}:
        assert moved(run, table) == {}, table
    assert run["rows_changed"] == 3
    await warehouse.reconcile()
    ratings = await warehouse.store.read(
        "SELECT rating_halves FROM fact_review WHERE review_id = ?", [int(review["reviewId"])]
    )
    assert ratings == [(7,)]


async def test_rows_deleted_at_the_source_are_gone_after_the_next_run(
    warehouse: Warehouse, client: httpx.AsyncClient
) -> None:
    await warehouse.refresh()
    mira = await warehouse.token("mira")
    tweets = await client.get(f"/api/tweets/userTimeline/{await warehouse.user_id('mira')}")
    tweet_id = tweets.json()["tweets"][0]["tweetId"]
    deleted = await client.delete(f"/api/tweets/{tweet_id}", headers=mira)
    assert deleted.status_code in {200, 204}, deleted.text
    run = await warehouse.refresh()
    assert moved(run, "fact_post") == {"deleted": 1}
    posts = await warehouse.store.read(
        "SELECT count(*) FROM fact_post WHERE post_id = ?", [int(tweet_id)]
    )
    assert posts == [(0,)]
    await warehouse.reconcile()


async def test_an_erased_user_leaves_no_row_behind(warehouse: Warehouse) -> None:
    """The account-deletion saga ends by deleting the user's account; the next run takes every
    row naming them out of the warehouse, even rows a slower service still holds."""
    await warehouse.refresh()
    kofi = await warehouse.user_id("kofi")
    before = await _rows_of(warehouse, kofi)
    assert before["fact_vote"]
    assert before["fact_review"]
    assert before["fact_submission"]
    async with warehouse.source_db("users").session() as session:
        await session.execute(
            text("DELETE FROM follows WHERE follower_id = :u OR followee_id = :u"), {"u": kofi}
        )
        await session.execute(text("DELETE FROM users WHERE id = :u"), {"u": kofi})
    run = await warehouse.refresh()
    assert run["erased_users"] == 1
    assert moved(run, "dim_user") == {"deleted": 1}
    assert all(not rows for rows in (await _rows_of(warehouse, kofi)).values())
    assert await warehouse.store.read("SELECT user_id FROM erased_user") == [(kofi,)]
    # The other services still hold kofi's rows; they do not come back.
    again = await warehouse.refresh()
    assert again["rows_changed"] == 0
    assert all(not rows for rows in (await _rows_of(warehouse, kofi)).values())


async def test_an_account_erased_by_the_deletion_saga_leaves_the_warehouse(
    warehouse: Warehouse,
) -> None:
    """The real saga: the account becomes a tombstone (its id kept, never reused) and its content
    is erased or anonymised in every service; after the next run nothing in the warehouse names
    the user, and the run after that changes nothing."""
    await warehouse.refresh()
    kofi = await warehouse.user_id("kofi")
    assert (await _rows_of(warehouse, kofi))["fact_vote"]
    started = await warehouse.client.post(
        "/api/users/profile/deletion",
        json={"password": warehouse.members["kofi"].password, "grace_days": 0},
        headers=await warehouse.token("kofi"),
    )
    assert started.status_code == 202, started.text
    saga_id = started.json()["deletion_id"]

    async def erased() -> bool:
        response = await warehouse.client.get(
            "/api/admin/sagas", params={"all": "true"}, headers=warehouse.admin.headers
        )
        assert response.status_code == 200, response.text
        return any(
            s["saga_id"] == saga_id and s["state"] == "erased" for s in response.json()["sagas"]
        )

    assert await eventually(erased, what="the deletion saga erased kofi", within=30.0)
    run = await warehouse.refresh()
    assert run["erased_users"] == 1
    assert all(not rows for rows in (await _rows_of(warehouse, kofi)).values())
    again = await warehouse.refresh()
    assert again["rows_changed"] == 0
    await warehouse.reconcile()


async def _rows_of(warehouse: Warehouse, user_id: int) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for source in SOURCES:
        columns = source.user_columns or (("user_id",) if source.target == "dim_user" else ())
        for column in columns:
            rows = await read_warehouse(warehouse.store, source)
            index = source.columns.index(column)
            found.setdefault(source.target, []).extend(r for r in rows if r[index] == user_id)
    return found


async def test_a_failed_run_changes_nothing_and_says_why(
    warehouse: Warehouse, client: httpx.AsyncClient
) -> None:
    """A source that cannot be read (here: its table renamed away) fails the run with a 503 in
    the contract's error JSON; the run is logged with its error; the next run catches up."""
    before = await warehouse.snapshot()
    mira = await warehouse.token("mira")
    assert (
        await client.post("/api/tweets", json={"content": "x"}, headers=mira)
    ).status_code == 201
    timeline = warehouse.source_db("timeline")
    async with timeline.session() as session:
        await session.execute(text("ALTER TABLE tweets RENAME TO tweets_away"))
    failed = await client.post("/api/analytics/refresh", headers=warehouse.admin.headers)
    assert failed.status_code == 503
    assert failed.json()["status"] == "error"
    assert failed.json()["error"]["code"] == "warehouse_refresh_failed"
    assert "Traceback" not in failed.text
    assert await warehouse.snapshot() == before
    [(ok, error)] = await warehouse.store.read(
        "SELECT ok, error FROM etl_run ORDER BY run_id DESC LIMIT 1"
    )
    assert not ok
    assert "tweets" in error
    async with timeline.session() as session:
        await session.execute(text("ALTER TABLE tweets_away RENAME TO tweets"))
    run = await warehouse.refresh()
    assert moved(run, "fact_post") == {"inserted": 1}
    await warehouse.reconcile()
