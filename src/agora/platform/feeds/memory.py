"""The in-process feed store of the embedded topology: sorted lists of ids; the least recently used
feeds go first once there are too many (a dropped feed is simply rebuilt by its next reader)."""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

# Up to this many ids are inserted one by one; more (a rebuild, a follow) are merged by sorting.
_FEW = 8


@dataclass
class _Feed:
    ids: list[int] = field(default_factory=list)  # ascending
    present: bool = False


class MemoryFeedStore:
    """A `FeedStore` inside one process."""

    def __init__(self, max_feeds: int = 100_000) -> None:
        if max_feeds < 1:
            raise ValueError("max_feeds must be at least 1")
        self._max_feeds = max_feeds
        self._feeds: OrderedDict[str, _Feed] = OrderedDict()

    def __len__(self) -> int:
        return len(self._feeds)

    def _touch(self, name: str) -> _Feed:
        feed = self._feeds.get(name)
        if feed is None:
            feed = self._feeds[name] = _Feed()
            while len(self._feeds) > self._max_feeds:
                self._feeds.popitem(last=False)
        else:
            self._feeds.move_to_end(name)
        return feed

    @staticmethod
    def _insert(feed: _Feed, ids: Sequence[int], cap: int) -> None:
        if len(ids) > _FEW:
            feed.ids = sorted(set(feed.ids).union(ids))
        else:
            for item in ids:
                at = bisect.bisect_left(feed.ids, item)
                if at == len(feed.ids) or feed.ids[at] != item:
                    feed.ids.insert(at, item)
        if len(feed.ids) > cap:
            del feed.ids[: len(feed.ids) - cap]

    async def add(self, feeds: Collection[str], ids: Sequence[int], *, cap: int) -> None:
        if not ids:
            return
        for name in feeds:
            self._insert(self._touch(name), ids, cap)

    async def remove(self, feeds: Collection[str], ids: Sequence[int]) -> None:
        gone = set(ids)
        for name in feeds:
            feed = self._feeds.get(name)
            if feed is not None:
                feed.ids = [item for item in feed.ids if item not in gone]

    async def page(self, feed: str, *, before: int | None = None, limit: int) -> list[int]:
        stored = self._feeds.get(feed)
        if stored is None or limit <= 0:
            return []
        self._feeds.move_to_end(feed)
        end = len(stored.ids) if before is None else bisect.bisect_left(stored.ids, before)
        return stored.ids[max(0, end - limit) : end][::-1]

    async def exists(self, feed: str) -> bool:
        stored = self._feeds.get(feed)
        return stored is not None and stored.present

    async def rebuild(self, feed: str, ids: Sequence[int], *, cap: int) -> None:
        stored = self._touch(feed)
        self._insert(stored, ids, cap)
        stored.present = True

    async def delete(self, *feeds: str) -> None:
        for name in feeds:
            self._feeds.pop(name, None)

    async def clear(self) -> None:
        self._feeds.clear()

    async def close(self) -> None:
        return None
