"""Queries of the voting service. Repositories flush; they never commit.

Votes are serialized per poll: a vote first bumps the open poll's `vote_seq` with an atomic
`UPDATE ... RETURNING`, which holds the poll's row until the vote commits (PostgreSQL) or runs under
the database write lock (SQLite). Closing a poll updates the same row, so no vote can slip into a
poll after its result was counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from agora.platform.db import Writes, insert_ignore
from agora.platform.reads import Reads
from agora.services.voting.models import (
    CLOSED,
    OPEN,
    PENDING,
    BigId,
    Book,
    Candidate,
    Nomination,
    Nominator,
    Poll,
    Vote,
)


@dataclass(frozen=True, slots=True)
class Tally:
    """A book's votes in a poll, and when its last current vote was cast."""

    book_id: int
    votes: int
    last_voted_at: datetime
    last_seq: int


@dataclass(frozen=True, slots=True)
class BallotBook:
    """A candidate book as a ballot shows it (read as columns: no ORM object per line)."""

    id: int
    title: str
    author: str
    description: str


@dataclass(frozen=True, slots=True)
class VoteTarget:
    """What a vote needs to know, read in one query."""

    book: BallotBook
    on_ballot: bool
    previous_book_id: int | None
    previous_title: str | None


@dataclass(frozen=True, slots=True)
class BallotLine:
    """A candidate with its count."""

    book: BallotBook
    votes: int


@dataclass(frozen=True, slots=True)
class BallotPoll:
    """The open poll as its ballot shows it (read as columns, as `BallotBook`)."""

    id: int
    month: str
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class OpenBallot:
    """The open poll, its candidates with their counts, its number of votes and the caller's
    vote, read in one statement."""

    poll: BallotPoll
    lines: list[BallotLine]
    total_votes: int
    my_vote: int | None


# ---------------------------------------------------------------- polls


async def get_poll(session: AsyncSession, poll_id: int) -> Poll | None:
    return await session.get(Poll, poll_id, populate_existing=True)


@dataclass(frozen=True, slots=True)
class PollHead:
    """What a poll's live frame says of the poll itself."""

    id: int
    month: str
    status: str
    closes_at: datetime
    vote_seq: int


_POLL_HEAD = select(
    Poll.__table__.c.id,
    Poll.__table__.c.month,
    Poll.__table__.c.status,
    Poll.__table__.c.closes_at,
    Poll.__table__.c.vote_seq,
).where(Poll.__table__.c.id == bindparam("poll_id"))


async def get_poll_head(reads: Reads, poll_id: int) -> PollHead | None:
    """A poll's id, month, status, deadline and vote number (after every vote, for its frame: a
    plain read, decision 0046)."""
    rows = await reads.tuples(_POLL_HEAD, {"poll_id": poll_id})
    if not rows:
        return None
    row = rows[0]
    return PollHead(row[0], row[1], row[2], row[3], int(row[4]))


_POLL_TABLE = cast(Table, Poll.__table__)
# Built once, as `_BALLOT` below: every ballot read (`GET /books`) runs it.
_OPEN_POLL = select(Poll).where(Poll.status == OPEN).execution_options(populate_existing=True)


async def get_open_poll(session: AsyncSession) -> Poll | None:
    return (await session.execute(_OPEN_POLL)).scalar_one_or_none()


_OPEN_POLL_DEADLINE = select(_POLL_TABLE.c.closes_at).where(_POLL_TABLE.c.status == OPEN)


async def get_open_poll_deadline(reads: Reads) -> datetime | None:
    """When the open poll closes; None when no poll is open (every write request asks: a plain
    read, decision 0046)."""
    deadline: datetime | None = await reads.scalar(_OPEN_POLL_DEADLINE)
    return deadline


