"""Typed dependency aliases for endpoints. Authenticated by default: a public route opts out by not
asking for `CurrentUser` (or by asking for `OptionalUser`).

    async def endpoint(db: DbSession, me: CurrentUser) -> ...

The session dependency owns the transaction: it commits after the endpoint returns and before the
response is sent, or rolls back if the endpoint raises.

What an app's endpoints need (its service object, its database, the hub...) is registered on the app
once, by type, and handed out by `provider`:

    Voting = Annotated[VotingService, Depends(provider(VotingService))]
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Generic, TypeVar, cast

from fastapi import Depends, Query, Request, WebSocket
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from agora.platform.auth.principal import Principal
from agora.platform.auth.sessions import SessionStore, check_session
from agora.platform.auth.tokens import TokenVerifier
from agora.platform.clientaddr import TrustedProxies
from agora.platform.db import Database
from agora.platform.errors import (
    WS_NOT_FOUND,
    Forbidden,
    NotFound,
    Unauthorized,
)
from agora.platform.logging import note_user
from agora.platform.reads import Reads
from agora.platform.realtime.base import Hub
from agora.platform.realtime.sockets import SCOPE_KEY, WS_POLICY_VIOLATION, LiveSocket, LiveSockets

T = TypeVar("T")

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WS_UNAUTHORIZED = 4401


class Key(Generic[T]):
    """Names an instance registered under an interface rather than its own class: mypy accepts no
    Protocol where a `type[T]` is expected."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Key({self.name!r})"


HUB: Key[Hub] = Key("hub")
SESSIONS: Key[SessionStore] = Key("sessions")


def _registry(app: Starlette) -> dict[object, object]:
    registry: dict[object, object] | None = getattr(app.state, "provided", None)
    if registry is None:
        registry = app.state.provided = {}
    return registry


def provide(app: Starlette, *instances: object) -> None:
    """Register each instance on `app` under its own class, for `provider(ThatClass)`."""
    registry = _registry(app)
    for instance in instances:
        registry[type(instance)] = instance


def provide_as(app: Starlette, key: Key[T], instance: T) -> None:
    """Register `instance` on `app` under an interface's key, for `provider(key)`."""
    _registry(app)[key] = instance


def registered(app: Starlette, key: type[T] | Key[T]) -> T:
    """The instance registered for `key` on `app`."""
    try:
        instance = _registry(app)[key]
    except KeyError:
        name = key.__name__ if isinstance(key, type) else key.name
        raise RuntimeError(f"nothing provides {name} on this app") from None
    # `provide` keys an instance by its own class and `provide_as` types it by the key's.
    return cast(T, instance)


def provided(connection: HTTPConnection, key: type[T] | Key[T]) -> T:
    """The instance registered for `key` on the app serving this request or WebSocket."""
    return registered(connection.app, key)


def provider(key: type[T] | Key[T]) -> Callable[[HTTPConnection], Awaitable[T]]:
    """A dependency that hands an endpoint (HTTP or WebSocket) the instance registered for
    `key`."""

    # A coroutine, so that FastAPI calls it on the event loop: a plain function would cost every
    # request a hop to the thread pool and back.
    async def dependency(connection: HTTPConnection) -> T:
        return provided(connection, key)

    return dependency


async def _db_session(request: Request) -> AsyncIterator[AsyncSession]:
    database = provided(request, Database)
    async with database.session(read_only=request.method in _READ_METHODS) as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(_db_session, scope="function")]


async def _db_reads(request: Request) -> AsyncIterator[Reads]:
    async with provided(request, Database).reads() as reads:
        yield reads


# Hot reads below the Session (decision 0044): what a read-only `DbSession` reads, for the
# endpoints whose statements are written for `Reads`.
DbReads = Annotated[Reads, Depends(_db_reads, scope="function")]


# For the rare endpoint whose work is more than one unit of work (something must commit even
# though the request then fails); every other endpoint asks for `DbSession`.
Db = Annotated[Database, Depends(provider(Database))]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization header must be 'Bearer <token>'", code="invalid_token")
    return token.strip()


def _verifier(request: Request) -> TokenVerifier:
    return provided(request, TokenVerifier)


async def _optional_user(request: Request) -> Principal | None:
    token = _bearer(request)
    if token is None:
        return None
    principal = _verifier(request).verify_access(token)
    note_user(principal.user_id)
    # A signed, unexpired token may still speak for a session that has ended (demotion,
    # deletion, logout): checked on every request, from a cache, not the users database.
    return await check_session(provided(request, SESSIONS), principal)


async def _current_user(
    principal: Annotated[Principal | None, Depends(_optional_user)],
) -> Principal:
    if principal is None:
        raise Unauthorized("This endpoint needs a bearer token")
    return principal


async def _admin_user(principal: Annotated[Principal, Depends(_current_user)]) -> Principal:
    if not principal.is_admin:
        raise Forbidden("Only admins can do this", code="admin_required")
    return principal


