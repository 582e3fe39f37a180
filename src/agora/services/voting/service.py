"""Business rules of the voting service: the ballot, nominations, votes, and the monthly poll cycle
(open, deadline, close with a winner, next month's poll), plus the live counts on the hub."""

from __future__ import annotations

import asyncio
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.voting import PollClosed
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.clock import Clock
from agora.platform.db import Database, after_commit
from agora.platform.deps import check_acting_user
from agora.platform.errors import Conflict, Forbidden, NotFound, ValidationFailed
from agora.platform.pagination import parse_id_cursor
from agora.platform.realtime.base import Hub
from agora.services.voting import repository as repo
from agora.services.voting.models import (
    APPROVED,
    OPEN,
    PENDING,
    REJECTED,
    WITHDRAWN,
    Book,
    Nomination,
    Poll,
)
from agora.services.voting.repository import BallotLine, Tally
from agora.services.voting.schemas import BookCreate, VoteCreate

log = structlog.get_logger("agora.voting")

NOMINATION_LIMIT = 3
# How long the gateway may serve an anonymous ballot from its cache; votes through the gateway drop
# it at once, so this only bounds how stale a count can get from writes that raced the read.
LIST_CACHE_SECONDS = 5

VoteKind = Literal["created", "moved", "unchanged"]


# ---------------------------------------------------------------- months


def month_of(moment: datetime) -> str:
    """The "YYYY-MM" month of a moment, in UTC."""
    moment = moment.astimezone(UTC)
    return f"{moment.year:04d}-{moment.month:02d}"


