"""Entries and their likes: submitting and editing while a competition is open, reading them with
their counts, and likes until the competition ends (they decide the places)."""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.competitions import SubmissionCreated, SubmissionLiked
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.errors import BadRequest, Conflict, Forbidden, NotFound
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.platform.schemas import iso
from agora.services.competitions import repository as repo
from agora.services.competitions.models import CLOSED, Competition, Submission
from agora.services.competitions.repository import Counted
from agora.services.competitions.schemas import SubmissionCreate, SubmissionUpdate
from agora.services.competitions.service.deadlines import Deadlines, is_due

log = structlog.get_logger("agora.competitions")


def _already_submitted(competition_id: int) -> Conflict:
    return Conflict(
        f"You already have an entry in competition {competition_id}; edit it instead",
        code="already_submitted",
    )


class SubmissionRules(Deadlines):
    """Entries and likes."""

    @staticmethod
    def _check_open(competition: Competition, now: datetime) -> None:
        if now < competition.start_date:
            raise BadRequest(
                f"Competition {competition.id} is not open yet: it opens at "
                f"{iso(competition.start_date)}",
                code="competition_not_open",
            )
        if competition.status == CLOSED or now >= competition.end_date:
            raise BadRequest(
                f"Competition {competition.id} is closed: it ended at {iso(competition.end_date)}",
                code="competition_not_open",
            )

    @staticmethod
    def _check_votable(competition: Competition, now: datetime) -> None:
        # Likes decide the places, so they stop counting when the competition ends.
        if competition.status == CLOSED or now >= competition.end_date:
            raise BadRequest(
                f"Competition {competition.id} ended at {iso(competition.end_date)}; "
                "its likes are final",
                code="competition_closed",
            )

    async def _access_for_change(self, session: AsyncSession, competition_id: int) -> Competition:
        """The competition, settled and share-locked: a close waits for this change to commit, so
        the ranking sees it (and this change sees a close that committed first)."""
        await self.do_settle(competition_id)
        competition = await repo.get_competition(session, competition_id, lock=True)
        if competition is None:
            raise NotFound(f"No competition with id {competition_id}", code="competition_not_found")
        return competition

    async def _get_counted(self, session: AsyncSession, submission_id: int) -> Counted:
        counted = await repo.get_counted(session, submission_id)
        if counted is None:
            raise NotFound(f"No submission {submission_id}", code="submission_not_found")
        return counted

    # ------------------------------------------------------------ entries

    async def do_submit(
        self, session: AsyncSession, me: Principal, competition_id: int, data: SubmissionCreate
    ) -> Submission:
        competition = await self._access_for_change(session, competition_id)
        now = self.clock.now()
        self._check_open(competition, now)
        single = not competition.allow_multiple_entries
        if single and await repo.user_has_entry(session, competition_id, me.user_id):
            raise _already_submitted(competition_id)
        try:
            submission = await repo.add_submission(
                session,
                competition_id=competition_id,
                user_id=me.user_id,
                single_entry=single,
                username=me.username,
                title=data.title,
                content=data.content,
                now=now,
            )
        except IntegrityError as exc:
            # A second entry of the same user won the race past the check above.
            raise _already_submitted(competition_id) from exc
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
        if data.title is not None or data.content is not None:
            await repo.update_submission(
                session, submission, now=now, title=data.title, content=data.content
            )
        return await self._get_counted(session, submission_id)

    async def get_submission(
        self, session: AsyncSession, competition_id: int, submission_id: int
    ) -> Counted:
        """An entry with its counts and its place as it stands now."""
        competition = await self.access_competition(session, competition_id)
        await self._access_submission(session, competition_id, submission_id)
        entry = await self._get_counted(session, submission_id)
        (entry,) = await self._as_of_now(session, [entry], self._due_ids(competition))
        return entry

    async def list_submissions(
        self, session: AsyncSession, competition_id: int, *, limit: int, cursor: str | None
    ) -> Page[Counted]:
        competition = await self.access_competition(session, competition_id)
        rows = await repo.list_submissions(
            session, competition_id, limit=fetch_size(limit), before=parse_id_cursor(cursor)
        )
        page = paginate(rows, limit, cursor_of=lambda entry: entry.submission.id)
        entries = await self._as_of_now(session, page.items, self._due_ids(competition))
        return Page(entries, page.next_cursor)

    async def list_my_submissions(
        self, session: AsyncSession, me: Principal, *, limit: int, before: str | None
    ) -> list[Counted]:
        """The seed's bare list: the next page starts `before` the last id of this one."""
        rows = await repo.list_user_submissions(
            session, me.user_id, limit=limit, before=parse_id_cursor(before)
        )
        due = set(await repo.list_due_ids(session, self.clock.now())) if rows else set()
        return await self._as_of_now(session, rows, due)

    def _due_ids(self, competition: Competition) -> set[int]:
        return {competition.id} if is_due(competition, self.clock.now()) else set()

    # ------------------------------------------------------------ likes

    async def list_liked(
        self, session: AsyncSession, me: Principal | None, entries: list[Counted]
    ) -> set[int] | None:
        """The ids of these entries that the caller likes; None for an anonymous caller (the
        answer then says nothing about likes of its own)."""
        if me is None:
            return None
        ids = [entry.submission.id for entry in entries]
        return await repo.list_liked_ids(session, me.user_id, ids)

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
            await self._publish_counts(session, competition_id, submission_id)
        return created, await repo.count_likes(session, submission_id)

    async def do_unlike(
        self, session: AsyncSession, me: Principal, competition_id: int, submission_id: int
    ) -> tuple[bool, int]:
        """Take a like back; (whether there was one, the entry's like count)."""
        competition = await self._access_for_change(session, competition_id)
        await self._access_submission(session, competition_id, submission_id)
        self._check_votable(competition, self.clock.now())
        removed = await repo.remove_like(session, submission_id, me.user_id)
        if removed:
            await self._publish_counts(session, competition_id, submission_id)
        return removed, await repo.count_likes(session, submission_id)
