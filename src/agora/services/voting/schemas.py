"""Request and response models of the voting service, with the bookclub seed's field names.

The seed's shapes (`books`, `POST /vote`, `vote/status`) are kept as they are; the extra fields
(`poll_id`, `total_votes`, `my_vote`, ...) are additions a client may ignore.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from agora.platform.ids import Id
from agora.platform.schemas import Strict


def _clean_text(value: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise ValueError("must not be blank")
    return cleaned


Title = Annotated[str, Field(max_length=300), AfterValidator(_clean_text)]
Author = Annotated[str, Field(max_length=200), AfterValidator(_clean_text)]
Description = Annotated[str, Field(max_length=2000), AfterValidator(str.strip)]


# ---------------------------------------------------------------- books


class BookCreate(Strict):
    """`POST /books` (admins) and `POST /books/nominations` (members): a book for the ballot."""

    title: Title
    author: Author
    description: Description = ""


class BookRead(BaseModel):
    """A candidate of the current poll, as the seed's `GET /books` lists it."""

    id: int
    title: str
    author: str
    description: str
    votes: int


class BookList(BaseModel):
    """The seed's `{"books": [...]}`: the current poll's candidates with live counts."""

    books: list[BookRead]
    poll_id: int
    month: str
    closes_at: datetime
    total_votes: int


class BookAdded(BookRead):
    """A book an admin put on the current poll's ballot."""

    message: str = "Book added successfully"
    poll_id: int


# ---------------------------------------------------------------- votes


class VoteCreate(Strict):
    """The seed's `{"book_id": 1, "user_id": 123}`; `user_id` is optional and must be the token's
    user. `poll_id` (optional) makes sure the vote lands in the poll the voter was looking at."""

    book_id: Id
    user_id: Id | None = None
    poll_id: Id | None = None


class VoteResult(BaseModel):
    """The seed's `{"message", "votes"}` (votes: that book's count now), and what happened."""

    message: str
    votes: int
    book_id: int
    poll_id: int
    outcome: Literal["created", "moved", "unchanged"]
    previous_book_id: int | None
    total_votes: int
    seq: int = Field(description="The poll's vote sequence number when this vote was applied")


class VoteCount(BaseModel):
    """One line of the seed's `vote/status`."""

    book_id: int
    title: str
    votes: int


class VoteStatus(BaseModel):
    """The seed's `{"status": [...]}`, with the poll, the total and the caller's own vote."""

    status: list[VoteCount]
    poll_id: int
    month: str
    total_votes: int
    my_vote: int | None = Field(
        default=None, description="The book the caller votes for (token given), else null"
    )


# ---------------------------------------------------------------- polls


class WinnerRead(BaseModel):
    """A poll's winning book and its final count."""

    book_id: int
    title: str
    author: str
    description: str
    votes: int


class PollRead(BaseModel):
    """One month's poll."""

    id: int
    poll_id: int
    month: str
    status: Literal["open", "closed"]
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    close_reason: str | None
    total_votes: int
    winner: WinnerRead | None


class CandidateRead(BaseModel):
    """A book on a poll's ballot with its count (`id` and `book_id` are the same)."""

    id: int
    book_id: int
    title: str
    author: str
    description: str
    votes: int


class PollDetail(BaseModel):
    """A poll with its ballot and counts (and the caller's vote when a token is sent)."""

    poll: PollRead
    poll_id: int
    month: str
    status: Literal["open", "closed"]
    closes_at: datetime
    candidates: list[CandidateRead]
    total_votes: int
    my_vote: int | None


class PollPage(BaseModel):
    """Poll history, newest first."""

    polls: list[PollRead]
    next_cursor: str | None


class PollCloseRequest(Strict):
    """Optional body of `POST /polls/current/close`: the poll the admin means to close, so a
    repeated click answers 409 instead of closing the next month's poll."""

    poll_id: Id | None = None


class PollClosedRead(BaseModel):
    """A closed poll with its winner, and next month's poll."""

    message: str
    poll: PollRead
    next_poll: PollRead


class DeadlineUpdate(Strict):
    """`PATCH /polls/current`: a new deadline (ISO-8601 with a timezone, in the future)."""

    closes_at: AwareDatetime


class BookOfTheMonth(BaseModel):
    """The newest poll's winner."""

    id: int
    book_id: int
    title: str
    author: str
    description: str
    votes: int
    month: str
    poll_id: int
    selected_at: datetime


# ---------------------------------------------------------------- nominations


class NominationRead(BaseModel):
    """A member's nomination and what became of it."""

    id: int
    title: str
    author: str
    description: str
    status: Literal["pending", "approved", "rejected", "withdrawn"]
    user_id: int
    username: str
    created_at: datetime
    decided_at: datetime | None
    reason: str | None
    book_id: int | None
    poll_id: int | None


class NominationPage(BaseModel):
    """A page of nominations, newest first."""

    nominations: list[NominationRead]
    next_cursor: str | None


class NominationDecided(BaseModel):
    """The answer to an approval, rejection or withdrawal."""

    message: str
    nomination: NominationRead
    book: BookRead | None = None


class RejectRequest(Strict):
    """Optional body of a rejection: why, shown to the member."""

    reason: Annotated[str, Field(max_length=500), AfterValidator(str.strip)] | None = None
