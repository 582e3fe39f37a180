"""Consumers of other services' events: the book of the month opens its lobby (voting), albums
become known (reviews), sport categories and games get chatrooms (sports)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.reviews import AlbumAdded
from agora.contracts.events.sports import CategoryCreated, GameScheduled
from agora.contracts.events.voting import PollClosed
from agora.platform.bus.event import Event
from agora.platform.bus.inbox import Consumer
from agora.platform.db import Database
from agora.services.discussions.models import inbox
from agora.services.discussions.service import DiscussionsService


def build_consumer(database: Database, service: DiscussionsService) -> Consumer:
    """The discussions consumer group; the inbox makes each event's effect happen once."""
    consumer = Consumer(database, inbox, group="discussions")

    async def on_poll_closed(session: AsyncSession, payload: PollClosed, _: Event) -> None:
        await service.do_open_book_lobby(session, payload)

    async def on_album_added(session: AsyncSession, payload: AlbumAdded, _: Event) -> None:
        await service.do_record_album(session, payload)

    async def on_category_created(
        session: AsyncSession, payload: CategoryCreated, _: Event
    ) -> None:
        await service.do_open_category_room(session, payload)

    async def on_game_scheduled(session: AsyncSession, payload: GameScheduled, _: Event) -> None:
        await service.do_open_game_room(session, payload)

    consumer.on(PollClosed, on_poll_closed)
    consumer.on(AlbumAdded, on_album_added)
    consumer.on(CategoryCreated, on_category_created)
    consumer.on(GameScheduled, on_game_scheduled)
    return consumer
