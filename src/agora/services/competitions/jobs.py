"""Background job of the competitions service: records each competition's close at its end (the
places, the results event). Reads show a competition past its end as closed with its places until
this job records them; writes about a competition record its close first."""

from __future__ import annotations

import asyncio

from agora.platform.service import Job
from agora.services.competitions.service import CompetitionsService

CLOSE_INTERVAL_SECONDS = 2.0


def close_due_job(service: CompetitionsService, interval: float = CLOSE_INTERVAL_SECONDS) -> Job:
    """A job that closes the competitions past their end every `interval` seconds (time read from
    the clock)."""

    async def run() -> None:
        while True:
            await service.do_close_due()
            await asyncio.sleep(interval)

    return run
