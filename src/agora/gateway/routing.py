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
    # The segments as matched: a literal, or None where a placeholder takes any one segment.
    _literals: tuple[str | None, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = tuple(p for p in self.pattern.split("/") if p)
        prefix = bool(parts) and parts[-1] == "..."
        segments = parts[:-1] if prefix else parts
        object.__setattr__(self, "prefix", prefix)
        object.__setattr__(self, "segments", segments)
        literals = tuple(None if _placeholder(s) else s for s in segments)
        object.__setattr__(self, "_literals", literals)

    @property
    def literal_count(self) -> int:
        return sum(1 for s in self.segments if not s.startswith("{"))

    @property
    def specificity(self) -> tuple[int, int, int]:
        # Exact patterns beat prefixes; then more literal segments; then longer patterns.
        return (0 if self.prefix else 1, self.literal_count, len(self.segments))

    def fits(self, length: int) -> bool:
        """Whether a path of `length` segments can match (a prefix takes any longer one)."""
        wanted = len(self._literals)
        return length >= wanted if self.prefix else length == wanted

    def matches(self, parts: tuple[str, ...]) -> bool:
        return self.fits(len(parts)) and self.segments_match(parts)

    def segments_match(self, parts: tuple[str, ...]) -> bool:
        """Whether a path that `fits` matches segment by segment."""
        for want, got in zip(self._literals, parts, strict=False):
            if want is None:
                if not got:
                    return False
            elif want != got:
                return False
        return True


# Paths up to this many segments have their candidate routes kept (every contract path is far
# shorter).
_SHAPED = 12


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
        # And by the path's length: the profile read was tried against eight routes (its match
        # took 8.55 µs, 6.58 µs with this; docs/performance.md). Filled as paths come, for the
        # table's first segments and lengths up to `_SHAPED` only, so a client cannot grow it.
        self._by_shape: dict[tuple[str | None, int], list[Route]] = {}

    def match(self, method: str, path: str, *, websocket: bool = False) -> Match:
        """The best route for `method path`; `route` is None with `allowed` set when only the
        method is wrong."""
        parts = split_path(path)
        method = "GET" if method == "HEAD" else method
        allowed: set[str] = set()
        exact_owner: str | None = None
        for route in self._candidates(parts):  # each fits the path's length
            if not route.segments_match(parts):
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

    def _candidates(self, parts: tuple[str, ...]) -> list[Route]:
        """The routes that may match a path of these segments, in the table's order."""
        first = parts[0] if parts and parts[0] in self._by_first else None
        key = (first, len(parts))
        shaped = self._by_shape.get(key)
        if shaped is None:
            listed = self._open if first is None else self._by_first[first]
            shaped = [r for r in listed if r.fits(len(parts))]
            if len(parts) <= _SHAPED:
                self._by_shape[key] = shaped
        return shaped

    def services(self) -> set[str]:
        return {r.service for r in self.routes}

    def owns(self, service: str, path: str) -> bool:
        """True when some route of `service` matches `path` for some method."""
        parts = split_path(path)
        return any(r.service == service and r.matches(parts) for r in self.routes)
