"""The discussions service's part in the account sagas: threads and replies, chat messages (album,
genre, lobby and sports rooms) and room memberships.

Hiding a thread hides its replies with it (others' too: a thread without its opening post cannot
be read), and a hidden reply in someone else's thread leaves that thread's reply count. On erase a
thread that others replied to stays, as "[deleted]" by "deleted user", with their replies; the
user's own replies and messages go.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import Database
from agora.platform.sagas.holding import Row
from agora.platform.sagas.participant import (
    BaseRules,
    HeldRow,
    HoldScope,
    Participant,
    of_table,
    participant_for,
    rows_of,
    table_of,
)
from agora.services.discussions.models import Base, Message, Reply, Room, RoomMember, Thread

THREADS = table_of(Thread)
REPLIES = table_of(Reply)
MESSAGES = table_of(Message)
MEMBERS = table_of(RoomMember)
ROOMS = table_of(Room)

DELETED_TEXT = "[deleted]"
DELETED_USER = "deleted user"


async def _shift_reply_counts(session: AsyncSession, replies: Sequence[Row], by: int) -> None:
    for reply in replies:
        await session.execute(
            update(Thread)
            .where(Thread.id == reply["thread_id"])
            .values(replies=Thread.replies + by)
        )


class DiscussionsRules(BaseRules):
    async def hide(self, scope: HoldScope, user_id: int) -> None:
        own_threads = select(THREADS.c.id).where(THREADS.c.author_id == user_id)
        # Replies in the user's own threads go with the thread (no count to fix).
        await scope.hold(REPLIES, REPLIES.c.thread_id.in_(own_threads))
        elsewhere = await scope.hold(REPLIES, REPLIES.c.author_id == user_id)
        await _shift_reply_counts(scope.session, elsewhere, -1)
        await scope.hold(THREADS, THREADS.c.author_id == user_id)
        await scope.hold(MESSAGES, MESSAGES.c.user_id == user_id)
        await scope.hold(MEMBERS, MEMBERS.c.user_id == user_id)

    async def after_restore(self, session: AsyncSession, rows: Sequence[HeldRow]) -> None:
        threads = {row["id"] for row in of_table(rows, THREADS)}
        elsewhere = [r for r in of_table(rows, REPLIES) if r["thread_id"] not in threads]
        await _shift_reply_counts(session, elsewhere, +1)

    def keep_on_erase(self, rows: Sequence[HeldRow], user_id: int) -> list[HeldRow]:
        threads = {row["id"]: row for row in of_table(rows, THREADS)}
        others = [
            r
            for r in of_table(rows, REPLIES)
            if r["thread_id"] in threads and r["author_id"] != user_id
        ]
        answered = {r["thread_id"] for r in others}
        kept: list[HeldRow] = []
        for thread_id in sorted(answered):
            thread = dict(threads[thread_id])
            thread.update(
                author_id=None, author=DELETED_USER, title=DELETED_TEXT, content=DELETED_TEXT
            )
            thread["replies"] = sum(1 for r in others if r["thread_id"] == thread_id)
            kept.append((THREADS, thread))
        kept.extend((REPLIES, r) for r in sorted(others, key=lambda r: r["id"]))
        return kept

    async def after_erase(
        self, session: AsyncSession, kept: Sequence[HeldRow], user_id: int
    ) -> None:
        # Rooms the user opened stay (others talk there); who opened them is forgotten.
        await session.execute(
            update(Room).where(Room.created_by == user_id).values(created_by=None)
        )

    async def export(self, session: AsyncSession, user_id: int) -> dict[str, list[Row]]:
        return {
            "threads": await rows_of(session, THREADS, THREADS.c.author_id == user_id),
            "replies": await rows_of(session, REPLIES, REPLIES.c.author_id == user_id),
            "chat_messages": await rows_of(session, MESSAGES, MESSAGES.c.user_id == user_id),
            "rooms_joined": await rows_of(session, MEMBERS, MEMBERS.c.user_id == user_id),
        }


def build_participant(database: Database) -> Participant:
    return participant_for("discussions", database, Base.metadata, DiscussionsRules())
