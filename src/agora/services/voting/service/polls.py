"""Polls and votes: reading polls as they stand, the admin's close and deadline, and the one vote
per member.

Reads never write. A poll past its deadline closed at the deadline, whether or not the deadline
job has recorded that yet (it does within seconds, and every write request settles first): a read
shows it closed, with the result its votes give (no vote gets in after the deadline), and writes
nothing.
"""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.auth.principal import Principal
from agora.platform.db import Writes, after_commit
from agora.platform.deps import check_acting_user
from agora.platform.errors import Conflict, Forbidden, NotFound, ValidationFailed
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.platform.reads import Reads
from agora.services.voting import repository as repo
from agora.services.voting.models import CLOSED, Book, Poll
from agora.services.voting.schemas import VoteCreate
from agora.services.voting.service.base import no_open_poll
from agora.services.voting.service.settlement import Settlement, pick_winner, reload_poll
from agora.services.voting.service.views import (
    BallotView,
    BookOfTheMonthView,
    CloseOutcome,
    PollView,
    VoteKind,
    VoteOutcome,
)

# How long the gateway may serve an anonymous ballot from its cache; votes through the gateway drop
# it at once, so this only bounds how stale a count can get from writes that raced the read.
LIST_CACHE_SECONDS = 5


class PollRules(Settlement):
    """Polls as they stand, closing them, and votes."""

    # ------------------------------------------------------------ reading polls

    async def _view(
        self,
        session: AsyncSession,
        poll: Poll,
        now: datetime,
        recorded_winner: Book | None = None,
    ) -> PollView:
        """The poll as it stands at `now` (`recorded_winner`: its recorded winner, if known)."""
        if poll.status == CLOSED:
            if recorded_winner is None and poll.winner_book_id is not None:
                recorded_winner = await repo.get_book(session, poll.winner_book_id)
            return PollView.recorded(poll, recorded_winner)
        if poll.closes_at > now:
            return PollView.open(poll, await repo.count_poll_votes(session, poll.id))
        tallies = await repo.tally(session, poll.id)
        best = pick_winner(tallies)
        winner = await repo.get_book(session, best.book_id) if best else None
        return PollView.at_deadline(poll, tallies, best, winner)

    def cache_seconds(self, closes_at: datetime) -> int:
        """How long a public view of the open poll, which closes at `closes_at`, may be cached: a
        few seconds, never past the deadline (0: do not cache)."""
        left = (closes_at - self.clock.now()).total_seconds()
        return max(0, min(LIST_CACHE_SECONDS, int(left)))

    async def get_current_ballot(self, reads: Reads, me: Principal | None) -> BallotView:
        """The current poll's ballot with counts (closed if its deadline has passed and the next
        one is not open yet). The hot read (`GET /books`, `GET /vote/status`): one statement
        while the poll is open."""
        ballot = await repo.open_ballot(reads, me.user_id if me else None)
        if ballot is None:
            raise no_open_poll()
        poll = ballot.poll
        if poll.closes_at > self.clock.now():
            view = PollView.open(poll, ballot.total_votes)
        else:
            tallies = await repo.read_tally(reads, poll.id)
            best = pick_winner(tallies)
            winner = await repo.read_ballot_book(reads, best.book_id) if best else None
            view = PollView.at_deadline(poll, tallies, best, winner)
        return BallotView(view, ballot.lines, ballot.my_vote)

    async def get_ballot(
        self, session: AsyncSession, me: Principal | None, poll_id: int
    ) -> BallotView:
        """A poll's ballot with counts."""
        found = await repo.get_poll(session, poll_id)
        if found is None:
            raise NotFound(f"No poll with id {poll_id}", code="poll_not_found")
        view = await self._view(session, found, self.clock.now())
        lines = await repo.ballot(session, found.id)
        my_vote = await repo.get_user_vote(session, found.id, me.user_id) if me else None
        return BallotView(view, lines, my_vote)

    async def list_polls(
        self, session: AsyncSession, *, limit: int, cursor: str | None
    ) -> Page[PollView]:
        rows = await repo.list_polls(
            session, limit=fetch_size(limit), before=parse_id_cursor(cursor)
        )
        page = paginate(rows, limit, cursor_of=lambda row: row[0].id)
        now = self.clock.now()
        views = [await self._view(session, poll, now, book) for poll, book in page.items]
        return Page(views, page.next_cursor)

    async def get_book_of_the_month(self, session: AsyncSession) -> BookOfTheMonthView:
        """The newest closed poll's winner, with its poll."""
        now = self.clock.now()
        due = await repo.get_open_poll(session)
        if due is not None and due.closes_at <= now:
            view = await self._view(session, due, now)
            if view.winner is not None:
                return BookOfTheMonthView(due, view.winner, view.winner_votes, due.closes_at)
        found = await repo.latest_winner(session)
        if found is None:
            raise NotFound("No book of the month has been chosen yet", code="no_book_of_the_month")
        poll, book = found
        return BookOfTheMonthView(poll, book, poll.winner_votes, poll.closed_at or poll.closes_at)

    # ------------------------------------------------------------ closing, the deadline

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
        poll = await self._lock_open_poll(session)
        await repo.set_deadline(session, poll.id, closes_at)
        after_commit(session, functools.partial(self.live.poll_changed, poll.id))
        total = await repo.count_poll_votes(session, poll.id)
        return PollView.open(await reload_poll(session, poll.id), total)

    # ------------------------------------------------------------ votes

    async def do_vote(self, writes: Writes, me: Principal, body: VoteCreate) -> VoteOutcome:
        """Cast, move or repeat the user's one vote in the open poll, in the endpoint's plain write
        (decision 0046)."""
        check_acting_user(me, body.user_id, field="user_id")
        now = self.clock.now()
        claim = await repo.claim_vote(writes, now, body.poll_id)
        if claim is None:
            raise await self._why_no_vote(writes, body.poll_id)
        poll_id, seq = claim
        ballot = await repo.get_vote_target(writes, poll_id, body.book_id, me.user_id)
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
                writes, poll_id=poll_id, user_id=me.user_id, book_id=book.id, now=now, seq=seq
            )
            kind = "created" if previous_id is None else "moved"
            after_commit(writes, functools.partial(self.live.poll_changed, poll_id))
        votes, total = await repo.count_votes(writes, poll_id, book.id)
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

    async def _why_no_vote(self, writes: Writes, poll_id: int | None) -> Exception:
        if poll_id is not None:
            month = await repo.get_poll_month(writes, poll_id)
            if month is None:
                return NotFound(f"No poll with id {poll_id}", code="poll_not_found")
            return Conflict(f"The {month} poll is closed", code="poll_closed")
        return Conflict("Voting is closed: the poll reached its deadline", code="poll_closed")
