"""The sports seed's chatrooms: a general room per sport category and one per game, opened by the
sports service's events, and joined by their members."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.sports import CategoryCreated, GameScheduled
from agora.platform.auth.principal import Principal
from agora.platform.errors import BadRequest, Conflict, Forbidden, NotFound
from agora.platform.ids import parse_id
from agora.platform.schemas import iso
from agora.services.discussions import repository as repo
from agora.services.discussions.models import GAME, SPORT, Room
from agora.services.discussions.schemas import ChatroomJoin
from agora.services.discussions.service.rooms import RoomRules

SPORTS_KINDS = (SPORT, GAME)
MEMBER_LIST_LIMIT = 200


class ChatroomRules(RoomRules):
    async def do_join_chatroom(
        self, session: AsyncSession, me: Principal, category: str, data: ChatroomJoin
    ) -> tuple[Room, int, list[str]]:
        """Join a category's general room, or the room of one of its games (`chatroom_id`)."""
        if data.user_id is not None and str(data.user_id).strip() not in ("", str(me.user_id)):
            raise Forbidden(
                f"user_id names user {data.user_id}, but the token belongs to user {me.user_id}",
                code="acting_user_mismatch",
            )
        category_id = parse_id(category)
        if category_id is None:
            raise NotFound(f"No sport category {category}", code="category_not_found")
        if data.category_id is not None and parse_id(data.category_id) != category_id:
            raise BadRequest(
                "category_id in the body differs from the one in the path",
                code="category_mismatch",
            )
        room: Room | None
        if data.chatroom_id is not None and str(data.chatroom_id).strip() != "":
            number = parse_id(data.chatroom_id)
            room = await repo.get_room(session, number) if number is not None else None
            if room is None or room.kind not in SPORTS_KINDS or room.category_id != category_id:
                raise NotFound(
                    f"No chatroom {data.chatroom_id} in category {category_id}",
                    code="chatroom_not_found",
                )
        else:
            room = await repo.get_active_room_by_key(session, f"{SPORT}:{category_id}")
            if room is None:
                raise NotFound(
                    f"Sport category {category_id} has no chatroom", code="category_not_found"
                )
        if not room.active:
            raise Conflict(f"Chatroom {room.id} is closed", code="room_closed")
        await repo.add_member(session, room.id, me.user_id, me.username, self.clock.now())
        names = await repo.list_member_names(session, room.id, MEMBER_LIST_LIMIT)
        return room, category_id, names

    async def do_open_category_room(self, session: AsyncSession, payload: CategoryCreated) -> None:
        await self._open_room(
            session,
            kind=SPORT,
            ref=str(payload.category_id),
            name=f"{payload.name} chat",
            description=f"General chat about {payload.name}",
            created_by=None,
            category_id=payload.category_id,
        )

    async def do_open_game_room(self, session: AsyncSession, payload: GameScheduled) -> None:
        await self._open_room(
            session,
            kind=GAME,
            ref=str(payload.game_id),
            name=f"{payload.team_1} vs {payload.team_2}",
            description=(
                f"{payload.sport_category}: {payload.team_1} vs {payload.team_2}, "
                f"starting {iso(payload.start_time)}"
            ),
            created_by=None,
            category_id=payload.category_id,
        )
