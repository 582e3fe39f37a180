"""Every service's part in the account sagas, on SQLite and PostgreSQL: hide takes a user's rows
out of every read and count, restore puts back exactly what was hidden, erase leaves no personal
data (what others' content needs stays, anonymised), and each action has one effect however often
it is asked. Counts a user sees equal the rows they count."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, func, select

from agora.contracts.accounts import AccountData
from agora.platform.cache.memory import MemoryCache
from agora.platform.clock import ManualClock
from agora.platform.db import Database
from agora.platform.feeds import MemoryFeedStore
from agora.platform.realtime.memory import MemoryHub
from agora.services.competitions import models as cm
from agora.services.competitions.account import build_participant as competitions_participant
from agora.services.competitions.app import SPEC as COMPETITIONS
from agora.services.discussions import models as dm
from agora.services.discussions.account import build_participant as discussions_participant
from agora.services.discussions.app import SPEC as DISCUSSIONS
from agora.services.notifications import models as nm
from agora.services.notifications.account import build_participant as notifications_participant
from agora.services.notifications.app import SPEC as NOTIFICATIONS
from agora.services.reviews import models as rm
from agora.services.reviews.account import build_participant as reviews_participant
from agora.services.reviews.app import SPEC as REVIEWS
from agora.services.sports import models as sm
from agora.services.sports.account import build_participant as sports_participant
from agora.services.sports.app import SPEC as SPORTS
from agora.services.timeline import models as tm
from agora.services.timeline.account import build_participant as timeline_participant
from agora.services.timeline.app import SPEC as TIMELINE
from agora.services.timeline.service import TimelineService
from agora.services.voting import models as vm
from agora.services.voting.account import build_participant as voting_participant
from agora.services.voting.app import SPEC as VOTING
from tests.support.databases import DatabaseFactory

ALICE, BOB = 1001, 1002  # ids that no row's own id reaches in these tests
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SAGA = "deletion-test"
BOOKKEEPING = {"held_rows", "saga_ledger", "outbox", "inbox", "alembic_version"}
# Columns that name a user; after erase none may name Alice.
USER_COLUMNS = {
    "user_id",
    "author_id",
    "follower_id",
    "followee_id",
    "created_by",
    "added_by",
    "single_entry_user_id",
    "decided_by",
    "closed_by",
}

Snapshot = dict[str, list[tuple[Any, ...]]]


async def snapshot(database: Database, metadata: MetaData) -> Snapshot:
    """Every row of every table of the service (but the sagas' and events' bookkeeping)."""
    out: Snapshot = {}
    async with database.session(read_only=True) as session:
        for name, table in metadata.tables.items():
            if name in BOOKKEEPING:
                continue
            rows = (await session.execute(select(table))).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def names_alice(snap: Snapshot, metadata: MetaData) -> list[str]:
    found = []
    for name, rows in snap.items():
        columns = [c.name for c in metadata.tables[name].columns]
        for row in rows:
            for column, value in zip(columns, row, strict=True):
                if column in USER_COLUMNS and value == ALICE:
                    found.append(f"{name}.{column}={value}")
                if isinstance(value, str) and "alice" in value.lower():
                    found.append(f"{name}.{column}={value!r}")
    return found


@dataclass
class Case:
    name: str
    spec: Any
    seed: Callable[[Any], Awaitable[None]]
    build: Callable[[Database], AccountData]
    # Counts a user sees and the rows they must equal, as (label, shown, rows) queries.
    counts: Callable[[Any], Awaitable[list[tuple[str, int, int]]]]
    # Rows of Bob's that an erase of Alice takes with hers (his like on her unplaced entry).
    bob_rows_lost: int = 0

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- voting


async def seed_voting(session: Any) -> None:
    session.add_all(
        [
            vm.Book(
                id=1,
                title="Dune",
                author="Herbert",
                title_key="dune",
                author_key="herbert",
                created_at=T0,
            ),
            vm.Book(
                id=2,
                title="Emma",
                author="Austen",
                title_key="emma",
                author_key="austen",
                created_at=T0,
            ),
        ]
    )
    await session.flush()
    session.add_all(
        [
            vm.Poll(
                id=1,
                month="2026-10",
                status="closed",
                opens_at=T0,
                closes_at=T0,
                closed_at=T0,
                winner_book_id=1,
                winner_votes=2,
                total_votes=3,
                vote_seq=3,
            ),
            vm.Poll(
                id=2,
                month="2026-11",
                status="open",
                opens_at=T0,
                closes_at=T0 + timedelta(days=30),
                vote_seq=2,
            ),
        ]
    )
    await session.flush()
    session.add_all(
        [vm.Candidate(poll_id=p, book_id=b, added_at=T0) for p in (1, 2) for b in (1, 2)]
    )
    await session.flush()
    session.add_all(
        [
            vm.Vote(poll_id=1, user_id=ALICE, book_id=1, voted_at=T0, seq=1),
            vm.Vote(poll_id=1, user_id=BOB, book_id=1, voted_at=T0, seq=2),
            vm.Vote(poll_id=1, user_id=7, book_id=2, voted_at=T0, seq=3),
            vm.Vote(poll_id=2, user_id=ALICE, book_id=2, voted_at=T0, seq=1),
            vm.Vote(poll_id=2, user_id=BOB, book_id=2, voted_at=T0, seq=2),
            vm.Nomination(
                user_id=ALICE,
                username="alice",
                title="Ulysses",
                author="Joyce",
                title_key="ulysses",
                author_key="joyce",
                status="pending",
                created_at=T0,
            ),
            vm.Nominator(user_id=ALICE, pending=1),
        ]
    )


async def voting_counts(session: Any) -> list[tuple[str, int, int]]:
    poll = await session.get(vm.Poll, 1)
    rows = await session.scalar(
        select(func.count()).select_from(vm.Vote).where(vm.Vote.poll_id == 1)
    )
    winner = await session.scalar(
        select(func.count()).select_from(vm.Vote).where(vm.Vote.poll_id == 1, vm.Vote.book_id == 1)
    )
    return [("total votes", poll.total_votes, rows), ("winner votes", poll.winner_votes, winner)]


# ---------------------------------------------------------------- discussions


async def seed_discussions(session: Any) -> None:
    session.add(
        dm.Room(
            id=1,
            kind="album",
            ref="1",
            name="Room",
            description="",
            created_by=ALICE,
            created_at=T0,
        )
    )
    await session.flush()
    session.add_all(
        [
            # Alice's thread that Bob answered, Bob's thread that Alice answered, Alice's alone.
            dm.Thread(
                id=1,
                title="alice asks",
                author_id=ALICE,
                author="alice",
                content="Q?",
                created_at=T0,
                last_activity_at=T0,
                replies=2,
            ),
            dm.Thread(
                id=2,
                title="bob asks",
                author_id=BOB,
                author="bob",
                content="Q2",
                created_at=T0,
                last_activity_at=T0,
                replies=1,
            ),
            dm.Thread(
                id=3,
                title="alice muses",
                author_id=ALICE,
                author="alice",
                content="hm",
                created_at=T0,
                last_activity_at=T0,
                replies=0,
            ),
        ]
    )
    await session.flush()
    session.add_all(
        [
            dm.Reply(id=1, thread_id=1, author_id=BOB, author="bob", content="A", created_at=T0),
            dm.Reply(
                id=2, thread_id=1, author_id=ALICE, author="alice", content="thanks", created_at=T0
            ),
            dm.Reply(
                id=3, thread_id=2, author_id=ALICE, author="alice", content="A2", created_at=T0
            ),
            dm.Message(id=1, room_id=1, user_id=ALICE, username="alice", body="hi", created_at=T0),
            dm.Message(id=2, room_id=1, user_id=BOB, username="bob", body="yo", created_at=T0),
            dm.RoomMember(id=1, room_id=1, user_id=ALICE, username="alice", joined_at=T0),
            dm.RoomMember(id=2, room_id=1, user_id=BOB, username="bob", joined_at=T0),
        ]
    )


async def discussions_counts(session: Any) -> list[tuple[str, int, int]]:
    out = []
    for thread in (await session.scalars(select(dm.Thread))).all():
        rows = await session.scalar(
            select(func.count()).select_from(dm.Reply).where(dm.Reply.thread_id == thread.id)
        )
        out.append((f"replies of thread {thread.id}", thread.replies, rows))
    return out


# ---------------------------------------------------------------- competitions


async def seed_competitions(session: Any) -> None:
    session.add_all(
        [
            cm.Competition(
                id=1,
                title="Done",
                description="",
                admin_id=7,
                start_date=T0,
                end_date=T0 + timedelta(days=1),
                status="closed",
                created_at=T0,
            ),
            cm.Competition(
                id=2,
                title="Open",
                description="",
                admin_id=7,
                start_date=T0,
                end_date=T0 + timedelta(days=99),
                status="open",
                created_at=T0,
            ),
        ]
    )
    await session.flush()
    session.add_all(
        [
            cm.Submission(
                id=1,
                competition_id=1,
                user_id=ALICE,
                username="alice",
                title="alice's poem",
                content="roses",
                created_at=T0,
                updated_at=T0,
                place=1,
            ),
            cm.Submission(
                id=2,
                competition_id=1,
                user_id=BOB,
                username="bob",
                title="bob's",
                content="violets",
                created_at=T0,
                updated_at=T0,
                place=2,
            ),
            cm.Submission(
                id=3,
                competition_id=2,
                user_id=ALICE,
                username="alice",
                title="alice's draft",
                content="wip",
                created_at=T0,
                updated_at=T0,
            ),
        ]
    )
    await session.flush()
    session.add_all(
        [
            cm.Like(id=1, submission_id=1, user_id=BOB, created_at=T0),
            cm.Like(id=2, submission_id=2, user_id=ALICE, created_at=T0),
            cm.Like(id=3, submission_id=3, user_id=BOB, created_at=T0),
            cm.Comment(
                id=1,
                submission_id=1,
                user_id=BOB,
                username="bob",
                content="nice",
                created_at=T0,
                updated_at=T0,
            ),
            cm.Comment(
                id=2,
                submission_id=2,
                user_id=ALICE,
                username="alice",
                content="alice says hi",
                created_at=T0,
                updated_at=T0,
            ),
            cm.Comment(
                id=4,
                submission_id=2,
                user_id=ALICE,
                username="alice",
                content="alone",
                created_at=T0,
                updated_at=T0,
            ),
            cm.Subscription(id=1, competition_id=2, user_id=ALICE, created_at=T0),
        ]
    )
    await session.flush()
    session.add(
        cm.Comment(
            id=3,
            submission_id=2,
            parent_id=2,
            root_id=2,
            user_id=BOB,
            username="bob",
            content="hi back",
            created_at=T0,
            updated_at=T0,
        )
    )


async def competitions_counts(session: Any) -> list[tuple[str, int, int]]:
    # Likes are counted from rows: every like row hangs on an entry that is there.
    likes = await session.scalar(select(func.count()).select_from(cm.Like))
    reachable = await session.scalar(select(func.count()).select_from(cm.Like).join(cm.Submission))
    return [("likes on entries", reachable, likes)]


# ---------------------------------------------------------------- the others


async def seed_reviews(session: Any) -> None:
    session.add(
        rm.Album(
            id=1,
            title="OK",
            artist="R",
            genre="rock",
            title_key="ok",
            artist_key="r",
            created_by=ALICE,
            created_at=T0,
        )
    )
    await session.flush()
    session.add_all(
        [
            rm.Review(
                album_id=1,
                user_id=ALICE,
                username="alice",
                rating_halves=10,
                review_text="alice loves it",
                created_at=T0,
                updated_at=T0,
            ),
            rm.Review(
                album_id=1,
                user_id=BOB,
                username="bob",
                rating_halves=4,
                review_text="meh",
                created_at=T0,
                updated_at=T0,
            ),
        ]
    )


async def seed_timeline(session: Any) -> None:
    session.add_all(
        [
            tm.Tweet(id=1, user_id=ALICE, username="alice", content="alice tweets", created_at=T0),
            tm.Tweet(id=2, user_id=BOB, username="bob", content="bob tweets", created_at=T0),
            tm.Follow(follower_id=BOB, followee_id=ALICE, active=True, changed_at=T0),
            tm.Follow(follower_id=ALICE, followee_id=BOB, active=True, changed_at=T0),
        ]
    )


async def seed_sports(session: Any) -> None:
    session.add(sm.Team(id=1, name="Lions", name_key="lions", created_at=T0))
    await session.flush()
    session.add_all(
        [
            sm.TeamFollow(user_id=ALICE, team_id=1, created_at=T0),
            sm.TeamFollow(user_id=BOB, team_id=1, created_at=T0),
        ]
    )


async def seed_notifications(session: Any) -> None:
    session.add_all(
        [
            nm.Notification(
                user_id=ALICE, type="like", message="bob liked your entry", data={}, created_at=T0
            ),
            nm.Notification(
                user_id=BOB, type="like", message="someone liked yours", data={}, created_at=T0
            ),
            # Bob was told about something Alice did: it goes with her.
            nm.Notification(
                user_id=BOB,
                type="follow",
                message="alice followed you",
                data={"follower_id": str(ALICE), "username": "alice"},
                created_at=T0,
            ),
            nm.TeamFollow(team="Lions", user_id=ALICE, following=True, changed_at=T0),
        ]
    )


async def no_counts(session: Any) -> list[tuple[str, int, int]]:
    return []


def build_timeline(database: Database) -> AccountData:
    service = TimelineService(
        feeds=MemoryFeedStore(),
        hub=MemoryHub(),
        clock=ManualClock(T0),
        cache=MemoryCache(),
        directory=None,
    )
    return timeline_participant(database, service)


CASES = [
    Case("voting", VOTING, seed_voting, voting_participant, voting_counts),
    Case("discussions", DISCUSSIONS, seed_discussions, discussions_participant, discussions_counts),
    Case(
        "competitions",
        COMPETITIONS,
        seed_competitions,
        competitions_participant,
        competitions_counts,
        bob_rows_lost=1,
    ),
    Case("reviews", REVIEWS, seed_reviews, reviews_participant, no_counts),
    Case("timeline", TIMELINE, seed_timeline, build_timeline, no_counts),
    Case("sports", SPORTS, seed_sports, sports_participant, no_counts),
    Case(
        "notifications",
        NOTIFICATIONS,
        seed_notifications,
        notifications_participant,
        no_counts,
        bob_rows_lost=1,
    ),
]


@pytest.fixture(params=CASES, ids=lambda c: c.name)
def case(request: pytest.FixtureRequest) -> Case:
    found: Case = request.param
    return found


@pytest.fixture
async def seeded(
    case: Case, db_backend: str, database_factory: DatabaseFactory
) -> AsyncIterator[Database]:
    url = await database_factory.create(db_backend, case.spec.name, case.spec.migrations)
    database = Database(url, service=case.spec.name)
    try:
        async with database.session() as session:
            await case.seed(session)
        yield database
    finally:
        await database.dispose()
        await database_factory.drop(url)


async def check_counts(case: Case, database: Database) -> None:
    async with database.session(read_only=True) as session:
        for label, shown, rows in await case.counts(session):
            assert shown == rows, f"{case.name}: {label} shows {shown}, rows say {rows}"


async def test_hide_then_restore_puts_back_exactly_what_was_hidden(
    case: Case, seeded: Database
) -> None:
    metadata = case.spec.metadata
    participant = case.build(seeded)
    before = await snapshot(seeded, metadata)
    assert names_alice(before, metadata), "the seed must give Alice something to hide"

    hidden = await participant.hide(ALICE, SAGA)
    assert hidden.rows > 0
    assert not hidden.replayed
    again = await participant.hide(ALICE, SAGA)
    assert again.replayed
    assert again.rows == hidden.rows
    during = await snapshot(seeded, metadata)
    await check_counts(case, seeded)
    # Nothing of Alice's is left in any live table while hidden, but the shared places she
    # opened (a room, an album in the catalog), which others use.
    assert [f for f in names_alice(during, metadata) if ".created_by=" not in f] == []

    restored = await participant.restore(ALICE, SAGA)
    assert restored.rows == hidden.rows
    assert not restored.replayed
    assert (await participant.restore(ALICE, SAGA)).replayed
    assert await snapshot(seeded, metadata) == before
    await check_counts(case, seeded)


async def test_erase_leaves_no_personal_data_and_happens_once(case: Case, seeded: Database) -> None:
    metadata = case.spec.metadata
    participant = case.build(seeded)
    before = await snapshot(seeded, metadata)
    await participant.hide(ALICE, SAGA)
    erased = await participant.erase(ALICE, SAGA)
    assert not erased.replayed
    after = await snapshot(seeded, metadata)
    assert names_alice(after, metadata) == []
    assert (await participant.erase(ALICE, SAGA)).replayed
    assert await snapshot(seeded, metadata) == after
    await check_counts(case, seeded)

    # Rows that only Bob's name are all still there.
    def bobs_own(snap: Snapshot) -> int:
        count = 0
        for name, rows in snap.items():
            columns = [c.name for c in metadata.tables[name].columns]
            for row in rows:
                users = {v for c, v in zip(columns, row, strict=True) if c in USER_COLUMNS}
                count += BOB in users and ALICE not in users
        return count

    lost = case.bob_rows_lost
    assert bobs_own(after) == bobs_own(before) - lost


async def erase_alice(case: Case, database: Database) -> None:
    participant = case.build(database)
    await participant.hide(ALICE, SAGA)
    await participant.erase(ALICE, SAGA)


@pytest.mark.parametrize("case", [c for c in CASES if c.name == "discussions"], ids=str)
async def test_a_thread_others_answered_stays_as_deleted(case: Case, seeded: Database) -> None:
    await erase_alice(case, seeded)
    async with seeded.session(read_only=True) as session:
        threads = {t.id: t for t in (await session.scalars(select(dm.Thread))).all()}
        replies = (await session.scalars(select(dm.Reply))).all()
    assert set(threads) == {1, 2}  # Alice's unanswered thread went
    assert (threads[1].author_id, threads[1].author, threads[1].content) == (
        None,
        "deleted user",
        "[deleted]",
    )
    assert [(r.id, r.thread_id, r.author) for r in replies] == [(1, 1, "bob")]
    assert threads[1].replies == 1
    assert threads[2].replies == 0


@pytest.mark.parametrize("case", [c for c in CASES if c.name == "competitions"], ids=str)
async def test_a_placed_entry_keeps_its_place_under_deleted_user(
    case: Case, seeded: Database
) -> None:
    await erase_alice(case, seeded)
    async with seeded.session(read_only=True) as session:
        entries = {s.id: s for s in (await session.scalars(select(cm.Submission))).all()}
        likes = sorted(
            (lk.submission_id, lk.user_id) for lk in await session.scalars(select(cm.Like))
        )
        comments = {c.id: c for c in (await session.scalars(select(cm.Comment))).all()}
    assert set(entries) == {1, 2}  # the entry in the open competition went
    placed = entries[1]
    assert (placed.place, placed.username, placed.user_id) == (1, "deleted user", 0)
    assert placed.content == "[deleted]"
    assert likes == [(1, BOB)]  # Bob's like stays on the placed entry; Alice's went
    # Alice's comment that Bob answered stays as a deleted comment; her lone one went.
    assert set(comments) == {1, 2, 3}
    assert comments[2].deleted_at is not None
    assert comments[2].content == "[deleted]"
    assert comments[2].user_id == 0
    assert comments[3].parent_id == 2


async def test_export_lists_the_users_records(case: Case, seeded: Database) -> None:
    export = await case.build(seeded).export(ALICE)
    assert export.service == case.name
    assert sum(len(records) for records in export.files.values()) > 0
    for records in export.files.values():
        for record in records:
            assert BOB not in (record.get("user_id"), record.get("author_id"))
