"""The feed store protocol and its one error.

A feed is a set of positive integer ids ordered by id, read newest (largest) first. Ids double as
scores, so an id must say its age: later items get larger ids (database sequences do).

A feed is *present* once it was rebuilt (`rebuild`) and until it is deleted or lost. `add` to a
feed that is not present still records the ids, but does not make the feed present: a half-filled
feed must not pass for a complete one. Readers check `exists` and rebuild from the database when it
is false.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol


class FeedStoreUnavailable(Exception):
    """The store cannot be reached or failed; callers read from the database instead."""


class FeedStore(Protocol):
    """Capped, id-ordered feeds. Implementations: `MemoryFeedStore`, `RedisFeedStore`."""

    async def add(self, feeds: Collection[str], ids: Sequence[int], *, cap: int) -> None:
        """Add `ids` to each of `feeds` (one round trip), keeping each feed's newest `cap` ids."""
        ...

    async def remove(self, feeds: Collection[str], ids: Sequence[int]) -> None:
        """Remove `ids` from each of `feeds`; ids that are absent are ignored."""
        ...

    async def page(self, feed: str, *, before: int | None = None, limit: int) -> list[int]:
        """Up to `limit` ids below `before` (all when None), newest first."""
        ...

    async def exists(self, feed: str) -> bool:
        """True when the feed is present (rebuilt and not lost since)."""
        ...

    async def rebuild(self, feed: str, ids: Sequence[int], *, cap: int) -> None:
        """Make the feed present with `ids`, keeping its newest `cap`.

        Ids added while the caller was reading the database are kept (this merges instead of
        replacing), so an item fanned out during a rebuild is not lost.
        """
        ...

    async def delete(self, *feeds: str) -> None:
        """Forget feeds entirely; they are no longer present."""
        ...

    async def clear(self) -> None:
        """Forget every feed of this store (its key prefix only, for the Redis store)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
