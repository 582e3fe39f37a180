"""Members' nominations: a member suggests a book, an admin approves it onto the ballot or rejects
it, and the member may withdraw it while it waits."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.auth.principal import Principal
from agora.platform.errors import Conflict, Forbidden, NotFound
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.services.voting import repository as repo
from agora.services.voting.models import APPROVED, PENDING, REJECTED, WITHDRAWN, Book, Nomination
from agora.services.voting.schemas import BookCreate
from agora.services.voting.service.books import BookRules, book_key

NOMINATION_LIMIT = 3


async def _reload_nomination(session: AsyncSession, nomination_id: int) -> Nomination:
    nomination = await repo.get_nomination(session, nomination_id)
    if nomination is None:
        raise RuntimeError(f"nomination {nomination_id} vanished inside its own transaction")
    return nomination


class NominationRules(BookRules):
    """Nominations and their decisions."""

    async def do_nominate(
        self, session: AsyncSession, me: Principal, data: BookCreate
    ) -> Nomination:
        """A member suggests a book; at most `NOMINATION_LIMIT` of theirs wait at a time."""
        now = self.clock.now()
        title_key, author_key = book_key(data.title), book_key(data.author)
        poll = await self.access_open_poll(session)
        if await repo.find_candidate_by_keys(session, poll.id, title_key, author_key):
            raise Conflict(
                f'"{data.title}" is already on the {poll.month} ballot', code="already_a_candidate"
            )
        known = await repo.find_book(session, title_key, author_key)
        if known is not None and await repo.was_winner(session, known.id):
            raise Conflict(
                f'"{known.title}" was a book of the month already',
                code="already_book_of_the_month",
            )
        if not await repo.take_nomination_slot(session, me.user_id, NOMINATION_LIMIT):
            raise Conflict(
                f"You have {NOMINATION_LIMIT} nominations waiting for a decision already",
                code="too_many_nominations",
            )
        nomination_id = await repo.insert_nomination(
            session,
            user_id=me.user_id,
            username=me.username,
            title=data.title,
            author=data.author,
            description=data.description,
            title_key=title_key,
            author_key=author_key,
            now=now,
        )
        if nomination_id is None:
            raise Conflict(f'You nominated "{data.title}" already', code="already_nominated")
        return await _reload_nomination(session, nomination_id)

    async def list_nominations(
        self,
        session: AsyncSession,
        me: Principal,
        *,
        status: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Nomination]:
        """Admins see everyone's (pending unless another status is asked); members their own."""
        if me.is_admin:
            user_id = None
            status = status or PENDING
        else:
            user_id = me.user_id
        if status == "all":
            status = None
        rows = await repo.list_nominations(
            session,
            user_id=user_id,
            status=status,
            limit=fetch_size(limit),
            before=parse_id_cursor(cursor),
        )
        return paginate(rows, limit, cursor_of=lambda nomination: nomination.id)

    async def _access_pending(self, session: AsyncSession, nomination_id: int) -> Nomination:
        nomination = await repo.get_nomination(session, nomination_id)
        if nomination is None:
            raise NotFound(f"No nomination with id {nomination_id}", code="nomination_not_found")
        if nomination.status != PENDING:
            raise Conflict(
                f"This nomination was {nomination.status} already", code="nomination_decided"
            )
        return nomination

    async def _do_decide(
        self,
        session: AsyncSession,
        nomination: Nomination,
        me: Principal,
        status: str,
        *,
        reason: str | None = None,
        book_id: int | None = None,
        poll_id: int | None = None,
    ) -> Nomination:
        decided = await repo.decide_nomination(
            session,
            nomination.id,
            status=status,
            now=self.clock.now(),
            decided_by=me.user_id,
            reason=reason,
            book_id=book_id,
            poll_id=poll_id,
        )
        if not decided:
            raise Conflict("This nomination was decided already", code="nomination_decided")
        await repo.release_nomination_slot(session, nomination.user_id)
        return await _reload_nomination(session, nomination.id)

    async def do_approve(
        self, session: AsyncSession, me: Principal, nomination_id: int
    ) -> tuple[Nomination, Book]:
        """An admin approves: the book becomes a candidate of the open poll."""
        if not me.is_admin:
            raise Forbidden("Only admins can approve nominations", code="admin_required")
        now = self.clock.now()
        poll = await self._lock_open_poll(session)
        nomination = await self._access_pending(session, nomination_id)
        book = await self._do_find_or_add_book(
            session,
            BookCreate(
                title=nomination.title,
                author=nomination.author,
                description=nomination.description,
            ),
            nomination.user_id,
            now,
        )
        await self._do_put_on_ballot(session, poll, book, me.user_id, now)
        decided = await self._do_decide(
            session, nomination, me, APPROVED, book_id=book.id, poll_id=poll.id
        )
        return decided, book

    async def do_reject(
        self, session: AsyncSession, me: Principal, nomination_id: int, reason: str | None
    ) -> Nomination:
        if not me.is_admin:
            raise Forbidden("Only admins can reject nominations", code="admin_required")
        nomination = await self._access_pending(session, nomination_id)
        return await self._do_decide(session, nomination, me, REJECTED, reason=reason or None)

    async def do_withdraw(
        self, session: AsyncSession, me: Principal, nomination_id: int
    ) -> Nomination:
        """The member who nominated a book takes it back while it waits."""
        nomination = await repo.get_nomination(session, nomination_id)
        if nomination is None:
            raise NotFound(f"No nomination with id {nomination_id}", code="nomination_not_found")
        if nomination.user_id != me.user_id:
            raise Forbidden("Only the member who nominated it can withdraw it", code="not_yours")
        nomination = await self._access_pending(session, nomination_id)
        return await self._do_decide(session, nomination, me, WITHDRAWN)
