"""The contract's page rule, written once: a repository is asked for `limit + 1` rows; the extra
row only says that there is a next page, and the last row kept names the cursor of that page.

    rows = await repo.list_posts(session, before=parse_id_cursor(cursor), limit=fetch_size(limit))
    posts, next_cursor = paginate(rows, limit, cursor_of=lambda post: post.id)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
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


def bad_cursor(name: str = "cursor") -> BadRequest:
    """The 400 for a cursor (query parameter `name`) the API did not hand out."""
    return BadRequest(f"{name} must be a value returned as next_cursor", code="bad_cursor")


def parse_id_cursor(cursor: str | None) -> int | None:
    """The id a page's `next_cursor` carries (None for the first page); anything else is a 400."""
    if cursor is None or cursor == "":
        return None
    number = parse_id(cursor)
    if number is None:
        raise bad_cursor()
    return number


def time_id_cursor(when: datetime, row_id: int) -> str:
    """The cursor after a row of a list kept in (time, id) order: the time in microseconds since
    the epoch, and the id, which orders rows of the same time."""
    micros = int(when.timestamp()) * 1_000_000 + when.microsecond
    return f"{micros}_{row_id}"


def parse_time_id_cursor(
    cursor: str | None, *, name: str = "cursor"
) -> tuple[datetime, int] | None:
    """The (time, id) a `time_id_cursor` carries (None for the first page); anything else is a 400
    naming the parameter `name`."""
    if cursor is None or cursor == "":
        return None
    micros, _, id_text = cursor.partition("_")
    row_id = parse_id(id_text)
    if row_id is not None and micros.isascii() and micros.isdigit() and len(micros) <= 20:
        seconds, fraction = divmod(int(micros), 1_000_000)
        try:
            return datetime.fromtimestamp(seconds, UTC).replace(microsecond=fraction), row_id
        except (OverflowError, ValueError, OSError):
            pass  # beyond the years a datetime holds: no row has such a time
    raise bad_cursor(name)