def month_after(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def month_start(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1, tzinfo=UTC)


def default_deadline(month: str) -> datetime:
    """A month's poll closes at the first instant of the next month (UTC)."""
    return month_start(month_after(month))


def book_key(text: str) -> str:
    """Titles and authors compare without case or spacing differences."""
    return " ".join(text.split()).casefold()


def pick_winner(tallies: Sequence[Tally]) -> Tally | None:
    """Most votes; among equals, the book whose last current vote came first (it reached its
    final count first). `last_seq` orders votes cast within the same clock instant."""
    voted = [t for t in tallies if t.votes > 0]
    if not voted:
        return None
    return min(voted, key=lambda t: (-t.votes, t.last_voted_at, t.last_seq))


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    """What a vote did."""

    poll_id: int
    book: Book
    kind: VoteKind
    previous_book_id: int | None
    previous_title: str | None
    votes: int
    total_votes: int
    seq: int

    @property
    def message(self) -> str:
        if self.kind == "moved":
            return f'Vote moved from "{self.previous_title}" to "{self.book.title}"'
        if self.kind == "unchanged":
            return f'You already voted for "{self.book.title}"; nothing changed'
        return "Vote submitted successfully"


@dataclass(frozen=True, slots=True)
class PollView:
    """A poll with its winning book (closed polls with votes) and its votes so far."""

    poll: Poll
    winner: Book | None
    total_votes: int


@dataclass(frozen=True, slots=True)
class BallotView:
    """A poll's candidates with counts, and the caller's vote."""

    poll: Poll
    winner: Book | None
    lines: list[BallotLine]
    my_vote: int | None

    @property
    def total_votes(self) -> int:
        return sum(line.votes for line in self.lines)


@dataclass(frozen=True, slots=True)
class CloseOutcome:
    """A closed poll with its result, and the poll opened after it."""

    closed: PollView
    next_poll: PollView


# ---------------------------------------------------------------- live counts


def counts_of(lines: Sequence[BallotLine]) -> list[dict[str, Any]]:
    return [{"book_id": ln.book.id, "title": ln.book.title, "votes": ln.votes} for ln in lines]


def state_frame(poll: Poll, lines: Sequence[BallotLine]) -> dict[str, Any]:
    """A poll's counts as the live channel carries them (without `type`, offset and epoch)."""
    return {
        "poll_id": poll.id,
        "month": poll.month,
        "status": poll.status,
        "closes_at": poll.closes_at.isoformat(),
        "counts": counts_of(lines),
        "total_votes": sum(line.votes for line in lines),
        "seq": poll.vote_seq,
    }


class LiveCounts:
    """Publishes a poll's counts on `poll:<id>` after changes commit.

    Counts are read after the commit, inside a lock per poll, so the frames of one instance never
    show counts going backwards. A change whose commit happened before a read started is covered
    by that read's frame, so a burst of votes yields fewer frames than votes, each with the newest
    counts (`seq` orders frames across instances).
    """

    def __init__(self, database: Database, hub: Hub) -> None:
        self.database = database
        self.hub = hub
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._changes: dict[int, int] = {}
        self._covered: dict[int, int] = {}

    @staticmethod
    def channel(poll_id: int) -> str:
        return f"poll:{poll_id}"

    async def read_state(self, poll_id: int, user_id: int | None = None) -> dict[str, Any] | None:
        """The poll's counts now (with `my_vote` when a user is given); None for an unknown id."""
        async with self.database.session(read_only=True) as session:
            poll = await repo.get_poll(session, poll_id)
            if poll is None:
                return None
            state = state_frame(poll, await repo.ballot(session, poll_id))
            if user_id is not None:
                state["my_vote"] = await repo.get_user_vote(session, poll_id, user_id)
        return state

    async def poll_changed(self, poll_id: int) -> None:
        change = self._changes[poll_id] = self._changes.get(poll_id, 0) + 1
        async with self._locks[poll_id]:
            if self._covered.get(poll_id, 0) >= change:
                return
            covered = self._changes[poll_id]
            state = await self.read_state(poll_id)
            # A closed poll's final counts travel in its `closed` frame.
            if state is not None and state["status"] == OPEN:
                await self.hub.publish(self.channel(poll_id), {"type": "votes", **state})
            self._covered[poll_id] = covered

    async def poll_closed(self, frame: dict[str, Any], next_poll_id: int) -> None:
        async with self._locks[frame["poll_id"]]:
            await self.hub.publish(self.channel(frame["poll_id"]), frame)
        await self.poll_changed(next_poll_id)


# ---------------------------------------------------------------- the service


class VotingService:
    """The voting rules. Endpoints hand it the request's session; it only flushes."""

    def __init__(self, *, database: Database, clock: Clock, hub: Hub) -> None:
        self.database = database
        self.clock = clock
        self.live = LiveCounts(database, hub)

    # ------------------------------------------------------------ the poll cycle

    async def settle(self, *, close_due: bool = True) -> None:
        """Open a poll if none is open, and (unless told not to) close the open one if its
        deadline has passed.

        Run by the deadline job every few seconds and before every request, in sessions of its
        own (so a read request's snapshot starts after any close).
        """
        now = self.clock.now()
        async with self.database.session(read_only=True) as session:
            poll = await repo.get_open_poll(session)
        if poll is not None and (poll.closes_at > now or not close_due):
            return
        async with self.database.session() as session:
            poll = await repo.lock_open_poll(session)
            if poll is None:
                opened = await self._open_poll(session, now, after=await repo.latest_poll(session))
                if opened is not None:
                    log.info("poll_opened", poll_id=opened.id, month=opened.month)
            elif close_due and poll.closes_at <= now:
                # It closed at its deadline, whenever this check happened to notice.
                await self._close(
                    session,
                    poll.id,
                    closed_at=poll.closes_at,
                    now=now,
                    reason="deadline",
                    closed_by=None,
                )

    async def _open_poll(
        self,
        session: AsyncSession,
        now: datetime,
        after: Poll | None,
        opens_at: datetime | None = None,
    ) -> Poll | None:
        """Open the poll of this month, or of the month after `after` if that is later (so its
        deadline is always ahead). None when another poll is open already (a concurrent opener
        won)."""
        month = month_of(now)
        if after is not None:
            month = max(month, month_after(after.month))
        poll_id = await repo.insert_poll(
            session, month=month, opens_at=opens_at or now, closes_at=default_deadline(month)
        )
        return await repo.get_poll(session, poll_id) if poll_id is not None else None

    async def _close(
        self,
        session: AsyncSession,
        poll_id: int,
        *,
        closed_at: datetime,
        now: datetime,
        reason: str,
        closed_by: int | None,
    ) -> CloseOutcome:
        """Close the poll, pick its winner, emit `voting.poll_closed`, and open the next poll with
        the rest of the ballot; all in the caller's transaction."""
        if not await repo.mark_closed(session, poll_id, closed_at, reason, closed_by):
            raise Conflict(f"Poll {poll_id} is already closed", code="poll_closed")
        tallies = await repo.tally(session, poll_id)
        best = pick_winner(tallies)
        total = sum(t.votes for t in tallies)
        await repo.record_result(
            session,
            poll_id,
            winner_book_id=best.book_id if best else None,
            winner_votes=best.votes if best else 0,
            total_votes=total,
        )
        closed = await _reload(session, poll_id)
        winner = await repo.get_book(session, best.book_id) if best else None
        await emit(
            session,
            PollClosed(
                poll_id=closed.id,
                month=closed.month,
                winner_book_id=winner.id if winner else None,
                winner_title=winner.title if winner else None,
                winner_author=winner.author if winner else None,
                total_votes=total,
                closed_at=closed_at,
            ),
        )
        next_poll = await self._open_poll(session, now, after=closed, opens_at=closed_at)
        if next_poll is None:
            raise RuntimeError(f"could not open the poll after {closed.month}")
        await repo.copy_candidates(
            session, closed.id, next_poll.id, except_book=closed.winner_book_id
        )
        frame = {
            "type": "closed",
            "poll_id": closed.id,
            "month": closed.month,
            "winner": (
                {
                    "book_id": winner.id,
                    "title": winner.title,
                    "author": winner.author,
                    "votes": closed.winner_votes,
                }
                if winner
                else None
            ),
            "total_votes": total,
            "counts": counts_of(await repo.ballot(session, closed.id)),
            "closed_at": closed_at.isoformat(),
            "next_poll_id": next_poll.id,
        }
        after_commit(session, functools.partial(self.live.poll_closed, frame, next_poll.id))
        log.info(
            "poll_closed",
            poll_id=closed.id,
            month=closed.month,
            reason=reason,
            winner_book_id=closed.winner_book_id,
            total_votes=total,
            next_poll_id=next_poll.id,
        )
        return CloseOutcome(
            closed=PollView(closed, winner, total), next_poll=PollView(next_poll, None, 0)
        )

    async def do_close(
        self, session: AsyncSession, me: Principal, poll_id: int | None
    ) -> CloseOutcome:
        """An admin closes the open poll now (or, when `poll_id` is given, that poll if open)."""
        if not me.is_admin:
            raise Forbidden("Only admins can close polls", code="admin_required")
        poll = await repo.lock_open_poll(session)
        if poll_id is not None and (poll is None or poll.id != poll_id):
            named = await repo.get_poll(session, poll_id)
            if named is None:
                raise NotFound(f"No poll with id {poll_id}", code="poll_not_found")
            raise Conflict(f"The {named.month} poll is already closed", code="poll_closed")
        if poll is None:
            raise Conflict("No poll is open", code="no_open_poll")
        now = self.clock.now()
        return await self._close(
            session, poll.id, closed_at=now, now=now, reason="admin", closed_by=me.user_id
        )

    async def do_set_deadline(
        self, session: AsyncSession, me: Principal, closes_at: datetime
    ) -> PollView:
        if not me.is_admin:
            raise Forbidden("Only admins can change the deadline", code="admin_required")
        if closes_at <= self.clock.now():
            raise ValidationFailed.field("body.closes_at", "must be in the future")
        poll = await self._lock_open(session)
        await repo.set_deadline(session, poll.id, closes_at)
        after_commit(session, functools.partial(self.live.poll_changed, poll.id))
        total = await repo.count_poll_votes(session, poll.id)
        return PollView(await _reload(session, poll.id), None, total)

    async def _lock_open(self, session: AsyncSession) -> Poll:
        poll = await repo.lock_open_poll(session)
        if poll is None:
            raise Conflict("No poll is open right now; try again in a moment", code="no_open_poll")
        return poll

    # ------------------------------------------------------------ reading polls

    def cache_seconds(self, poll: Poll) -> int:
        """How long a public view of the open poll may be cached: a few seconds, never past the
        deadline (0: do not cache)."""
        left = (poll.closes_at - self.clock.now()).total_seconds()
        return max(0, min(LIST_CACHE_SECONDS, int(left)))

    async def get_open_poll(self, session: AsyncSession) -> Poll:
        poll = await repo.get_open_poll(session)
        if poll is None:
            raise Conflict("No poll is open right now; try again in a moment", code="no_open_poll")
        return poll

    async def get_ballot(
        self, session: AsyncSession, me: Principal | None, poll_id: int | None = None
    ) -> BallotView:
        """A poll's ballot with counts: the open poll's, or the named one's."""
        if poll_id is None:
            poll = await self.get_open_poll(session)
        else:
            found = await repo.get_poll(session, poll_id)
            if found is None:
                raise NotFound(f"No poll with id {poll_id}", code="poll_not_found")
            poll = found
        lines = await repo.ballot(session, poll.id)
        my_vote = await repo.get_user_vote(session, poll.id, me.user_id) if me else None
        winner = await repo.get_book(session, poll.winner_book_id) if poll.winner_book_id else None
        return BallotView(poll, winner, lines, my_vote)

    async def list_polls(
        self, session: AsyncSession, *, limit: int, cursor: str | None
    ) -> tuple[list[PollView], str | None]:
        rows = await repo.list_polls(session, limit=limit + 1, before=_before(cursor))
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = str(rows[-1][0].id) if more and rows else None
        views = [
            PollView(
                poll,
                book,
                # An open poll's total is live; a closed one's was recorded when it closed.
                await repo.count_poll_votes(session, poll.id)
                if poll.status == OPEN
                else poll.total_votes,
            )
            for poll, book in rows
        ]
        return views, next_cursor

    async def get_book_of_the_month(self, session: AsyncSession) -> tuple[Poll, Book]:
        """The newest closed poll's winner, with its poll."""
        found = await repo.latest_winner(session)
        if found is None:
            raise NotFound("No book of the month has been chosen yet", code="no_book_of_the_month")
        return found

    # ------------------------------------------------------------ books

    async def _book_for(
        self, session: AsyncSession, data: BookCreate, added_by: int, now: datetime
    ) -> Book:
        """The catalogue's book with this title and author, created if new."""
        title_key, author_key = book_key(data.title), book_key(data.author)
        book = await repo.find_book(session, title_key, author_key)
        if book is None:
            await repo.insert_book(
                session,
                {
                    "title": data.title,
                    "author": data.author,
                    "description": data.description,
                    "title_key": title_key,
                    "author_key": author_key,
                    "added_by": added_by,
                    "created_at": now,
                },
            )
            book = await repo.find_book(session, title_key, author_key)
            if book is None:
                raise RuntimeError(f"book {title_key!r} vanished right after it was added")
        return book

    async def _put_on_ballot(
        self, session: AsyncSession, poll: Poll, book: Book, added_by: int, now: datetime
    ) -> None:
        if await repo.was_winner(session, book.id):
            raise Conflict(
                f'"{book.title}" was a book of the month already',
                code="already_book_of_the_month",
            )
        if not await repo.add_candidate(session, poll.id, book.id, now, added_by):
            raise Conflict(
                f'"{book.title}" by {book.author} is already on the {poll.month} ballot',
                code="duplicate_book",
            )
        after_commit(session, functools.partial(self.live.poll_changed, poll.id))

    async def do_add_book(
        self, session: AsyncSession, me: Principal, data: BookCreate
    ) -> tuple[Poll, Book]:
        """An admin puts a book on the open poll's ballot."""
        if not me.is_admin:
            raise Forbidden("Only admins can add candidate books", code="admin_required")
        now = self.clock.now()
        poll = await self._lock_open(session)
        book = await self._book_for(session, data, me.user_id, now)
        await self._put_on_ballot(session, poll, book, me.user_id, now)
        log.info("book_added", poll_id=poll.id, book_id=book.id)
        return poll, book

    # ------------------------------------------------------------ votes

    async def do_vote(self, session: AsyncSession, me: Principal, body: VoteCreate) -> VoteOutcome:
        """Cast, move or repeat the user's one vote in the open poll."""
        check_acting_user(me, body.user_id, field="user_id")
        now = self.clock.now()
        claim = await repo.claim_vote(session, now, body.poll_id)
        if claim is None:
            raise await self._why_no_vote(session, body.poll_id)
        poll_id, seq = claim
        ballot = await repo.get_vote_target(session, poll_id, body.book_id, me.user_id)
        if ballot is None:
            raise NotFound(f"No book with id {body.book_id}", code="book_not_found")
        book, previous_id = ballot.book, ballot.previous_book_id
        if not ballot.on_ballot:
            raise Conflict(
                f'"{book.title}" is not a candidate of the current poll', code="not_a_candidate"
            )
        kind: VoteKind
        if previous_id == book.id:
            kind = "unchanged"
        else:
            await repo.upsert_vote(
                session, poll_id=poll_id, user_id=me.user_id, book_id=book.id, now=now, seq=seq
            )
            kind = "created" if previous_id is None else "moved"
            after_commit(session, functools.partial(self.live.poll_changed, poll_id))
        votes, total = await repo.count_votes(session, poll_id, book.id)
        return VoteOutcome(
            poll_id=poll_id,
            book=book,
            kind=kind,
            previous_book_id=previous_id if kind == "moved" else None,
            previous_title=ballot.previous_title if kind == "moved" else None,
            votes=votes,
            total_votes=total,
            seq=seq,
        )

    async def _why_no_vote(self, session: AsyncSession, poll_id: int | None) -> Exception:
        if poll_id is not None:
            poll = await repo.get_poll(session, poll_id)
            if poll is None:
                return NotFound(f"No poll with id {poll_id}", code="poll_not_found")
            return Conflict(f"The {poll.month} poll is closed", code="poll_closed")
        return Conflict("Voting is closed: the poll reached its deadline", code="poll_closed")

    # ------------------------------------------------------------ nominations

    async def do_nominate(
        self, session: AsyncSession, me: Principal, data: BookCreate
    ) -> Nomination:
        """A member suggests a book; at most `NOMINATION_LIMIT` of theirs wait at a time."""
        now = self.clock.now()
        title_key, author_key = book_key(data.title), book_key(data.author)
        poll = await self.get_open_poll(session)
        if await repo.find_candidate_by_keys(session, poll.id, title_key, author_key):
            raise Conflict(
                f'"{data.title}" is already on the {poll.month} ballot', code="already_a_candidate"
            )
        known = await repo.find_book(session, title_key, author_key)
        if known is not None and await repo.was_winner(session, known.id):
            raise Conflict(
                f'"{known.title}" was a book of the month already',
                code="already_book_of_the_month",
            )
        if not await repo.take_nomination_slot(session, me.user_id, NOMINATION_LIMIT):
            raise Conflict(
                f"You have {NOMINATION_LIMIT} nominations waiting for a decision already",
                code="too_many_nominations",
            )
        nomination_id = await repo.insert_nomination(
            session,
            {
                "user_id": me.user_id,
                "username": me.username,
                "title": data.title,
                "author": data.author,
                "description": data.description,
                "title_key": title_key,
                "author_key": author_key,
                "created_at": now,
            },
        )
        if nomination_id is None:
            raise Conflict(f'You nominated "{data.title}" already', code="already_nominated")
        return await _reload_nomination(session, nomination_id)

    async def list_nominations(
        self,
        session: AsyncSession,
        me: Principal,
        *,
        status: str | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[Nomination], str | None]:
        """Admins see everyone's (pending unless another status is asked); members their own."""
        if me.is_admin:
            user_id = None
            status = status or PENDING
        else:
            user_id = me.user_id
        if status == "all":
            status = None
        rows = await repo.list_nominations(
            session, user_id=user_id, status=status, limit=limit + 1, before=_before(cursor)
        )
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, (str(rows[-1].id) if more and rows else None)

    async def _pending(self, session: AsyncSession, nomination_id: int) -> Nomination:
        nomination = await repo.get_nomination(session, nomination_id)
        if nomination is None:
            raise NotFound(f"No nomination with id {nomination_id}", code="nomination_not_found")
        if nomination.status != PENDING:
            raise Conflict(
                f"This nomination was {nomination.status} already", code="nomination_decided"
            )
        return nomination

    async def _decide(
        self,
        session: AsyncSession,
        nomination: Nomination,
        me: Principal,
        status: str,
        **values: Any,
    ) -> Nomination:
        decided = await repo.decide_nomination(
            session,
            nomination.id,
            status=status,
            now=self.clock.now(),
            decided_by=me.user_id,
            **values,
        )
        if not decided:
            raise Conflict("This nomination was decided already", code="nomination_decided")
        await repo.release_nomination_slot(session, nomination.user_id)
        return await _reload_nomination(session, nomination.id)

    async def do_approve(
        self, session: AsyncSession, me: Principal, nomination_id: int
    ) -> tuple[Nomination, Book]:
        """An admin approves: the book becomes a candidate of the open poll."""
        if not me.is_admin:
            raise Forbidden("Only admins can approve nominations", code="admin_required")
        now = self.clock.now()
        poll = await self._lock_open(session)
        nomination = await self._pending(session, nomination_id)
        book = await self._book_for(
            session,
            BookCreate(
                title=nomination.title,
                author=nomination.author,
                description=nomination.description,
            ),
            nomination.user_id,
            now,
        )
        await self._put_on_ballot(session, poll, book, me.user_id, now)
        decided = await self._decide(
            session, nomination, me, APPROVED, book_id=book.id, poll_id=poll.id
        )
        return decided, book

    async def do_reject(
        self, session: AsyncSession, me: Principal, nomination_id: int, reason: str | None
    ) -> Nomination:
        if not me.is_admin:
            raise Forbidden("Only admins can reject nominations", code="admin_required")
        nomination = await self._pending(session, nomination_id)
        return await self._decide(session, nomination, me, REJECTED, reason=reason or None)

    async def do_withdraw(
        self, session: AsyncSession, me: Principal, nomination_id: int
    ) -> Nomination:
        """The member who nominated a book takes it back while it waits."""
        nomination = await repo.get_nomination(session, nomination_id)
        if nomination is None:
            raise NotFound(f"No nomination with id {nomination_id}", code="nomination_not_found")
        if nomination.user_id != me.user_id:
            raise Forbidden("Only the member who nominated it can withdraw it", code="not_yours")
        nomination = await self._pending(session, nomination_id)
        return await self._decide(session, nomination, me, WITHDRAWN)


async def _reload(session: AsyncSession, poll_id: int) -> Poll:
    """A poll this transaction has just written (so it exists)."""
    poll = await repo.get_poll(session, poll_id)
    if poll is None:
        raise RuntimeError(f"poll {poll_id} vanished inside its own transaction")
    return poll


async def _reload_nomination(session: AsyncSession, nomination_id: int) -> Nomination:
    nomination = await repo.get_nomination(session, nomination_id)
    if nomination is None:
        raise RuntimeError(f"nomination {nomination_id} vanished inside its own transaction")
    return nomination


def _before(cursor: str | None) -> int | None:
    return parse_id_cursor(cursor)
