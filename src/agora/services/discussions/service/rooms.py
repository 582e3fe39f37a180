"""Rooms of every kind (album, genre, book, sport, game): opening one per subject, closing, the
album catalog they are about, and who is present in each (from the hub)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.reviews import AlbumAdded
from agora.platform.auth.principal import Principal
from agora.platform.clock import Clock
from agora.platform.db import after_commit
from agora.platform.errors import Conflict, Forbidden, NotFound, ServiceUnavailable
from agora.platform.ids import parse_id
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.platform.ratelimit import RateLimit, RateLimiter
from agora.platform.reads import Reads, Row
from agora.platform.realtime.base import Hub
from agora.services.discussions import repository as repo
from agora.services.discussions.models import ALBUM, BOOK, GAME, GENRE, SPORT, Room
from agora.services.discussions.schemas import RoomCreate

log = structlog.get_logger("agora.discussions")

MUSIC_KINDS = (ALBUM, GENRE, BOOK, SPORT, GAME)
PRESENT_LIMIT = 100  # users listed in a presence frame; `present_count` has the total
# Above this many present users, arrivals and departures are no longer broadcast one by one: each
# would reach every member (N² frames as a big room fills). Counts stay in the room lists.
LARGE_ROOM = 100


def channel_of(room_id: int) -> str:
    return f"room:{room_id}"


@dataclass
class Presence:
    """Who is in a room: the first `PRESENT_LIMIT` distinct users, how many there are, and how
    many connections one given user holds."""

    present: list[dict[str, Any]]
    count: int
    connections_of_user: int


def summarize_presence(presence: dict[str, dict[str, Any]], user_id: str = "") -> Presence:
    """Who is present from a channel's connections (one user may hold several sockets). Every
    socket that joins a room summarizes it, so the passes over all connections are left to C
    (`map`, `dict.fromkeys`, `list.count`) and the listing stops at `PRESENT_LIMIT` users
    (decision 0045). User ids are strings, as `join` is given them."""
    infos = list(presence.values())
    uids: list[Any] = list(map(dict.get, infos, itertools.repeat("userId")))
    distinct = dict.fromkeys(uids)
    distinct.pop("", None)
    distinct.pop(None, None)
    listed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for uid, info in zip(uids, infos, strict=True):
        if len(listed) >= PRESENT_LIMIT:
            break
        if uid and uid not in seen:
            seen.add(uid)
            listed.append({"userId": str(uid), "username": info.get("username", "")})
    mine = uids.count(user_id) if user_id else 0
    return Presence(listed, len(distinct), mine)


class RoomRules:
    """Rooms and presence; the base of the other rules, which all happen in rooms."""

    def __init__(
        self,
        *,
        clock: Clock,
        hub: Hub,
        rate_limiter: RateLimiter,
        message_limit: RateLimit | None = None,
    ) -> None:
        self.clock = clock
        self.hub = hub
        self.rate_limiter = rate_limiter
        # Per user, over every room: enough for a lively conversation, not for a flood.
        self.message_limit = message_limit or RateLimit(10, 10)

    async def _open_room(
        self,
        session: AsyncSession,
        *,
        kind: str,
        ref: str,
        name: str,
        description: str,
        created_by: int | None,
        category_id: int | None = None,
    ) -> tuple[Room, bool]:
        """The open room about this subject: a new one, or the one already open."""
        new_id = await repo.insert_room_if_absent(
            session,
            kind=kind,
            ref=ref,
            name=name[:200],
            description=description[:500],
            created_by=created_by,
            category_id=category_id,
            now=self.clock.now(),
        )
        room = await (
            repo.get_room(session, new_id)
            if new_id is not None
            else repo.get_active_room_by_key(session, f"{kind}:{ref}")
        )
        if room is None:
            # The open room was closed between our insert and our read: rare; the client retries.
            raise Conflict("The room changed while opening it; try again", code="room_busy")
        return room, new_id is not None

    async def do_create_room(
        self, session: AsyncSession, me: Principal, data: RoomCreate
    ) -> tuple[Room, bool]:
        if data.roomType == ALBUM:
            album_id = parse_id(data.albumId)
            album = await repo.get_album(session, album_id) if album_id is not None else None
            if album is None:
                raise NotFound(
                    f"No album {data.albumId} in the catalog",
                    code="album_not_found",
                    details=[{"field": "body.albumId", "message": "unknown album"}],
                )
            year = f" ({album.year})" if album.year else ""
            return await self._open_room(
                session,
                kind=ALBUM,
                ref=str(album.album_id),
                name=f"{album.title} by {album.artist}",
                description=f"Talk about {album.title}{year} by {album.artist}",
                created_by=me.user_id,
            )
        slug = str(data.genreId)
        return await self._open_room(
            session,
            kind=GENRE,
            ref=slug,
            name=f"#{slug}",
            description=f"Talk about {slug} music",
            created_by=me.user_id,
        )

    async def access_room(self, session: AsyncSession, room_id: str | int) -> Room:
        number = parse_id(room_id)
        room = await repo.get_room(session, number) if number is not None else None
        if room is None:
            raise NotFound(f"No room {room_id}", code="room_not_found")
        return room

    async def access_open_room(self, session: AsyncSession, room_id: str | int) -> Room:
        room = await self.access_room(session, room_id)
        if not room.active:
            raise NotFound(f"Room {room_id} is closed", code="room_closed")
        return room

    async def access_room_row(self, reads: Reads, room_id: int) -> Row:
        """`access_room` as a plain read: the room's columns (a live socket's connection reads
        its room this way, decision 0045)."""
        room = await repo.get_room_row(reads, room_id)
        if room is None:
            raise NotFound(f"No room {room_id}", code="room_not_found")
        return room

    async def access_open_room_row(self, reads: Reads, room_id: int) -> Row:
        room = await self.access_room_row(reads, room_id)
        if room["closed_at"] is not None:
            raise NotFound(f"Room {room_id} is closed", code="room_closed")
        return room

    async def do_close_room(self, session: AsyncSession, me: Principal, room_id: str) -> Room:
        room = await self.access_room(session, room_id)
        if room.created_by != me.user_id and not me.is_admin:
            raise Forbidden("Only the room's creator or an admin can close it", code="not_yours")
        closed = await repo.close_room(session, room.id, self.clock.now())
        if closed is None:
            raise Conflict(f"Room {room_id} is already closed", code="room_closed")
        closed_id = closed.id

        async def announce() -> None:
            await self.hub.publish(
                channel_of(closed_id), {"type": "room_closed", "roomId": str(closed_id)}
            )

        after_commit(session, announce)
        log.info("room_closed", room_id=closed_id, by=me.user_id)
        return closed

    async def list_rooms(
        self,
        reads: Reads,
        *,
        kinds: tuple[str, ...],
        limit: int,
        cursor: str | None,
        category_id: int | None = None,
    ) -> Page[Row]:
        """Open rooms of these kinds, newest first (rows of `repo.list_rooms`)."""
        rooms = await repo.list_rooms(
            reads,
            kinds=kinds,
            limit=fetch_size(limit),
            before=parse_id_cursor(cursor),
            category_id=category_id,
        )
        return paginate(rooms, limit, cursor_of=lambda room: room["id"])

    async def do_record_album(self, session: AsyncSession, payload: AlbumAdded) -> None:
        """Learn an album of the catalog, so that a room can be opened about it."""
        await repo.add_album(
            session,
            album_id=payload.album_id,
            title=payload.title[:300],
            artist=payload.artist[:300],
            genre=payload.genre[:100],
            year=payload.year,
            now=self.clock.now(),
        )

    async def get_presence(self, room_id: int, user_id: str = "") -> Presence:
        return summarize_presence(await self.hub.presence(channel_of(room_id)), user_id)

    async def do_announce_presence(
        self, room_id: int, user: dict[str, str], event: str
    ) -> Presence:
        """Tell the room when a user's first connection arrives or their last one leaves (not in
        large rooms); returns who is present."""
        presence = await self.get_presence(room_id, user["userId"])
        mine = presence.connections_of_user
        changed = (event == "join" and mine == 1) or (event == "leave" and mine == 0)
        if changed and presence.count <= LARGE_ROOM:
            await self.hub.publish(
                channel_of(room_id),
                {
                    "type": "presence",
                    "event": event,
                    **user,
                    "present": presence.present,
                    "present_count": presence.count,
                },
            )
        return presence

    async def get_active_users(self, room_ids: Iterable[int]) -> dict[int, int]:
        """How many distinct users are connected to each room now (0 while the hub is down: a
        room list without live counts beats no room list)."""
        counts: dict[int, int] = {}
        for room_id in room_ids:
            try:
                counts[room_id] = (await self.get_presence(room_id)).count
            except ServiceUnavailable:
                log.warning("presence_unavailable", room_id=room_id)
                counts[room_id] = 0
        return counts
