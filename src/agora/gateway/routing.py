"""Path matching for the gateway: patterns, specificity, and the table that picks the owning
service.

Where two patterns match a path, the one with more literal segments wins, as the contract says
(`/users/profile/submissions` is the competitions service's, not the users service's
`/users/profile/{userId}`). Exact patterns beat prefixes (`/users/...`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ANY_METHOD = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Route:
    """A path pattern (`{name}` matches one segment; a trailing `/...` matches any rest) and its
    owner."""

    methods: frozenset[str]
    pattern: str
    service: str
    websocket: bool = False
    segments: tuple[str, ...] = field(init=False, repr=False, compare=False)
    prefix: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = tuple(p for p in self.pattern.split("/") if p)
        prefix = bool(parts) and parts[-1] == "..."
        object.__setattr__(self, "prefix", prefix)
        object.__setattr__(self, "segments", parts[:-1] if prefix else parts)

    @property
    def literal_count(self) -> int:
        return sum(1 for s in self.segments if not s.startswith("{"))

    @property
    def specificity(self) -> tuple[int, int, int]:
        # Exact patterns beat prefixes; then more literal segments; then longer patterns.
        return (0 if self.prefix else 1, self.literal_count, len(self.segments))

    def matches(self, parts: tuple[str, ...]) -> bool:
        if self.prefix:
            if len(parts) < len(self.segments):
                return False
        elif len(parts) != len(self.segments):
            return False
        for want, got in zip(self.segments, parts, strict=False):
            if _placeholder(want):
                if not got:
                    return False
            elif want != got:
                return False
        return True


def _placeholder(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


@dataclass(frozen=True, slots=True)
class Match:
    route: Route | None
    allowed: frozenset[str]

    @property
    def service(self) -> str | None:
        return self.route.service if self.route else None


def split_path(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split("/") if p)


class RouteTable:
    """Finds the owning service of a request path (without the `/api` prefix)."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = sorted(routes, key=lambda r: r.specificity, reverse=True)
        # The routes a path may match, by its first segment, in the table's order: a request is
        # tried against a few routes, not every one (a tenth of the gateway's hop went to the
        # whole table's scan; decision 0047).
        self._open = [r for r in self.routes if not r.segments or _placeholder(r.segments[0])]
        firsts = {r.segments[0] for r in self.routes if r.segments} - {
            r.segments[0] for r in self._open if r.segments
        }
        self._by_first = {
            first: [r for r in self.routes if r in self._open or r.segments[0] == first]
            for first in firsts
        }

    def match(self, method: str, path: str, *, websocket: bool = False) -> Match:
        """The best route for `method path`; `route` is None with `allowed` set when only the
        method is wrong."""
        parts = split_path(path)
        method = "GET" if method == "HEAD" else method
        allowed: set[str] = set()
        exact_owner: str | None = None
        candidates = self._by_first.get(parts[0], self._open) if parts else self._open
        for route in candidates:
            if not route.matches(parts):
                continue
            if route.prefix:
                # A contract route owns this path for other methods: the prefix may add methods only
                # when it belongs to the same service; otherwise this is a wrong method (405).
                if exact_owner is None or route.service == exact_owner:
                    return Match(route, route.methods)
                break
            if route.websocket != websocket:
                continue
            if websocket or method in route.methods:
                return Match(route, route.methods)
            exact_owner = exact_owner or route.service
            allowed |= route.methods
        return Match(None, frozenset(allowed))

    def services(self) -> set[str]:
        return {r.service for r in self.routes}

    def owns(self, service: str, path: str) -> bool:
        """True when some route of `service` matches `path` for some method."""
        parts = split_path(path)
        return any(r.service == service and r.matches(parts) for r in self.routes)
