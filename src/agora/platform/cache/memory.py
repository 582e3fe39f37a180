"""The in-process cache of the embedded topology: a bounded LRU whose entries each carry a TTL."""

from __future__ import annotations

from collections import OrderedDict

from agora.platform.clock import Clock, SystemClock


class MemoryCache:
    """A `Cache` in one process: least recently used entries go first once it is full."""

    def __init__(
        self,
        max_entries: int = 10_000,
        default_ttl: float | None = 300,
        clock: Clock | None = None,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max_entries = max_entries
        self._default_ttl = default_ttl
        self._clock: Clock = clock or SystemClock()
        # key -> (value, monotonic deadline or None for no expiry)
        self._entries: OrderedDict[str, tuple[bytes, float | None]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, deadline = entry
        if deadline is not None and self._clock.monotonic() >= deadline:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        seconds = self._default_ttl if ttl is None else ttl
        if seconds is not None and seconds <= 0:
            # Already expired: storing it would only evict something live.
            self._entries.pop(key, None)
            return
        deadline = None if seconds is None else self._clock.monotonic() + seconds
        self._entries[key] = (value, deadline)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._entries.pop(key, None)

    async def close(self) -> None:
        return None
