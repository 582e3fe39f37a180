"""Events of the voting service."""

from __future__ import annotations

from datetime import datetime

from agora.contracts.base import EventPayload, register


@register
class PollClosed(EventPayload):
    """A month's poll closed; its winner is the book of the month (discussions opens its lobby)."""

    event_type = "voting.poll_closed"

    poll_id: int
    month: str  # "2026-11"
    winner_book_id: int | None  # None when nobody voted
    winner_title: str | None
    winner_author: str | None
    total_votes: int
    closed_at: datetime
