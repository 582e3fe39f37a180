"""Events of the competitions service. Each carries what the notifications service needs to tell
the right people, so it keeps no copy of competitions, submissions or comments."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from agora.contracts.base import EventPayload, register


@register
class SubmissionCreated(EventPayload):
    """An entry was submitted. `subscriber_ids` are the competition's subscribers at that moment,
    read in the same transaction, so the consumer needs no copy of the subscriptions (and no order
    between a subscribe event and this one)."""

    event_type = "competitions.submission_created"

    submission_id: int
    competition_id: int
    competition_title: str
    user_id: int
    username: str
    title: str
    subscriber_ids: list[int]
    created_at: datetime


@register
class SubmissionLiked(EventPayload):
    """`liker_id` liked an entry of `author_id` (sent only when the like is new)."""

    event_type = "competitions.submission_liked"

    submission_id: int
    competition_id: int
    submission_title: str
    author_id: int
    liker_id: int
    liker_username: str
    liked_at: datetime


@register
class CommentAdded(EventPayload):
    """A comment on an entry; a reply when `parent_comment_id` is set, and then
    `parent_author_id` wrote the comment replied to."""

    event_type = "competitions.comment_added"

    comment_id: int
    submission_id: int
    competition_id: int
    submission_title: str
    submission_author_id: int
    commenter_id: int
    commenter_username: str
    parent_comment_id: int | None
    parent_author_id: int | None
    excerpt: str
    created_at: datetime


class Placing(BaseModel):
    """One entry's place in a closed competition (1 is the winner)."""

    model_config = ConfigDict(frozen=True)

    place: int
    submission_id: int
    user_id: int
    title: str
    likes: int


@register
class ResultsPublished(EventPayload):
    """A competition reached its end: its entries ranked by likes (ties go to the earlier entry).
    Published exactly once per competition."""

    event_type = "competitions.results_published"

    competition_id: int
    title: str
    closed_at: datetime
    entry_count: int
    placings: list[Placing]
