"""Chat messages of a room: the rate and text checks, posting, editing and deleting (published
on the room's channel after commit), and the history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.auth.principal import Principal
from agora.platform.db import after_commit
from agora.platform.errors import Conflict, Forbidden, NotFound, RateLimited, ValidationFailed
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.platform.ratelimit import RateLimiterUnavailable
from agora.platform.realtime.base import Publication
from agora.services.discussions import repository as repo
from agora.services.discussions.models import Message, Room
from agora.services.discussions.schemas import MAX_MESSAGE_CHARS, message_frame
from agora.services.discussions.service.rooms import RoomRules, channel_of

log = structlog.get_logger("agora.discussions")


@dataclass
class Posted:
    """A chat change and, once committed and published, its publication on the room's
    channel."""

    message: Message
    publication: Publication | None = None


class ChatRules(RoomRules):
    async def list_messages(
        self, session: AsyncSession, room: Room, *, limit: int, cursor: str | None
    ) -> Page[Message]:
        """A room's visible messages, newest first."""
        messages = await repo.list_messages(
            session, room.id, limit=fetch_size(limit), before=parse_id_cursor(cursor)
        )
        return paginate(messages, limit, cursor_of=lambda message: message.id)

    async def list_missed_messages(
        self, session: AsyncSession, room_id: int, *, after: int, limit: int
    ) -> list[Message]:
        return await repo.list_messages_after(session, room_id, after=after, limit=limit)

    async def check_message_rate(self, me: Principal) -> None:
        """Count one chat write against the user's limit; RateLimited when over it."""
        try:
            state = await self.rate_limiter.hit(f"chat:{me.user_id}", self.message_limit)
        except RateLimiterUnavailable:
            # Chat keeps working when the limiter's store is down; the gateway still limits.
            log.warning("chat_rate_limiter_unavailable_failing_open")
            return
        if not state.allowed:
            raise RateLimited(
                f"At most {self.message_limit.amount} messages per "
                f"{self.message_limit.seconds} seconds",
                retry_after=state.reset_after,
            )

    @staticmethod
    def check_message_text(value: object) -> str:
        if not isinstance(value, str):
            raise ValidationFailed.field("message", "must be a string")
        if len(value) > MAX_MESSAGE_CHARS:
            raise ValidationFailed(
                f"message: at most {MAX_MESSAGE_CHARS} characters",
                code="message_too_long",
                details=[{"field": "message", "message": f"at most {MAX_MESSAGE_CHARS} chars"}],
            )
        if not value.strip():
            raise ValidationFailed(
                "message: must not be empty",
                code="empty_message",
                details=[{"field": "message", "message": "must not be empty"}],
            )
        return value

    async def _writable_room(self, session: AsyncSession, room_id: int) -> Room:
        room = await repo.get_room(session, room_id)
        if room is None or not room.active:
            raise Conflict("This room is closed", code="room_closed")
        return room

    def _publish_after_commit(
        self, session: AsyncSession, posted: Posted, frame: dict[str, Any]
    ) -> None:
        channel = channel_of(posted.message.room_id)

        async def publish() -> None:
            posted.publication = await self.hub.publish(channel, frame)

        after_commit(session, publish)

    async def do_post_message(
        self, session: AsyncSession, me: Principal, room_id: int, body: str
    ) -> Posted:
        await self._writable_room(session, room_id)
        message = await repo.add_message(
            session,
            room_id=room_id,
            user_id=me.user_id,
            username=me.username,
            body=body,
            now=self.clock.now(),
        )
        posted = Posted(message)
        self._publish_after_commit(
            session,
            posted,
            message_frame(
                message_id=message.id,
                room_id=room_id,
                user_id=me.user_id,
                username=me.username,
                body=body,
                created_at=message.created_at,
            ),
        )
        return posted

    async def _refuse_change(
        self, session: AsyncSession, room_id: int, message_id: int
    ) -> NoReturn:
        existing = await repo.get_message(session, message_id)
        if existing is None or existing.room_id != room_id or existing.deleted:
            raise NotFound(f"No message {message_id} in this room", code="message_not_found")
        raise Forbidden("You can only change your own messages", code="not_your_message")

    async def do_edit_message(
        self, session: AsyncSession, me: Principal, room_id: int, message_id: int, body: str
    ) -> Posted:
        await self._writable_room(session, room_id)
        message = await repo.edit_message(
            session, message_id, room_id, me.user_id, body, self.clock.now()
        )
        if message is None:
            await self._refuse_change(session, room_id, message_id)
        posted = Posted(message)
        frame = message_frame(
            message_id=message.id,
            room_id=room_id,
            user_id=message.user_id,
            username=message.username,
            body=message.body,
            created_at=message.created_at,
            edited_at=message.edited_at,
        )
        frame["type"] = "edited"
        self._publish_after_commit(session, posted, frame)
        return posted

    async def do_delete_message(
        self, session: AsyncSession, me: Principal, room_id: int, message_id: int
    ) -> Posted:
        await self._writable_room(session, room_id)
        if not await repo.delete_message(session, message_id, room_id, me.user_id):
            await self._refuse_change(session, room_id, message_id)
        message = await repo.get_message(session, message_id)
        if message is None:
            raise NotFound(f"No message {message_id} in this room", code="message_not_found")
        posted = Posted(message)
        frame = {
            "type": "deleted",
            "message_id": str(message_id),
            "roomId": str(room_id),
            "userId": str(me.user_id),
            "username": me.username,
        }
        self._publish_after_commit(session, posted, frame)
        return posted
