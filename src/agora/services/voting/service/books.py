"""The catalogue of books and the open poll's ballot of candidates."""

from __future__ import annotations

import functools
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.auth.principal import Principal
from agora.platform.db import after_commit
from agora.platform.errors import Conflict, Forbidden
from agora.services.voting import repository as repo
from agora.services.voting.models import Book, Poll
from agora.services.voting.schemas import BookCreate
from agora.services.voting.service.base import ServiceBase

log = structlog.get_logger("agora.voting")


def book_key(text: str) -> str:
    """Titles and authors compare without case or spacing differences."""
    return " ".join(text.split()).casefold()


class BookRules(ServiceBase):
    """Books and candidates."""

    async def _do_find_or_add_book(
        self, session: AsyncSession, data: BookCreate, added_by: int, now: datetime
    ) -> Book:
        """The catalogue's book with this title and author, created if new."""
        title_key, author_key = book_key(data.title), book_key(data.author)
        book = await repo.find_book(session, title_key, author_key)
        if book is None:
            await repo.insert_book(
                session,
                title=data.title,
                author=data.author,
                description=data.description,
                title_key=title_key,
                author_key=author_key,
                added_by=added_by,
                now=now,
            )
            book = await repo.find_book(session, title_key, author_key)
            if book is None:
                raise RuntimeError(f"book {title_key!r} vanished right after it was added")
        return book

    async def _do_put_on_ballot(
        self, session: AsyncSession, poll: Poll, book: Book, added_by: int, now: datetime
    ) -> None:
        if await repo.was_winner(session, book.id):
            raise Conflict(
                f'"{book.title}" was a book of the month already',
                code="already_book_of_the_month",
            )
        if not await repo.add_candidate(session, poll.id, book.id, now, added_by):
            raise Conflict(
                f'"{book.title}" by {book.author} is already on the {poll.month} ballot',
                code="duplicate_book",
            )
        after_commit(session, functools.partial(self.live.poll_changed, poll.id))

    async def do_add_book(
        self, session: AsyncSession, me: Principal, data: BookCreate
    ) -> tuple[Poll, Book]:
        """An admin puts a book on the open poll's ballot."""
        if not me.is_admin:
            raise Forbidden("Only admins can add candidate books", code="admin_required")
        now = self.clock.now()
        poll = await self._lock_open_poll(session)
        book = await self._do_find_or_add_book(session, data, me.user_id, now)
        await self._do_put_on_ballot(session, poll, book, me.user_id, now)
        log.info("book_added", poll_id=poll.id, book_id=book.id)
        return poll, book
