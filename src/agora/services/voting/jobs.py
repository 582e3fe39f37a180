"""Background job of the voting service: opens the first poll when the service starts and closes
each poll at its deadline (write requests also settle first; reads show a poll past its deadline
as closed until this job records it)."""

from __future__ import annotations

import asyncio

from agora.platform.service import Job
from agora.services.voting.service import VotingService

DEADLINE_CHECK_SECONDS = 2.0


def deadline_job(service: VotingService, interval: float = DEADLINE_CHECK_SECONDS) -> Job:
    """A job that settles the poll cycle every `interval` seconds (time read from the clock)."""

    async def run() -> None:
        while True:
            await service.do_settle()
            await asyncio.sleep(interval)

    return run
