"""Rendered answers of the sports service's hot reads, each kept under the versions of the rows it
was made of (decision 0040).

A read asks the database for the current versions in its own unit of work and serves a kept
answer only when they are the ones it was made of: a write committed by any replica changes the
versions (every write to a game or its events bumps the game's `version` in its transaction), so
the next read anywhere makes the answer anew. Nothing here expires by time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

# Enough for every game a busy day reads; the least recently used goes first.
MAX_ANSWERS = 1024


class VersionedAnswers:
    """One app's (one replica's) rendered answers: `key` (which read) to (versions, body)."""

    def __init__(self, size: int = MAX_ANSWERS) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, tuple[Hashable, bytes]] = OrderedDict()

    def get(self, key: Hashable, versions: Hashable) -> bytes | None:
        """The body kept for `key` if it was made of exactly `versions`, else None."""
        found = self._answers.get(key)
        if found is None or found[0] != versions:
            return None
        self._answers.move_to_end(key)
        return found[1]

    def put(self, key: Hashable, versions: Hashable, body: bytes) -> None:
        """Keep `body`, made of rows at `versions` (read with them, in one statement)."""
        self._answers[key] = (versions, body)
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)
