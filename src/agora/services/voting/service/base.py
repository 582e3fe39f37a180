"""What every part of the voting rules shares: the collaborators, and the open poll."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.clock import Clock
from agora.platform.db import Database
from agora.platform.errors import Conflict
from agora.platform.realtime.base import Hub
from agora.services.voting import repository as repo
from agora.services.voting.models import Poll
from agora.services.voting.service.live_counts import LiveCounts


def no_open_poll() -> Conflict:
    return Conflict("No poll is open right now; try again in a moment", code="no_open_poll")


class ServiceBase:
    """The voting rules' collaborators. Endpoints hand the rules the request's session; the rules
    only flush."""

    def __init__(self, *, database: Database, clock: Clock, hub: Hub) -> None:
        self.database = database
        self.clock = clock
        self.live = LiveCounts(database, hub)

    async def access_open_poll(self, session: AsyncSession) -> Poll:
        """The poll that is open (it may have reached its deadline and not be settled yet)."""
        poll = await repo.get_open_poll(session)
        if poll is None:
            raise no_open_poll()
        return poll

    async def _lock_open_poll(self, session: AsyncSession) -> Poll:
        """The open poll, locked until this transaction ends (a close waits for ballot changes)."""
        poll = await repo.lock_open_poll(session)
        if poll is None:
            raise no_open_poll()
        return poll
