"""Events of the discussions service."""

from __future__ import annotations

from datetime import datetime

from agora.contracts.base import EventPayload, register


@register
class ThreadReplied(EventPayload):
    """Someone replied in a lobby thread (notifications tells the thread's author)."""

    event_type = "discussions.thread_replied"

    thread_id: int
    thread_title: str
    thread_author_id: int | None  # None: a thread Agora itself opened (a lobby's welcome)
    reply_id: int
    replier_id: int
    replier_username: str
    excerpt: str
    created_at: datetime