# Which dependencies mean "reads the token" and "needs one" (the OpenAPI document lists 401/403).
TOKEN_DEPENDENCIES = frozenset({_optional_user, _current_user, _admin_user})
TOKEN_REQUIRED = frozenset({_current_user, _admin_user})

Sessions = Annotated[SessionStore, Depends(provider(SESSIONS))]
OptionalUser = Annotated[Principal | None, Depends(_optional_user)]
CurrentUser = Annotated[Principal, Depends(_current_user)]
AdminUser = Annotated[Principal, Depends(_admin_user)]


async def _client_address(request: Request) -> str:
    # Behind the gateway the peer is the gateway: the address it vouches for is the client's.
    return provided(request, TrustedProxies).client_of(request.scope)


ClientAddress = Annotated[str, Depends(_client_address)]

# The contract's rule for lists that can grow without bound: `limit` (default 50, at most 200) and a
# cursor from the previous page's `next_cursor`.
PageLimit = Annotated[int, Query(ge=1, le=200, description="Page size (default 50, at most 200)")]
PageCursor = Annotated[
    str | None,
    Query(
        max_length=32,
        description=(
            "Opaque: the `next_cursor` of the previous page (absent or empty for the first page). "
            "Today it is the id of the last item seen, in ASCII digits; anything that is not a "
            "cursor the API returned is a 400 `bad_cursor`."
        ),
    ),
]


def check_acting_user(principal: Principal, claimed: int | str | None, *, field: str) -> None:
    """The contract's rule: a body or path field naming the acting user must name the token's
    user."""
    if claimed is None or str(claimed) == "":
        return
    if str(claimed) != str(principal.user_id):
        raise Forbidden(
            f"{field} names user {claimed}, but the token belongs to user {principal.user_id}",
            code="acting_user_mismatch",
        )


async def reject_websocket(websocket: WebSocket, code: int, reason: str) -> None:
    """Refuse a WebSocket with a close code the client can read.

    Closing before the handshake completes makes the server answer HTTP 403 and the code is lost;
    accepting first lets the client see e.g. 4401 (bad token) or 4404 (no such room).
    """
    await websocket.accept()
    await websocket.close(code=code, reason=reason[:120])


async def websocket_target_found(
    websocket: WebSocket, find: Callable[[AsyncSession], Awaitable[object]]
) -> bool:
    """Whether what a socket's path or query names (a room, a thread, a competition) exists:
    `find` looks it up in a read-only session and raises `NotFound` when it does not, and the
    socket is then closed with 4404 and the error's message (the caller just returns). Checked
    before subscribing, so a made-up id never creates a channel on the hub."""
    database = provided(websocket, Database)
    try:
        async with database.session(read_only=True) as session:
            await find(session)
    except NotFound as exc:
        await reject_websocket(websocket, WS_NOT_FOUND, exc.message)
        return False
    return True


async def authenticate_websocket(
    websocket: WebSocket, *, required: bool = True
) -> Principal | None:
    """The principal of a WebSocket, from its `ticket` query parameter (what browsers send: a
    single-use ticket from `POST /api/users/socket-ticket`, so no token is ever in a URL) or its
    `token` one (the contract's form, for API clients that keep their URLs out of logs); closes
    with 4401 when it is bad, spent or its session has ended, and with 1008 when the user already
    holds the most live sockets a process allows. The socket is then closed (4401) the moment the
    session ends.

    Returns None (after closing the socket) when authentication fails, or when neither was given
    and `required` is true; the caller then just returns.
    """
    ticket = websocket.query_params.get("ticket")
    token = websocket.query_params.get("token")
    if not ticket and not token:
        if required:
            await reject_websocket(
                websocket, WS_UNAUTHORIZED, "ticket (or token) query parameter required"
            )
        return None
    sessions = provided(websocket, SESSIONS)
    try:
        if ticket:
            redeemed = await sessions.redeem_ticket(ticket)
            if redeemed is None:
                raise Unauthorized("This ticket is unknown, spent or expired", code="bad_ticket")
            principal = redeemed
        else:
            principal = provided(websocket, TokenVerifier).verify_access(token or "")
        await check_session(sessions, principal)
    except Unauthorized as exc:
        await reject_websocket(websocket, WS_UNAUTHORIZED, exc.message)
        return None
    note_user(principal.user_id)
    socket = websocket.scope.get(SCOPE_KEY)
    if not isinstance(socket, LiveSocket):
        raise RuntimeError("authenticated sockets need LiveSockets registered on the app")
    sockets = provided(websocket, LiveSockets)
    if not sockets.admit(socket, principal):
        await reject_websocket(
            websocket,
            WS_POLICY_VIOLATION,
            f"Too many live sockets for this user (at most {sockets.per_user})",
        )
        return None
    return principal
