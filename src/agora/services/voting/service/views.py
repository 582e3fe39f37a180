"""What the voting rules answer with: polls as they stand, ballots, and the outcomes of changes.
Routers shape them into responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agora.services.voting.models import CLOSED, OPEN, Book, Poll
from agora.services.voting.repository import BallotBook, BallotLine, BallotPoll, Tally

VoteKind = Literal["created", "moved", "unchanged"]


@dataclass(frozen=True, slots=True)
class PollView:
    """A poll as it stands now: a poll whose deadline has passed is closed with its result, even
    before the deadline job has recorded that. (The open poll read for its ballot comes as a
    `BallotPoll`, the columns its views show.)"""

    poll: Poll | BallotPoll
    status: str
    winner: Book | BallotBook | None
    winner_votes: int
    total_votes: int
    closed_at: datetime | None
    close_reason: str | None

    @classmethod
    def open(cls, poll: Poll | BallotPoll, total_votes: int) -> PollView:
        return cls(poll, OPEN, None, 0, total_votes, None, None)

    @classmethod
    def at_deadline(
        cls,
        poll: Poll | BallotPoll,
        tallies: list[Tally],
        best: Tally | None,
        winner: Book | BallotBook | None,
    ) -> PollView:
        """An open poll past its deadline: closed then, with the result its votes give
        (`best`, the winning tally, whose book is `winner`)."""
        return cls(
            poll,
            CLOSED,
            winner,
            best.votes if best else 0,
            sum(t.votes for t in tallies),
            poll.closes_at,
            "deadline",
        )

    @classmethod
    def recorded(cls, poll: Poll, winner: Book | None) -> PollView:
        """A poll whose close is recorded, with the result recorded then."""
        return cls(
            poll,
            CLOSED,
            winner,
            poll.winner_votes,
            poll.total_votes,
            poll.closed_at,
            poll.close_reason,
        )


@dataclass(frozen=True, slots=True)
class BallotView:
    """A poll's candidates with counts, and the caller's vote."""

    view: PollView
    lines: list[BallotLine]
    my_vote: int | None

    @property
    def poll(self) -> Poll | BallotPoll:
        return self.view.poll

    @property
    def total_votes(self) -> int:
        return sum(line.votes for line in self.lines)


@dataclass(frozen=True, slots=True)
class BookOfTheMonthView:
    """The book a poll chose, with the poll, its votes and when the poll chose it."""

    poll: Poll
    book: Book | BallotBook
    votes: int
    selected_at: datetime


@dataclass(frozen=True, slots=True)
class CloseOutcome:
    """A closed poll with its result, and the poll opened after it."""

    closed: PollView
    next_poll: PollView


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    """What a vote did."""

    poll_id: int
    book: BallotBook
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
