"""Notification types a user can turn on or off (`PUT /users/{id}/preferences/notifications`)."""

from __future__ import annotations

LIKE = "like"
COMMENT = "comment"
REPLY = "reply"
PLACEMENT = "placement"
NEW_SUBMISSION = "new_submission"
SCORE_UPDATE = "score_update"
NEWS = "news"
FOLLOW = "follow"
BOOK_OF_THE_MONTH = "book_of_the_month"
REVIEW = "review"

ALL_NOTIFICATION_TYPES: tuple[str, ...] = (
    LIKE,
    COMMENT,
    REPLY,
    PLACEMENT,
    NEW_SUBMISSION,
    SCORE_UPDATE,
    NEWS,
    FOLLOW,
    BOOK_OF_THE_MONTH,
    REVIEW,
)
