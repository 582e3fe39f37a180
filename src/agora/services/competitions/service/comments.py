"""Threaded comments on entries: replies keep their thread, and a deleted comment stays as a
placeholder while it has living replies."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.competitions import CommentAdded
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.db import Writes
from agora.platform.errors import BadRequest, Forbidden, NotFound, ValidationFailed
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.services.competitions import repository as repo
from agora.services.competitions.models import Comment
from agora.services.competitions.schemas import CommentCreate
from agora.services.competitions.service.base import ServiceBase

EXCERPT_LENGTH = 140


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[: EXCERPT_LENGTH - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class CommentNode:
    """A comment with its replies, as the threaded listing returns it."""

    comment: Comment
    replies: list[CommentNode]


class CommentRules(ServiceBase):
    """Comments and replies."""

    async def do_comment(
        self,
        writes: Writes,
        me: Principal,
        competition_id: int,
        submission_id: int,
        data: CommentCreate,
    ) -> int:
        """Comment on an entry (or reply to a comment on it); the new comment's id. The comment,
        its event and the counts' read are the endpoint's plain write (decision 0046)."""
        entry = await repo.get_entry_ref(writes, competition_id, submission_id)
        if entry is None:
            raise NotFound(
                f"No submission {submission_id} in competition {competition_id}",
                code="submission_not_found",
            )
        parent: repo.ParentRef | None = None
        if data.parent_comment_id is not None:
            parent = await repo.get_parent_ref(writes, data.parent_comment_id)
            if parent is None:
                raise NotFound(
                    f"No comment with id {data.parent_comment_id}", code="comment_not_found"
                )
            if parent.submission_id != submission_id:
                raise ValidationFailed.field(
                    "body.parent_comment_id", "must be a comment on the same submission"
                )
            if parent.deleted:
                raise BadRequest(
                    "The comment you reply to was deleted", code="parent_comment_deleted"
                )
        now = self.clock.now()
        comment_id = await repo.add_comment(
            writes,
            submission_id=submission_id,
            parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            user_id=me.user_id,
            username=me.username,
            content=data.content,
            now=now,
        )
        await emit(
            writes,
            CommentAdded(
                comment_id=comment_id,
                submission_id=submission_id,
                competition_id=competition_id,
                submission_title=entry.title,
                submission_author_id=entry.author_id,
                commenter_id=me.user_id,
                commenter_username=me.username,
                parent_comment_id=parent.id if parent else None,
                parent_author_id=parent.user_id if parent else None,
                excerpt=_excerpt(data.content),
                created_at=now,
            ),
        )
        await self._publish_counts(writes, competition_id, submission_id)
        return comment_id

    async def _access_own_comment(
        self, session: AsyncSession, me: Principal, competition_id: int, comment_id: int
    ) -> Comment:
        comment = await repo.get_comment(session, comment_id)
        submission = await repo.get_submission(session, comment.submission_id) if comment else None
        if (
            comment is None
            or comment.deleted_at is not None
            or submission is None
            or submission.competition_id != competition_id
        ):
            raise NotFound(
                f"No comment {comment_id} in competition {competition_id}",
                code="comment_not_found",
            )
        if comment.user_id != me.user_id:
            raise Forbidden("Only the author edits or deletes a comment", code="not_your_comment")
        return comment

    async def do_update_comment(
        self, session: AsyncSession, me: Principal, competition_id: int, comment_id: int, text: str
    ) -> Comment:
        comment = await self._access_own_comment(session, me, competition_id, comment_id)
        if comment.content != text:
            await repo.edit_comment(session, comment, content=text, now=self.clock.now())
        return comment

    async def do_delete_comment(
        self, session: AsyncSession, me: Principal, competition_id: int, comment_id: int
    ) -> None:
        comment = await self._access_own_comment(session, me, competition_id, comment_id)
        await repo.blank_comment(session, comment, now=self.clock.now())

    async def list_comments(
        self,
        session: AsyncSession,
        competition_id: int,
        submission_id: int,
        *,
        limit: int,
        cursor: str | None,
    ) -> Page[CommentNode]:
        """A page of threads, oldest first; deleted comments with no living reply are left out."""
        await self._access_submission(session, competition_id, submission_id)
        roots, replies = await repo.list_threads(
            session, submission_id, limit=fetch_size(limit), after=parse_id_cursor(cursor)
        )
        page = paginate(roots, limit, cursor_of=lambda root: root.id)
        children: dict[int, list[Comment]] = {}
        for reply in replies:
            if reply.parent_id is not None:
                children.setdefault(reply.parent_id, []).append(reply)

        def build(comment: Comment) -> CommentNode | None:
            kids = [n for n in (build(c) for c in children.get(comment.id, [])) if n]
            if comment.deleted_at is not None and not kids:
                return None
            return CommentNode(comment, kids)

        threads = [n for n in (build(r) for r in page.items) if n]
        return Page(threads, page.next_cursor)
