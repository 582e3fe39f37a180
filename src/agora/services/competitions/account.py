"""The competitions service's part in the account sagas: entries, likes, comments and
subscriptions.

Hiding an entry hides what hangs on it (others' likes and comments); a hidden comment takes its
replies along; a hidden like stops counting at once (counts are rows). On erase an entry that
earned a place in a finished competition keeps it, under "deleted user" with its text removed, with
the likes and comments of others; a comment of the user's that others answered stays as a deleted
comment ("[deleted]", no author) so their replies keep their thread.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
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
from agora.services.competitions.models import Base, Comment, Like, Submission, Subscription

ENTRIES = table_of(Submission)
LIKES = table_of(Like)
COMMENTS = table_of(Comment)
SUBSCRIPTIONS = table_of(Subscription)

DELETED_TEXT = "[deleted]"
DELETED_USER = "deleted user"
NOBODY = 0  # the author id of what an erased user leaves behind


async def _descendants(session: AsyncSession, roots: set[int]) -> set[int]:
    """The ids of every reply below `roots`, at any depth."""
    found: set[int] = set()
    frontier = set(roots)
    while frontier:
        children = set(
            (
                await session.scalars(
                    select(COMMENTS.c.id).where(COMMENTS.c.parent_id.in_(frontier))
                )
            ).all()
        )
        frontier = children - found - roots
        found |= frontier
    return found


class CompetitionsRules(BaseRules):
    async def hide(self, scope: HoldScope, user_id: int) -> None:
        session = scope.session
        own_entries = select(ENTRIES.c.id).where(ENTRIES.c.user_id == user_id)
        own_comments = set(
            (
                await session.scalars(select(COMMENTS.c.id).where(COMMENTS.c.user_id == user_id))
            ).all()
        )
        under_entries = set(
            (
                await session.scalars(
                    select(COMMENTS.c.id).where(COMMENTS.c.submission_id.in_(own_entries))
                )
            ).all()
        )
        comments = own_comments | under_entries
        comments |= await _descendants(session, comments)
        # Newest first, so each reply is held before what it answers.
        await scope.hold(COMMENTS, COMMENTS.c.id.in_(comments))
        await scope.hold(LIKES, LIKES.c.submission_id.in_(own_entries))
        await scope.hold(LIKES, LIKES.c.user_id == user_id)
        await scope.hold(SUBSCRIPTIONS, SUBSCRIPTIONS.c.user_id == user_id)
        await scope.hold(ENTRIES, ENTRIES.c.user_id == user_id)

    def keep_on_erase(self, rows: Sequence[HeldRow], user_id: int) -> list[HeldRow]:
        entries = of_table(rows, ENTRIES)
        placed = {e["id"] for e in entries if e["place"] is not None}
        held_entries = {e["id"] for e in entries}

        def reachable(submission_id: int) -> bool:
            return submission_id not in held_entries or submission_id in placed

        kept: list[HeldRow] = []
        for entry in sorted(entries, key=lambda e: e["id"]):
            if entry["id"] in placed:
                anonymous = dict(entry)
                anonymous.update(
                    user_id=NOBODY,
                    single_entry_user_id=None,
                    username=DELETED_USER,
                    title=DELETED_TEXT,
                    content=DELETED_TEXT,
                )
                kept.append((ENTRIES, anonymous))
        comments = {c["id"]: c for c in of_table(rows, COMMENTS)}
        keep_ids = {
            cid
            for cid, c in comments.items()
            if c["user_id"] != user_id and reachable(c["submission_id"])
        }
        # A kept reply keeps the comments it hangs under (the user's become deleted comments).
        for cid in list(keep_ids):
            parent = comments[cid]["parent_id"]
            while parent is not None and parent in comments:
                keep_ids.add(parent)
                parent = comments[parent]["parent_id"]
        for cid in sorted(keep_ids):
            comment = dict(comments[cid])
            if comment["user_id"] == user_id:
                comment.update(
                    user_id=NOBODY,
                    username=DELETED_USER,
                    content=DELETED_TEXT,
                    deleted_at=comment["deleted_at"] or comment["updated_at"],
                )
            kept.append((COMMENTS, comment))
        kept.extend(
            (LIKES, like)
            for like in sorted(of_table(rows, LIKES), key=lambda r: r["id"])
            if like["user_id"] != user_id and reachable(like["submission_id"])
        )
        return kept

    async def export(self, session: AsyncSession, user_id: int) -> dict[str, list[Row]]:
        return {
            "entries": await rows_of(session, ENTRIES, ENTRIES.c.user_id == user_id),
            "likes": await rows_of(session, LIKES, LIKES.c.user_id == user_id),
            "comments": await rows_of(session, COMMENTS, COMMENTS.c.user_id == user_id),
            "subscriptions": await rows_of(
                session, SUBSCRIPTIONS, SUBSCRIPTIONS.c.user_id == user_id
            ),
        }


def build_participant(database: Database) -> Participant:
    return participant_for("competitions", database, Base.metadata, CompetitionsRules())
