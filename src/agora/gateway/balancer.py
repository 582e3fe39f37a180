"""Load balancing over a service's live instances (seed 001: round robin first, then load-based):
`RoundRobin` takes turns; `LeastOutstanding` picks the instance with the fewest requests in
flight."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from typing import Protocol

from agora.platform.discovery import Instance


class Balancer(Protocol):
    """Chooses an instance for the next request, or None when none is usable."""

    def pick(
        self, candidates: Sequence[Instance], exclude: Collection[str] = ()
    ) -> Instance | None: ...

    def started(self, instance: Instance) -> None:
        """A request to `instance` began."""
        ...

    def finished(self, instance: Instance) -> None:
        """A request to `instance` ended (success or not)."""
        ...


class RoundRobin:
    """Each instance in turn."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def pick(
        self, candidates: Sequence[Instance], exclude: Collection[str] = ()
    ) -> Instance | None:
        usable = [c for c in candidates if c.id not in exclude]
        if not usable:
            return None
        return usable[next(self._counter) % len(usable)]

    def started(self, instance: Instance) -> None:
        return None

    def finished(self, instance: Instance) -> None:
        return None


class LeastOutstanding:
    """The instance with the fewest requests in flight; ties go round robin."""

    def __init__(self) -> None:
        self._outstanding: dict[str, int] = {}
        self._counter = itertools.count()

    def pick(
        self, candidates: Sequence[Instance], exclude: Collection[str] = ()
    ) -> Instance | None:
        usable = [c for c in candidates if c.id not in exclude]
        if not usable:
            return None
        fewest = min(self._outstanding.get(c.id, 0) for c in usable)
        tied = [c for c in usable if self._outstanding.get(c.id, 0) == fewest]
        return tied[next(self._counter) % len(tied)]

    def started(self, instance: Instance) -> None:
        self._outstanding[instance.id] = self._outstanding.get(instance.id, 0) + 1

    def finished(self, instance: Instance) -> None:
        left = self._outstanding.get(instance.id, 0) - 1
        if left > 0:
            self._outstanding[instance.id] = left
        else:
            self._outstanding.pop(instance.id, None)

    def outstanding(self, instance_id: str) -> int:
        return self._outstanding.get(instance_id, 0)


def make_balancer(name: str) -> Balancer:
    if name == "round_robin":
        return RoundRobin()
    if name == "least_outstanding":
        return LeastOutstanding()
    raise ValueError(f"unknown balancer {name!r}; use round_robin or least_outstanding")
