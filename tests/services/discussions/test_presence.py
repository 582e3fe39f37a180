"""Presence announcements: once per user (not per socket), and not one by one in large rooms."""

from __future__ import annotations

from agora.platform.clock import ManualClock
from agora.platform.ratelimit_backends import MemoryRateLimiter
from agora.platform.realtime.memory import MemoryHub
from agora.services.discussions.service import (
    LARGE_ROOM,
    PRESENT_LIMIT,
    DiscussionsService,
    channel_of,
)


def _user(n: int) -> dict[str, str]:
    return {"userId": str(n), "username": f"fan{n}"}


async def test_a_users_second_socket_and_crowds_are_not_announced() -> None:
    hub = MemoryHub()
    service = DiscussionsService(clock=ManualClock(), hub=hub, rate_limiter=MemoryRateLimiter())
    channel = channel_of(1)
    try:
        await hub.join(channel, "a-1", _user(1))
        present = await service.do_announce_presence(1, _user(1), "join")
        assert present.present == [{"userId": "1", "username": "fan1"}]
        await hub.join(channel, "a-2", _user(1))  # the same user in a second tab
        await service.do_announce_presence(1, _user(1), "join")
        assert (await hub.position(channel)).offset == 1

        for n in range(2, LARGE_ROOM + 1):
            await hub.join(channel, f"c-{n}", _user(n))
            await service.do_announce_presence(1, _user(n), "join")
        announced = (await hub.position(channel)).offset
        assert announced == LARGE_ROOM
        last = (await hub.history(channel, limit=1)).publications[-1].data
        assert last["present_count"] == LARGE_ROOM
        assert len(last["present"]) == LARGE_ROOM

        await hub.join(channel, "crowd", _user(LARGE_ROOM + 1))
        crowded = await service.do_announce_presence(1, _user(LARGE_ROOM + 1), "join")
        assert crowded.count == LARGE_ROOM + 1
        assert len(crowded.present) == PRESENT_LIMIT
        assert (await hub.position(channel)).offset == announced
    finally:
        await hub.close()