async def lock_open_poll(session: AsyncSession) -> Poll | None:
    """The open poll, its row locked until commit (ballot changes wait for a closing poll)."""
    return (
        await session.execute(
            select(Poll)
            .where(Poll.status == OPEN)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()


async def latest_poll(session: AsyncSession) -> Poll | None:
    return (
        await session.execute(select(Poll).order_by(Poll.id.desc()).limit(1))
    ).scalar_one_or_none()


async def insert_poll(
    session: AsyncSession, *, month: str, opens_at: datetime, closes_at: datetime
) -> int | None:
    """Open a poll; None when another one is open already or the month has its poll."""
    result = await session.execute(
        insert_ignore(
            session,
            Poll,
            month=month,
            status=OPEN,
            opens_at=opens_at,
            closes_at=closes_at,
            winner_votes=0,
            total_votes=0,
            vote_seq=0,
        ).returning(Poll.id)
    )
    return result.scalar_one_or_none()


# On the table, not the mapped class: SQLAlchemy's Core path, without the ORM's bulk-update
# set-up on every vote (decision 0039).
_CLAIM_VOTE = (
    update(_POLL_TABLE)
    .where(_POLL_TABLE.c.status == OPEN, _POLL_TABLE.c.closes_at > bindparam("now"))
    .values(vote_seq=_POLL_TABLE.c.vote_seq + 1)
    .returning(_POLL_TABLE.c.id, _POLL_TABLE.c.vote_seq)
)
_CLAIM_POLL_VOTE = _CLAIM_VOTE.where(_POLL_TABLE.c.id == bindparam("poll_id"))


async def claim_vote(writes: Writes, now: datetime, poll_id: int | None) -> tuple[int, int] | None:
    """Take the next vote number of the open poll (before its deadline): (poll id, number).
    None when no such poll is open."""
    if poll_id is None:
        rows = await writes.tuples(_CLAIM_VOTE, {"now": now})
    else:
        rows = await writes.tuples(_CLAIM_POLL_VOTE, {"now": now, "poll_id": poll_id})
    return (int(rows[0][0]), int(rows[0][1])) if rows else None


_POLL_MONTH = select(_POLL_TABLE.c.month).where(_POLL_TABLE.c.id == bindparam("poll_id"))


async def get_poll_month(writes: Writes, poll_id: int) -> str | None:
    """The poll's month, or None when there is no such poll."""
    rows = await writes.tuples(_POLL_MONTH, {"poll_id": poll_id})
    return str(rows[0][0]) if rows else None


async def mark_closed(
    session: AsyncSession, poll_id: int, now: datetime, reason: str, closed_by: int | None
) -> bool:
    """Close the poll if it is still open; False when someone else closed it first."""
    result = await session.execute(
        update(Poll)
        .where(Poll.id == poll_id, Poll.status == OPEN)
        .values(status=CLOSED, closed_at=now, close_reason=reason, closed_by=closed_by)
        .returning(Poll.id)
        .execution_options(synchronize_session=False)
    )
    return result.first() is not None


async def record_result(
    session: AsyncSession,
    poll_id: int,
    *,
    winner_book_id: int | None,
    winner_votes: int,
    total_votes: int,
) -> None:
    await session.execute(
        update(Poll)
        .where(Poll.id == poll_id)
        .values(winner_book_id=winner_book_id, winner_votes=winner_votes, total_votes=total_votes)
        .execution_options(synchronize_session=False)
    )


async def set_deadline(session: AsyncSession, poll_id: int, closes_at: datetime) -> None:
    await session.execute(
        update(Poll)
        .where(Poll.id == poll_id)
        .values(closes_at=closes_at)
        .execution_options(synchronize_session=False)
    )


async def list_polls(
    session: AsyncSession, *, limit: int, before: int | None
) -> list[tuple[Poll, Book | None]]:
    """A page of polls, newest first, each with its winning book."""
    query = (
        select(Poll, Book)
        .outerjoin(Book, Book.id == Poll.winner_book_id)
        .order_by(Poll.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Poll.id < before)
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def latest_winner(session: AsyncSession) -> tuple[Poll, Book] | None:
    row = (
        await session.execute(
            select(Poll, Book)
            .join(Book, Book.id == Poll.winner_book_id)
            .where(Poll.status == CLOSED)
            .order_by(Poll.id.desc())
            .limit(1)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def was_winner(session: AsyncSession, book_id: int) -> bool:
    found = await session.scalar(select(Poll.id).where(Poll.winner_book_id == book_id).limit(1))
    return found is not None


# ---------------------------------------------------------------- books and ballots


async def get_book(session: AsyncSession, book_id: int) -> Book | None:
    return await session.get(Book, book_id)


async def find_book(session: AsyncSession, title_key: str, author_key: str) -> Book | None:
    return (
        await session.execute(
            select(Book).where(Book.title_key == title_key, Book.author_key == author_key)
        )
    ).scalar_one_or_none()


async def insert_book(
    session: AsyncSession,
    *,
    title: str,
    author: str,
    description: str,
    title_key: str,
    author_key: str,
    added_by: int,
    now: datetime,
) -> None:
    """Add a book to the catalogue unless one with the same keys exists (a race is fine)."""
    await session.execute(
        insert_ignore(
            session,
            Book,
            title=title,
            author=author,
            description=description,
            title_key=title_key,
            author_key=author_key,
            added_by=added_by,
            created_at=now,
        )
    )


# A vote's statements are built once, with bind parameters: building them (the aliased join
# above all) cost more CPU than running them (docs/performance.md, issue 17).
_PREVIOUS_BOOK = aliased(Book.__table__)
_BOOK_TABLE = Book.__table__
_VOTE_TABLE = Vote.__table__
_CANDIDATE_TABLE = Candidate.__table__
_VOTE_TARGET = (
    select(
        _BOOK_TABLE.c.id,
        _BOOK_TABLE.c.title,
        _BOOK_TABLE.c.author,
        _BOOK_TABLE.c.description,
        _CANDIDATE_TABLE.c.book_id,
        _VOTE_TABLE.c.book_id,
        _PREVIOUS_BOOK.c.title,
    )
    .select_from(_BOOK_TABLE)
    .outerjoin(
        _CANDIDATE_TABLE,
        and_(
            _CANDIDATE_TABLE.c.book_id == _BOOK_TABLE.c.id,
            _CANDIDATE_TABLE.c.poll_id == bindparam("poll_id"),
        ),
    )
    .outerjoin(
        _VOTE_TABLE,
        and_(
            _VOTE_TABLE.c.poll_id == bindparam("poll_id"),
            _VOTE_TABLE.c.user_id == bindparam("user_id"),
        ),
    )
    .outerjoin(_PREVIOUS_BOOK, _PREVIOUS_BOOK.c.id == _VOTE_TABLE.c.book_id)
    .where(_BOOK_TABLE.c.id == bindparam("book_id"))
)


async def get_vote_target(
    writes: Writes, poll_id: int, book_id: int, user_id: int
) -> VoteTarget | None:
    """The book voted for, whether it is on the poll's ballot, and the user's current vote in
    the poll; one round trip, as the vote holds the poll's row meanwhile. None: no such book."""
    rows = await writes.tuples(
        _VOTE_TARGET, {"poll_id": poll_id, "user_id": user_id, "book_id": book_id}
    )
    if not rows:
        return None
    row = rows[0]
    return VoteTarget(
        book=BallotBook(row[0], row[1], row[2], row[3]),
        on_ballot=row[4] is not None,
        # An outer join: None when the user has not voted in this poll.
        previous_book_id=row[5],
        previous_title=row[6],
    )


async def add_candidate(
    session: AsyncSession, poll_id: int, book_id: int, now: datetime, added_by: int | None
) -> bool:
    """Put a book on a poll's ballot; False when it is there already."""
    result = await session.execute(
        insert_ignore(
            session, Candidate, poll_id=poll_id, book_id=book_id, added_at=now, added_by=added_by
        ).returning(Candidate.book_id)
    )
    return result.first() is not None


async def copy_candidates(
    session: AsyncSession, from_poll: int, to_poll: int, except_book: int | None
) -> None:
    """Carry a closed poll's ballot (all but its winner) over to the next poll, in its order."""
    source = select(
        literal(to_poll, BigId), Candidate.book_id, Candidate.added_at, Candidate.added_by
    ).where(Candidate.poll_id == from_poll)
    if except_book is not None:
        source = source.where(Candidate.book_id != except_book)
    await session.execute(
        insert(Candidate).from_select(["poll_id", "book_id", "added_at", "added_by"], source)
    )


# The ballot's statements are built once, from the tables' columns (SQLAlchemy's Core path: no ORM
# compile state or object loading on every read; decisions 0034, 0039).
_POLLS = Poll.__table__.c
_BOOKS = Book.__table__.c
_CANDIDATES = Candidate.__table__.c
_VOTES = Vote.__table__.c
_BALLOT_BOOK = (_BOOKS.id, _BOOKS.title, _BOOKS.author, _BOOKS.description)
# A candidate's votes: counted, never kept (decision 0039 weighed a counter column).
_CANDIDATE_VOTES = (
    select(func.count())
    .select_from(Vote.__table__)
    .where(_VOTES.poll_id == _CANDIDATES.poll_id, _VOTES.book_id == _CANDIDATES.book_id)
    .scalar_subquery()
)
_BALLOT = (
    select(*_BALLOT_BOOK, _CANDIDATE_VOTES)
    .select_from(Candidate.__table__.join(Book.__table__, _BOOKS.id == _CANDIDATES.book_id))
    .where(_CANDIDATES.poll_id == bindparam("poll_id"))
    .order_by(_CANDIDATES.added_at, _BOOKS.id)
)
# The open poll, one row per candidate in ballot order (one row with no candidate for an empty
# ballot), each with its votes, the poll's votes and the caller's vote: all of `GET /books` and
# `GET /vote/status` in one statement, read from one snapshot (on `Reads`, decision 0044).
_OPEN_BALLOT = (
    select(
        _POLLS.id.label("poll_id"),
        _POLLS.month.label("poll_month"),
        _POLLS.opens_at.label("poll_opens_at"),
        _POLLS.closes_at.label("poll_closes_at"),
        *(column.label(f"book_{column.name}") for column in _BALLOT_BOOK),
        _CANDIDATE_VOTES.label("book_votes"),
        select(func.count())
        .select_from(Vote.__table__)
        .where(_VOTES.poll_id == _POLLS.id)
        .scalar_subquery()
        .label("poll_votes"),
        select(_VOTES.book_id)
        .where(_VOTES.poll_id == _POLLS.id, _VOTES.user_id == bindparam("user_id"))
        .scalar_subquery()
        .label("my_vote"),
    )
    .select_from(
        Poll.__table__.outerjoin(Candidate.__table__, _CANDIDATES.poll_id == _POLLS.id).outerjoin(
            Book.__table__, _BOOKS.id == _CANDIDATES.book_id
        )
    )
    .where(_POLLS.status == OPEN)
    .order_by(_CANDIDATES.added_at, _BOOKS.id)
)


async def ballot(unit: AsyncSession | Reads, poll_id: int) -> list[BallotLine]:
    """A poll's candidates in ballot order, each with its number of votes."""
    params = {"poll_id": poll_id}
    if isinstance(unit, Reads):
        rows: Sequence[Any] = await unit.tuples(_BALLOT, params)
    else:
        rows = (await unit.execute(_BALLOT, params)).all()
    return [BallotLine(BallotBook(row[0], row[1], row[2], row[3]), int(row[4])) for row in rows]


async def open_ballot(reads: Reads, user_id: int | None) -> OpenBallot | None:
    """The open poll's ballot, counts and `user_id`'s vote (None: nobody's); None when no poll
    is open."""
    rows = await reads.all(_OPEN_BALLOT, {"user_id": user_id})
    if not rows:
        return None
    first = rows[0]
    poll = BallotPoll(
        first["poll_id"], first["poll_month"], first["poll_opens_at"], first["poll_closes_at"]
    )
    lines = [
        BallotLine(
            BallotBook(
                row["book_id"], row["book_title"], row["book_author"], row["book_description"]
            ),
            int(row["book_votes"]),
        )
        for row in rows
        if row["book_id"] is not None
    ]
    my_vote = first["my_vote"]
    return OpenBallot(
        poll, lines, int(first["poll_votes"]), int(my_vote) if my_vote is not None else None
    )


_BALLOT_BOOK_BY_ID = select(*_BALLOT_BOOK).where(_BOOKS.id == bindparam("book_id"))


async def read_ballot_book(reads: Reads, book_id: int) -> BallotBook | None:
    """A book as a ballot shows it (the winner a poll past its deadline has before its close is
    recorded)."""
    row = await reads.one(_BALLOT_BOOK_BY_ID, {"book_id": book_id})
    if row is None:
        return None
    return BallotBook(row["id"], row["title"], row["author"], row["description"])


async def find_candidate_by_keys(
    session: AsyncSession, poll_id: int, title_key: str, author_key: str
) -> Book | None:
    return (
        await session.execute(
            select(Book)
            .join(Candidate, Candidate.book_id == Book.id)
            .where(
                Candidate.poll_id == poll_id,
                Book.title_key == title_key,
                Book.author_key == author_key,
            )
        )
    ).scalar_one_or_none()


# ---------------------------------------------------------------- votes


_USER_VOTE = select(_VOTES.book_id).where(
    _VOTES.poll_id == bindparam("poll_id"), _VOTES.user_id == bindparam("user_id")
)


async def get_user_vote(unit: AsyncSession | Reads, poll_id: int, user_id: int) -> int | None:
    """The book a user votes for in a poll, if any."""
    params = {"poll_id": poll_id, "user_id": user_id}
    book_id = await unit.scalar(_USER_VOTE, params)
    return int(book_id) if book_id is not None else None


def _upsert_vote_statement(insert: Any) -> Any:
    statement = insert(Vote.__table__).values(
        {name: bindparam(name) for name in ("poll_id", "user_id", "book_id", "voted_at", "seq")}
    )
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["poll_id", "user_id"],
        set_={"book_id": excluded.book_id, "voted_at": excluded.voted_at, "seq": excluded.seq},
    )


_UPSERT_VOTE = {
    "postgresql": _upsert_vote_statement(postgresql.insert),
    "sqlite": _upsert_vote_statement(sqlite.insert),
}


async def upsert_vote(
    writes: Writes, *, poll_id: int, user_id: int, book_id: int, now: datetime, seq: int
) -> None:
    """The user's one vote in the poll now names `book_id` (inserted, or moved in place)."""
    dialect = writes.dialect_name
    statement = _UPSERT_VOTE.get(dialect)
    if statement is None:
        raise NotImplementedError(f"votes are not implemented for {dialect}")
    values = {"poll_id": poll_id, "user_id": user_id, "book_id": book_id, "voted_at": now}
    await writes.execute(statement, {**values, "seq": seq})


_COUNT_VOTES = select(
    func.count(case((Vote.book_id == bindparam("book_id"), 1))), func.count()
).where(Vote.poll_id == bindparam("poll_id"))


async def count_votes(writes: Writes, poll_id: int, book_id: int) -> tuple[int, int]:
    """(votes for the book, votes in the poll)."""
    rows = await writes.tuples(_COUNT_VOTES, {"poll_id": poll_id, "book_id": book_id})
    return int(rows[0][0]), int(rows[0][1])


_COUNT_POLL_VOTES = (
    select(func.count()).select_from(Vote).where(Vote.poll_id == bindparam("poll_id"))
)


async def count_poll_votes(session: AsyncSession, poll_id: int) -> int:
    return int(await session.scalar(_COUNT_POLL_VOTES, {"poll_id": poll_id}) or 0)


# Every voted-for book of a poll with its count and its last current vote. MAX() keeps the
# column's type, so times come back as aware UTC datetimes on both backends.
_TALLY = (
    select(
        _VOTES.book_id.label("book_id"),
        func.count(_VOTES.id).label("votes"),
        func.max(_VOTES.voted_at).label("last_voted_at"),
        func.max(_VOTES.seq).label("last_seq"),
    )
    .where(_VOTES.poll_id == bindparam("poll_id"))
    .group_by(_VOTES.book_id)
)


def _tally(row: Mapping[Any, Any]) -> Tally:
    return Tally(
        book_id=int(row["book_id"]),
        votes=int(row["votes"]),
        last_voted_at=row["last_voted_at"],
        last_seq=int(row["last_seq"]),
    )


async def tally(session: AsyncSession, poll_id: int) -> list[Tally]:
    """Every voted-for book of a poll with its count and its last current vote."""
    result = await session.execute(_TALLY, {"poll_id": poll_id})
    return [_tally(row) for row in result.mappings()]


async def read_tally(reads: Reads, poll_id: int) -> list[Tally]:
    """`tally` on `Reads`: what a read shows of the open poll past its deadline."""
    return [_tally(row) for row in await reads.all(_TALLY, {"poll_id": poll_id})]


# ---------------------------------------------------------------- nominations


async def take_nomination_slot(session: AsyncSession, user_id: int, limit: int) -> bool:
    """Count one more pending nomination for the user; False when they have `limit` already."""
    await session.execute(insert_ignore(session, Nominator, user_id=user_id, pending=0))
    result = await session.execute(
        update(Nominator)
        .where(Nominator.user_id == user_id, Nominator.pending < limit)
        .values(pending=Nominator.pending + 1)
        .returning(Nominator.pending)
        .execution_options(synchronize_session=False)
    )
    return result.first() is not None


async def release_nomination_slot(session: AsyncSession, user_id: int) -> None:
    await session.execute(
        update(Nominator)
        .where(Nominator.user_id == user_id, Nominator.pending > 0)
        .values(pending=Nominator.pending - 1)
        .execution_options(synchronize_session=False)
    )


async def insert_nomination(
    session: AsyncSession,
    *,
    user_id: int,
    username: str,
    title: str,
    author: str,
    description: str,
    title_key: str,
    author_key: str,
    now: datetime,
) -> int | None:
    """Record a pending nomination; None when the member has the same book pending already."""
    result = await session.execute(
        insert_ignore(
            session,
            Nomination,
            user_id=user_id,
            username=username,
            title=title,
            author=author,
            description=description,
            title_key=title_key,
            author_key=author_key,
            created_at=now,
            status=PENDING,
        ).returning(Nomination.id)
    )
    return result.scalar_one_or_none()


async def get_nomination(session: AsyncSession, nomination_id: int) -> Nomination | None:
    return await session.get(Nomination, nomination_id, populate_existing=True)


async def decide_nomination(
    session: AsyncSession,
    nomination_id: int,
    *,
    status: str,
    now: datetime,
    decided_by: int,
    reason: str | None = None,
    book_id: int | None = None,
    poll_id: int | None = None,
) -> bool:
    """Move a pending nomination to `status`; False when it was no longer pending."""
    result = await session.execute(
        update(Nomination)
        .where(Nomination.id == nomination_id, Nomination.status == PENDING)
        .values(
            status=status,
            decided_at=now,
            decided_by=decided_by,
            reason=reason,
            book_id=book_id,
            poll_id=poll_id,
        )
        .returning(Nomination.id)
        .execution_options(synchronize_session=False)
    )
    return result.first() is not None


async def list_nominations(
    session: AsyncSession,
    *,
    user_id: int | None,
    status: str | None,
    limit: int,
    before: int | None,
) -> list[Nomination]:
    """A page of nominations, newest first, of one member (or everyone's), of one status (or
    all)."""
    query = select(Nomination).order_by(Nomination.id.desc()).limit(limit)
    if user_id is not None:
        query = query.where(Nomination.user_id == user_id)
    if status is not None:
        query = query.where(Nomination.status == status)
    if before is not None:
        query = query.where(Nomination.id < before)
    return list((await session.execute(query)).scalars())
