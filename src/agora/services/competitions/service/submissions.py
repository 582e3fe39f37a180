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
from agora.platform.db import Writes
from agora.platform.errors import BadRequest, Conflict, Forbidden, NotFound
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.platform.schemas import iso
from agora.services.competitions import repository as repo
from agora.services.competitions.models import CLOSED, Competition, Submission
from agora.services.competitions.repository import Counted, EntryRef, LikeTarget
from agora.services.competitions.schemas import SubmissionCreate, SubmissionUpdate
from agora.services.competitions.service.deadlines import Deadlines, Standing, is_due

log = structlog.get_logger("agora.competitions")


def _already_submitted(competition_id: int) -> Conflict:
    return Conflict(
        f"You already have an entry in competition {competition_id}; edit it instead",
        code="already_submitted",
    )


def _likes_final(competition: Standing) -> BadRequest:
    return BadRequest(
        f"Competition {competition.id} ended at {iso(competition.end_date)}; its likes are final",
        code="competition_closed",
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
    def _check_votable(competition: Standing, now: datetime) -> None:
        # Likes decide the places, so they stop counting when the competition ends.
        if competition.status == CLOSED or now >= competition.end_date:
            raise _likes_final(competition)

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

    async def _access_like_target(
        self, writes: Writes, competition_id: int, submission_id: int
    ) -> tuple[LikeTarget, EntryRef]:
        """The competition, share-locked (a close waits for this change to commit, so the ranking
        sees it), and the entry, or NotFound."""
        target = await repo.get_like_target(writes, competition_id, submission_id)
        if target is None:
            raise NotFound(f"No competition with id {competition_id}", code="competition_not_found")
        if target.author_id is None or target.title is None:
            raise NotFound(
                f"No submission {submission_id} in competition {competition_id}",
                code="submission_not_found",
            )
        return target, EntryRef(target.author_id, target.title)

    async def _close_due(self, competition_id: int, now: datetime) -> None:
        """Close a competition a like or unlike found past its end, in a unit of work of its own
        after the like's (as `do_settle` does before the other writes)."""
        async with self.database.session() as session:
            await self._do_close(session, competition_id, now)

    async def do_like(
        self, me: Principal, competition_id: int, submission_id: int
    ) -> tuple[bool, int]:
        """Like an entry; (whether the like is new, the entry's like count).

        One unit of work, a plain write (decision 0046): the competition's read (share-locked) is
        also the settle check; one found past its end is closed after it, and the like refused."""
        now = self.clock.now()
        async with self.database.writes() as writes:
            target, entry = await self._access_like_target(writes, competition_id, submission_id)
            if entry.author_id == me.user_id:
                raise Forbidden("You cannot like your own entry", code="own_submission")
            if not is_due(target, now):
                self._check_votable(target, now)
                if not await repo.add_like(writes, submission_id, me.user_id, now):
                    return False, await repo.count_likes(writes, submission_id)
                await emit(
                    writes,
                    SubmissionLiked(
                        submission_id=submission_id,
                        competition_id=competition_id,
                        submission_title=entry.title,
                        author_id=entry.author_id,
                        liker_id=me.user_id,
                        liker_username=me.username,
                        liked_at=now,
                    ),
                )
                return True, await self._publish_counts(writes, competition_id, submission_id)
        await self._close_due(competition_id, now)
        raise _likes_final(target)

    async def do_unlike(
        self, me: Principal, competition_id: int, submission_id: int
    ) -> tuple[bool, int]:
        """Take a like back; (whether there was one, the entry's like count). One unit of work, as
        `do_like`."""
        now = self.clock.now()
        async with self.database.writes() as writes:
            target, _ = await self._access_like_target(writes, competition_id, submission_id)
            if not is_due(target, now):
                self._check_votable(target, now)
                if not await repo.remove_like(writes, submission_id, me.user_id):
                    return False, await repo.count_likes(writes, submission_id)
                return True, await self._publish_counts(writes, competition_id, submission_id)
        await self._close_due(competition_id, now)
        raise _likes_final(target)
