"""Integer ids as clients send them. Every id column is a 64-bit integer (BIGINT on PostgreSQL,
INTEGER on SQLite), so an id beyond that range names nothing: it is refused at the edge, with the
field named, instead of reaching the database and failing there."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2**63 - 1

Id = Annotated[
    int, Field(ge=1, le=MAX_ID, description="An id (a string of digits is accepted too)")
]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="An id")]
IdQuery = Annotated[int | None, Field(ge=1, le=MAX_ID)]


def parse_id(value: object) -> int | None:
    """A positive id from text (a query parameter, a frame field), or None if it is not one."""
    if value is None:
        return None
    text = str(value).strip()
    # isdigit() alone admits other scripts' digits ("²", "٣"), which int() then refuses or reads.
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
