"""Request and response models of the competitions service, with seed 001's field names (ids as
strings). Responses add fields the seed leaves out (status, counts, places); none is renamed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from agora.platform.ids import Id
from agora.platform.schemas import Strict

TITLE_MAX = 200
CONTENT_MAX = 100_000
DESCRIPTION_MAX = 5_000
COMMENT_MAX = 5_000


def _as_utc(value: datetime) -> datetime:
    # The seed writes plain dates ("2026-03-01"); a time without a zone is taken as UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX)]
Content = Annotated[str, StringConstraints(min_length=1, max_length=CONTENT_MAX)]
CommentText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=COMMENT_MAX)
]
IdIn = Id


# ---------------------------------------------------------------- competitions


class CompetitionCreate(Strict):
    """An admin opens a competition: entries are accepted from `start_date` until `end_date`."""

    title: Title
    description: Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX)] = ""
    start_date: UtcDateTime
    end_date: UtcDateTime
    allow_multiple_entries: bool = False

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, end_date: datetime, info: ValidationInfo) -> datetime:
        start_date = info.data.get("start_date")
        if isinstance(start_date, datetime) and end_date <= start_date:
            raise ValueError("must be after start_date")
        return end_date


class CompetitionSummary(BaseModel):
    """Seed 001's `GET /competitions` item."""

    competition_id: str
    title: str
    description: str
    start_date: datetime
    end_date: datetime


class CompetitionRead(CompetitionSummary):
    """Seed 001's competition details, with where it stands (`upcoming`, `active`, `closed`)."""

    admin_id: str
    created_at: datetime
    status: Literal["upcoming", "active", "closed"]
    allow_multiple_entries: bool
    closed_at: datetime | None
    submission_count: int


class CompetitionCreated(CompetitionRead):
    """The new competition's details."""

    message: str = "Competition created"


class SubscriptionItem(CompetitionSummary):
    """Seed 001's `GET /users/profile/subscriptions` item; `subscription_id` pages (`before`)."""

    subscription_id: str
    subscribed_at: datetime


# ---------------------------------------------------------------- submissions


class SubmissionCreate(Strict):
    """Seed 001: `{title, content}`; `user_id`, if given, must be the token's user."""

    title: Title
    content: Content
    user_id: str | int | None = None


class SubmissionUpdate(Strict):
    """The author edits their entry while the competition is open: any of `title`, `content`."""

    title: Title | None = None
    content: Content | None = None


class SubmissionAccepted(BaseModel):
    """Seed 001: `{submission_id, message}`."""

    submission_id: str
    message: str = "Submission successful"


class SubmissionRead(BaseModel):
    """An entry with its counts; `place` once the competition has closed."""

    submission_id: str
    competition_id: str
    user_id: str
    username: str
    title: str
    content: str
    created_at: datetime
    updated_at: datetime
    likes: int
    comments: int
    place: int | None
    liked_by_me: bool | None = Field(
        default=None, description="Whether the caller likes this entry (token given), else null"
    )


class SubmissionPage(BaseModel):
    """A page of a competition's entries, newest first."""

    submissions: list[SubmissionRead]
    next_cursor: str | None


class MySubmission(BaseModel):
    """Seed 001's `GET /users/profile/submissions` item."""

    submission_id: str
    competition_id: str
    title: str
    content: str
    created_at: datetime
    likes: int
    comments: int
    place: int | None


class LikeResult(BaseModel):
    """Seed 001: `{"message": "Like added"}`, with the entry's count."""

    message: str
    submission_id: str
    likes: int
    liked: bool


# ---------------------------------------------------------------- comments


class CommentCreate(Strict):
    """Seed 001: `{content}`; `parent_comment_id` makes it a reply."""

    content: CommentText
    parent_comment_id: IdIn | None = None
    user_id: str | int | None = None


class CommentUpdate(Strict):
    """The author rewrites their comment."""

    content: CommentText


class CommentAccepted(BaseModel):
    """Seed 001: `{comment_id, message}`."""

    comment_id: str
    message: str = "Comment added"


class CommentRead(BaseModel):
    """A comment and its replies, oldest first. A deleted comment keeps its place, not its text."""

    comment_id: str
    submission_id: str
    parent_comment_id: str | None
    user_id: str | None
    username: str | None
    content: str
    created_at: datetime
    updated_at: datetime
    edited: bool
    deleted: bool
    replies: list[CommentRead] = Field(default_factory=list)


class CommentPage(BaseModel):
    """A page of threads (top-level comments, oldest first, each with all its replies)."""

    comments: list[CommentRead]
    next_cursor: str | None


# ---------------------------------------------------------------- results


class ResultEntry(BaseModel):
    """One entry's place in the results."""

    place: int
    submission_id: str
    user_id: str
    username: str
    title: str
    likes: int


class ResultsRead(BaseModel):
    """A closed competition's entries by place (likes, ties to the earlier entry)."""

    competition_id: str
    title: str
    closed_at: datetime
    results: list[ResultEntry]
