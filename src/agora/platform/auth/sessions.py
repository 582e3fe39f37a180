"""Which access tokens still speak for their user: a per-user session version, and the logins
(refresh-token families) that were signed out.

An access token carries the user's session version (`ver`) and its login (`fam`). The users service
raises a user's version when their authority changes (demotion, deletion, "sign out everywhere"),
and ends one family on logout. Every service checks each token against this store on every request
and socket, so such a change ends access at once rather than when the token expires.

The store is a port: in process (embedded), or in Redis with a local cache that Redis pub/sub
invalidates (cluster), so the check costs no database query and, in the steady state, no network
round trip. Versions only go up (`raise_version` keeps the larger), so a raise written before its
database transaction commits and then rolled back ends sessions once too often, never too rarely;
the users service issues tokens with the larger of its column and this store.

The store also holds socket tickets: a browser cannot set headers on a WebSocket, and a token in
the URL ends up in proxies' and servers' logs and the browser's history. It trades its access
token (in a header) for a ticket, a random string that stands for the token's principal for
`TICKET_SECONDS` and is spent by the first socket that presents it, on whichever process gets the
socket (hence here: the store every process shares).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from agora.platform.auth.principal import Principal
from agora.platform.errors import Unauthorized

SessionsChanged = Callable[[int], None]
# Long enough for a slow link's round trip from the ticket's response to the socket's handshake.
TICKET_SECONDS = 30


def new_ticket() -> str:
    """192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True, slots=True)
class UserSessions:
    """What a user's tokens must satisfy: a version at least `version`, a family not ended."""

    version: int = 0
    ended_families: frozenset[str] = frozenset()

    def admits(self, principal: Principal) -> bool:
        if principal.version < self.version:
            return False
        return principal.family is None or principal.family not in self.ended_families


class SessionStore(Protocol):
    """Implementations: `MemorySessionStore`, `RedisSessionStore`."""

    async def get(self, user_id: int) -> UserSessions:
        """The user's current session state (cached where the store can)."""
        ...

    async def raise_version(self, user_id: int, version: int) -> None:
        """Every token of the user with a lower version stops working (never lowers it)."""
        ...

    async def end_family(self, user_id: int, family: str, *, ttl_seconds: int) -> None:
        """Tokens of this login stop working; remembered for `ttl_seconds` (the access TTL:
        by then every token of the family has expired anyway)."""
        ...

    async def issue_ticket(self, principal: Principal, *, ttl_seconds: int = TICKET_SECONDS) -> str:
        """A single-use ticket that stands for `principal` for `ttl_seconds`."""
        ...

    async def redeem_ticket(self, ticket: str) -> Principal | None:
        """The ticket's principal, once: None if it is unknown, spent or expired."""
        ...

    def watch(self, callback: SessionsChanged) -> None:
        """Call `callback(user_id)` in this process whenever that user's sessions change, in any
        process (live sockets close on it)."""
        ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...


async def check_session(store: SessionStore, principal: Principal) -> Principal:
    """The principal, if its token is still in force; else `Unauthorized` (`session_ended`)."""
    if not (await store.get(principal.user_id)).admits(principal):
        raise Unauthorized("This session has ended; sign in again", code="session_ended")
    return principal


@dataclass
class _Entry:
    version: int = 0
    families: dict[str, float] = field(default_factory=dict)  # family → forget after (monotonic)


class MemorySessionStore:
    """A `SessionStore` in one process (the embedded topology, and tests)."""

    def __init__(self, *, now: Callable[[], float] = time.monotonic) -> None:
        self._users: dict[int, _Entry] = {}
        self._tickets: dict[str, tuple[Principal, float]] = {}
        self._watchers: list[SessionsChanged] = []
        self._now = now

    async def get(self, user_id: int) -> UserSessions:
        entry = self._users.get(user_id)
        if entry is None:
            return UserSessions()
        now = self._now()
        families = frozenset(f for f, until in entry.families.items() if until > now)
        return UserSessions(entry.version, families)

    def _changed(self, user_id: int) -> None:
        for callback in self._watchers:
            callback(user_id)

    async def raise_version(self, user_id: int, version: int) -> None:
        entry = self._users.setdefault(user_id, _Entry())
        if version > entry.version:
            entry.version = version
            self._changed(user_id)

    async def end_family(self, user_id: int, family: str, *, ttl_seconds: int) -> None:
        entry = self._users.setdefault(user_id, _Entry())
        now = self._now()
        entry.families = {f: u for f, u in entry.families.items() if u > now}
        entry.families[family] = now + ttl_seconds
        self._changed(user_id)

    async def issue_ticket(self, principal: Principal, *, ttl_seconds: int = TICKET_SECONDS) -> str:
        now = self._now()
        # Unredeemed tickets are dropped as new ones are issued, so the dict stays small.
        self._tickets = {t: entry for t, entry in self._tickets.items() if entry[1] > now}
        ticket = new_ticket()
        self._tickets[ticket] = (principal, now + ttl_seconds)
        return ticket

    async def redeem_ticket(self, ticket: str) -> Principal | None:
        entry = self._tickets.pop(ticket, None)
        if entry is None or entry[1] <= self._now():
            return None
        return entry[0]

    def watch(self, callback: SessionsChanged) -> None:
        self._watchers.append(callback)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None
