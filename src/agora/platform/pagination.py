"""The contract's page rule, written once: a repository is asked for `limit + 1` rows; the extra
row only says that there is a next page, and the last row kept names the cursor of that page.

    rows = await repo.list_posts(session, before=parse_id_cursor(cursor), limit=fetch_size(limit))
    posts, next_cursor = paginate(rows, limit, cursor_of=lambda post: post.id)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, NamedTuple, TypeVar

from agora.platform.errors import BadRequest
from agora.platform.ids import parse_id

T = TypeVar("T")


class Page(NamedTuple, Generic[T]):
    """One page of a list and the cursor of the next page (None on the last page)."""

    items: list[T]
    next_cursor: str | None


def fetch_size(limit: int) -> int:
    """How many rows to ask for so that `paginate` can tell whether another page follows."""
    return limit + 1


def paginate(rows: Sequence[T], limit: int, *, cursor_of: Callable[[T], object]) -> Page[T]:
    """At most `limit` of `rows` (fetched with `fetch_size(limit)`), and the next page's cursor."""
    items = list(rows[:limit])
    more = len(rows) > limit
    next_cursor = str(cursor_of(items[-1])) if more and items else None
    return Page(items, next_cursor)


def parse_id_cursor(cursor: str | None) -> int | None:
    """The id a page's `next_cursor` carries (None for the first page); anything else is a 400."""
    if cursor is None or cursor == "":
        return None
    number = parse_id(cursor)
    if number is None:
        raise BadRequest("cursor must be a value returned as next_cursor", code="bad_cursor")
    return number
