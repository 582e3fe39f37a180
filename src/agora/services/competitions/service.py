"""Business rules of the competitions service: competitions and their deadlines, entries, likes,
threaded comments, subscriptions, and results published exactly once.

`do_*` change state and emit events; `access_*` fetch and authorize; `get_*`/`list_*` read.

Deadlines are enforced twice: a job closes competitions whose end has passed, and every request
about one competition first closes it if it is due (`settle`), so the outcome never depends on
when the job last ran. Closing is one guarded transition (`UPDATE ... WHERE status='open'
RETURNING`): however many callers race, exactly one ranks the entries and emits the results.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.competitions import (
    CommentAdded,
    Placing,
    ResultsPublished,
    SubmissionCreated,
    SubmissionLiked,
)
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.cache.base import Cache, get_json, set_json
from agora.platform.clock import Clock
from agora.platform.db import Database, after_commit
from agora.platform.errors import BadRequest, Conflict, Forbidden, NotFound, ValidationFailed
from agora.platform.pagination import parse_id_cursor
from agora.services.competitions import repository as repo
from agora.services.competitions.models import (
    CLOSED,
    OPEN,
    Comment,
    Competition,
    Submission,
    Subscription,
)
from agora.services.competitions.repository import Counted
from agora.services.competitions.schemas import (
    CommentCreate,
    CompetitionCreate,
    CompetitionSummary,
    SubmissionCreate,
    SubmissionUpdate,
)

log = structlog.get_logger("agora.competitions")

# The active list is cached under a generation: writers move the generation after commit, so a
# reader that built its list from data older than the change stores it under a dead key.
ACTIVE_GENERATION_KEY = "active:generation"
ACTIVE_LIST_TTL = 300.0
GENERATION_TTL = 86_400.0
EXCERPT_LENGTH = 140


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def status_of(competition: Competition, now: datetime) -> str:
    """`upcoming`, `active` or `closed`, as a user sees it now."""
    if competition.status == CLOSED or now >= competition.end_date:
        return "closed"
    if now < competition.start_date:
        return "upcoming"
    return "active"


def summary_of(competition: Competition) -> CompetitionSummary:
    return CompetitionSummary(
        competition_id=str(competition.id),
        title=competition.title,
        description=competition.description,
        start_date=competition.start_date,
        end_date=competition.end_date,
    )


@dataclass(frozen=True, slots=True)
class CommentNode:
    """A comment with its replies, as the threaded listing returns it."""

    comment: Comment
    replies: list[CommentNode]


class CompetitionsService:
    """The competitions service's rules, with its collaborators injected."""

    def __init__(self, *, database: Database, cache: Cache, clock: Clock) -> None:
        self.database = database
        self.cache = cache
        self.clock = clock

    # ------------------------------------------------------------ deadlines and results

    async def settle(self, competition_id: int) -> None:
        """Close the competition now if its end has passed (the lazy half of the deadline).

        Runs in its own units of work, before the request's session reads anything, so the request
        then sees the competition closed.
        """
        now = self.clock.now()
        async with self.database.session(read_only=True) as session:
            due = await repo.is_due(session, competition_id, now)
        if due:
            async with self.database.session() as session:
                await self._close(session, competition_id, now)

    async def do_close_due(self) -> int:
        """Close every competition whose end has passed; returns how many this call closed."""
        now = self.clock.now()
        async with self.database.session(read_only=True) as session:
            due = await repo.list_due_ids(session, now)
        closed = 0
        for competition_id in due:
            async with self.database.session() as session:
                closed += await self._close(session, competition_id, now)
        return closed

    async def run_closer(self, interval: float) -> None:
        """The job: close due competitions every `interval` seconds."""
        while True:
            try:
                await self.do_close_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("competition_closer_failed")
            await asyncio.sleep(interval)

    async def _close(self, session: AsyncSession, competition_id: int, now: datetime) -> bool:
        if not await repo.mark_closed(session, competition_id, now):
            return False
        competition = await repo.get_competition(session, competition_id)
        if competition is None:
            return False
        ranked = await repo.rank_submissions(session, competition_id)
        placings = []
        for place, entry in enumerate(ranked, start=1):
            await repo.set_place(session, entry.submission.id, place)
            placings.append(
                Placing(
                    place=place,
                    submission_id=entry.submission.id,
                    user_id=entry.submission.user_id,
                    title=entry.submission.title,
                    likes=entry.likes,
                )
            )
        await emit(
            session,
            ResultsPublished(
                competition_id=competition_id,
                title=competition.title,
                closed_at=now,
                entry_count=len(placings),
                placings=placings,
            ),
        )
        log.info("competition_closed", competition_id=competition_id, entries=len(placings))
        return True

    async def get_results(
        self, session: AsyncSession, competition_id: int
    ) -> tuple[Competition, list[Counted]]:
        await self.settle(competition_id)
        competition = await self.access_competition(session, competition_id)
        if competition.status != CLOSED:
            raise Conflict(
                f"Results are published when the competition ends, at {_iso(competition.end_date)}",
                code="results_not_ready",
            )
        return competition, await repo.list_placed(session, competition_id)

    # ------------------------------------------------------------ competitions

    async def access_competition(self, session: AsyncSession, competition_id: int) -> Competition:
        competition = await repo.get_competition(session, competition_id)
        if competition is None:
            raise NotFound(f"No competition with id {competition_id}", code="competition_not_found")
        return competition

    async def get_competition(
        self, session: AsyncSession, competition_id: int
    ) -> tuple[Competition, int]:
        """A competition (closed first if due) and how many entries it has."""
        await self.settle(competition_id)
        competition = await self.access_competition(session, competition_id)
        return competition, await repo.count_submissions(session, competition_id)

    async def do_create_competition(
        self, session: AsyncSession, me: Principal, data: CompetitionCreate
    ) -> Competition:
        if not me.is_admin:
            raise Forbidden("Only admins create competitions", code="admin_required")
        now = self.clock.now()
        if data.end_date <= now:
            raise ValidationFailed.field("body.end_date", "must be in the future")
        competition = Competition(
            title=data.title,
            description=data.description,
            admin_id=me.user_id,
            start_date=data.start_date,
            end_date=data.end_date,
            allow_multiple_entries=data.allow_multiple_entries,
            status=OPEN,
            created_at=now,
            closed_at=None,
        )
        session.add(competition)
        await session.flush()
        self._invalidate_active(session)
        log.info("competition_created", competition_id=competition.id)
        return competition

    async def do_delete_competition(
        self, session: AsyncSession, me: Principal, competition_id: int
    ) -> None:
        if not me.is_admin:
            raise Forbidden("Only admins delete competitions", code="admin_required")
        if not await repo.delete_competition(session, competition_id):
            raise NotFound(f"No competition with id {competition_id}", code="competition_not_found")
        self._invalidate_active(session)
        log.info("competition_deleted", competition_id=competition_id, by=me.user_id)

    def _invalidate_active(self, session: AsyncSession) -> None:
        async def move_generation() -> None:
            await self.cache.set(ACTIVE_GENERATION_KEY, uuid.uuid4().hex.encode(), GENERATION_TTL)

        after_commit(session, move_generation)

    async def list_active(
        self, session: AsyncSession
    ) -> tuple[list[dict[str, Any]], datetime | None]:
        """The competitions accepting entries now (from the cache when it is fresh), and until when
        that list holds (the next start or end of any competition; None: no such moment).

        A cached list is valid until that moment, so an ended one is never served: the entry
        expires then, and is also checked against the clock on read.
        """
        now = self.clock.now()
        raw = await self.cache.get(ACTIVE_GENERATION_KEY)
        if raw is None:
            # Set before reading the database: a writer committing meanwhile moves it again.
            raw = uuid.uuid4().hex.encode()
            await self.cache.set(ACTIVE_GENERATION_KEY, raw, GENERATION_TTL)
        key = f"active:list:{raw.decode()}"
        cached = await get_json(self.cache, key)
        if isinstance(cached, dict):
            valid_until = cached.get("valid_until")
            holds_until = datetime.fromisoformat(valid_until) if valid_until else None
            if holds_until is None or holds_until > now:
                items: list[dict[str, Any]] = cached["items"]
                return items, holds_until
        competitions = await repo.list_active(session, now)
        boundaries = [c.end_date for c in competitions]
        next_start = await repo.next_start_after(session, now)
        if next_start is not None:
            boundaries.append(next_start)
        until = min(boundaries) if boundaries else None
        items = [summary_of(c).model_dump(mode="json") for c in competitions]
        ttl = ACTIVE_LIST_TTL
        if until is not None:
            ttl = min(ttl, (until - now).total_seconds())
        value = {"items": items, "valid_until": until.isoformat() if until else None}
        await set_json(self.cache, key, value, ttl)
        return items, until

    # ------------------------------------------------------------ submissions

    def _check_open(self, competition: Competition, now: datetime) -> None:
        if now < competition.start_date:
            raise BadRequest(
                f"Competition {competition.id} is not open yet: it opens at "
                f"{_iso(competition.start_date)}",
                code="competition_not_open",
            )
        if competition.status == CLOSED or now >= competition.end_date:
            raise BadRequest(
                f"Competition {competition.id} is closed: it ended at {_iso(competition.end_date)}",
                code="competition_not_open",
            )

    async def _access_for_change(self, session: AsyncSession, competition_id: int) -> Competition:
        """The competition, settled and share-locked: a close waits for this change to commit, so
        the ranking sees it (and this change sees a close that committed first)."""
        await self.settle(competition_id)
        competition = await repo.get_competition(session, competition_id, lock=True)
        if competition is None:
            raise NotFound(f"No competition with id {competition_id}", code="competition_not_found")
        return competition

    async def do_submit(
        self, session: AsyncSession, me: Principal, competition_id: int, data: SubmissionCreate
    ) -> Submission:
        competition = await self._access_for_change(session, competition_id)
        now = self.clock.now()
        self._check_open(competition, now)
        single = not competition.allow_multiple_entries
        if single and await repo.user_has_entry(session, competition_id, me.user_id):
            raise self._already_submitted(competition_id)
        submission = Submission(
            competition_id=competition_id,
            user_id=me.user_id,
            single_entry_user_id=me.user_id if single else None,
            username=me.username,
            title=data.title,
            content=data.content,
            created_at=now,
            updated_at=now,
            place=None,
        )
        session.add(submission)
        try:
            await session.flush()
        except IntegrityError as exc:
            # A second entry of the same user won the race past the check above.
            raise self._already_submitted(competition_id) from exc
        await emit(
            session,
            SubmissionCreated(
                submission_id=submission.id,
                competition_id=competition_id,
                competition_title=competition.title,
                user_id=me.user_id,
                username=me.username,
                title=submission.title,
                subscriber_ids=await repo.list_subscriber_ids(session, competition_id),
                created_at=now,
            ),
        )
        log.info("submission_created", competition_id=competition_id, submission_id=submission.id)
        return submission

    @staticmethod
    def _already_submitted(competition_id: int) -> Conflict:
        return Conflict(
            f"You already have an entry in competition {competition_id}; edit it instead",
            code="already_submitted",
        )

    async def _access_submission(
        self, session: AsyncSession, competition_id: int, submission_id: int
    ) -> Submission:
        submission = await repo.get_submission(session, submission_id)
        if submission is None or submission.competition_id != competition_id:
            raise NotFound(
                f"No submission {submission_id} in competition {competition_id}",
                code="submission_not_found",
            )
        return submission

    async def do_update_submission(
        self,
        session: AsyncSession,
        me: Principal,
        competition_id: int,
        submission_id: int,
        data: SubmissionUpdate,
    ) -> Counted:
        competition = await self._access_for_change(session, competition_id)
        submission = await self._access_submission(session, competition_id, submission_id)
        if submission.user_id != me.user_id:
            raise Forbidden("Only the author edits an entry", code="not_your_submission")
        now = self.clock.now()
        self._check_open(competition, now)
        changes = data.model_dump(exclude_unset=True, exclude_none=True)
        for field, value in changes.items():
            setattr(submission, field, value)
        if changes:
            submission.updated_at = now
            await session.flush()
        return await self._counted(session, submission_id)

    async def _counted(self, session: AsyncSession, submission_id: int) -> Counted:
        counted = await repo.get_counted(session, submission_id)
        if counted is None:
            raise NotFound(f"No submission {submission_id}", code="submission_not_found")
        return counted

    async def get_submission(
        self, session: AsyncSession, competition_id: int, submission_id: int
    ) -> Counted:
        await self.settle(competition_id)
        await self._access_submission(session, competition_id, submission_id)
        return await self._counted(session, submission_id)

    async def list_submissions(
        self, session: AsyncSession, competition_id: int, *, limit: int, cursor: str | None
    ) -> tuple[list[Counted], str | None]:
        await self.settle(competition_id)
        await self.access_competition(session, competition_id)
        rows = await repo.list_submissions(
            session, competition_id, limit=limit + 1, before=_cursor(cursor)
        )
        return _page(rows, limit)

    async def list_my_submissions(
        self, session: AsyncSession, me: Principal, *, limit: int, before: str | None
    ) -> list[Counted]:
        return await repo.list_user_submissions(
            session, me.user_id, limit=limit, before=_cursor(before)
        )

    # ------------------------------------------------------------ likes

    async def do_like(
        self, session: AsyncSession, me: Principal, competition_id: int, submission_id: int
    ) -> tuple[bool, int]:
        """Like an entry; (whether the like is new, the entry's like count)."""
        competition = await self._access_for_change(session, competition_id)
        submission = await self._access_submission(session, competition_id, submission_id)
        if submission.user_id == me.user_id:
            raise Forbidden("You cannot like your own entry", code="own_submission")
        now = self.clock.now()
        self._check_votable(competition, now)
        created = await repo.add_like(session, submission_id, me.user_id, now)
        if created:
            await emit(
                session,
                SubmissionLiked(
                    submission_id=submission_id,
                    competition_id=competition_id,
                    submission_title=submission.title,
                    author_id=submission.user_id,
                    liker_id=me.user_id,
                    liker_username=me.username,
                    liked_at=now,
                ),
            )
        return created, await repo.count_likes(session, submission_id)

    async def do_unlike(
        self, session: AsyncSession, me: Principal, competition_id: int, submission_id: int
    ) -> tuple[bool, int]:
        """Take a like back; (whether there was one, the entry's like count)."""
        competition = await self._access_for_change(session, competition_id)
        await self._access_submission(session, competition_id, submission_id)
        self._check_votable(competition, self.clock.now())
        removed = await repo.remove_like(session, submission_id, me.user_id)
        return removed, await repo.count_likes(session, submission_id)

    @staticmethod
    def _check_votable(competition: Competition, now: datetime) -> None:
        # Likes decide the places, so they stop counting when the competition ends.
        if competition.status == CLOSED or now >= competition.end_date:
            raise BadRequest(
                f"Competition {competition.id} ended at {_iso(competition.end_date)}; "
                "its likes are final",
                code="competition_closed",
            )

    # ------------------------------------------------------------ comments

    async def do_comment(
        self,
        session: AsyncSession,
        me: Principal,
        competition_id: int,
        submission_id: int,
        data: CommentCreate,
    ) -> Comment:
        submission = await self._access_submission(session, competition_id, submission_id)
        parent: Comment | None = None
        if data.parent_comment_id is not None:
            parent = await repo.get_comment(session, data.parent_comment_id)
            if parent is None:
                raise NotFound(
                    f"No comment with id {data.parent_comment_id}", code="comment_not_found"
                )
            if parent.submission_id != submission_id:
                raise ValidationFailed.field(
                    "body.parent_comment_id", "must be a comment on the same submission"
                )
            if parent.deleted_at is not None:
                raise BadRequest(
                    "The comment you reply to was deleted", code="parent_comment_deleted"
                )
        now = self.clock.now()
        comment = Comment(
            submission_id=submission_id,
            parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            user_id=me.user_id,
            username=me.username,
            content=data.content,
            created_at=now,
            updated_at=now,
            deleted_at=None,
        )
        session.add(comment)
        await session.flush()
        await emit(
            session,
            CommentAdded(
                comment_id=comment.id,
                submission_id=submission_id,
                competition_id=competition_id,
                submission_title=submission.title,
                submission_author_id=submission.user_id,
                commenter_id=me.user_id,
                commenter_username=me.username,
                parent_comment_id=parent.id if parent else None,
                parent_author_id=parent.user_id if parent else None,
                excerpt=_excerpt(comment.content),
                created_at=now,
            ),
        )
        return comment

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
            comment.content = text
            comment.updated_at = self.clock.now()
            await session.flush()
        return comment

    async def do_delete_comment(
        self, session: AsyncSession, me: Principal, competition_id: int, comment_id: int
    ) -> None:
        comment = await self._access_own_comment(session, me, competition_id, comment_id)
        now = self.clock.now()
        # The text goes; the comment stays as a placeholder so its replies keep their thread.
        comment.content = ""
        comment.deleted_at = now
        comment.updated_at = now
        await session.flush()

    async def list_comments(
        self,
        session: AsyncSession,
        competition_id: int,
        submission_id: int,
        *,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[CommentNode], str | None]:
        """A page of threads, oldest first; deleted comments with no living reply are left out."""
        await self._access_submission(session, competition_id, submission_id)
        roots, replies = await repo.list_threads(
            session, submission_id, limit=limit + 1, after=_cursor(cursor)
        )
        more = len(roots) > limit
        roots = roots[:limit]
        children: dict[int, list[Comment]] = {}
        for reply in replies:
            if reply.parent_id is not None:
                children.setdefault(reply.parent_id, []).append(reply)

        def build(comment: Comment) -> CommentNode | None:
            kids = [n for n in (build(c) for c in children.get(comment.id, [])) if n]
            if comment.deleted_at is not None and not kids:
                return None
            return CommentNode(comment, kids)

        threads = [n for n in (build(r) for r in roots) if n]
        return threads, str(roots[-1].id) if more and roots else None

    # ------------------------------------------------------------ subscriptions

    async def do_subscribe(self, session: AsyncSession, me: Principal, competition_id: int) -> bool:
        await self.settle(competition_id)
        competition = await self.access_competition(session, competition_id)
        if status_of(competition, self.clock.now()) == "closed":
            raise BadRequest(
                f"Competition {competition_id} has ended; there is nothing more to hear about",
                code="competition_closed",
            )
        return await repo.add_subscription(session, competition_id, me.user_id, self.clock.now())

    async def do_unsubscribe(
        self, session: AsyncSession, me: Principal, competition_id: int
    ) -> bool:
        await self.access_competition(session, competition_id)
        return await repo.remove_subscription(session, competition_id, me.user_id)

    async def list_my_subscriptions(
        self, session: AsyncSession, me: Principal, *, limit: int, before: str | None
    ) -> list[tuple[Subscription, Competition]]:
        return await repo.list_user_subscriptions(
            session, me.user_id, limit=limit, before=_cursor(before)
        )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def _cursor(value: str | None) -> int | None:
    return parse_id_cursor(value)


def _page(rows: list[Counted], limit: int) -> tuple[list[Counted], str | None]:
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, str(rows[-1].submission.id) if more and rows else None
