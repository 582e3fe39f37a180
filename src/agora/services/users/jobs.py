"""Background job of the users service: export archives whose seven-day link has lapsed are
deleted from the exports folder (the export then reads `expired`)."""

from __future__ import annotations

import asyncio

from agora.platform.service import Job
from agora.services.users.sagas import AccountSagas

EXPIRED_EXPORTS_CHECK_SECONDS = 3600.0


def expired_exports_job(
    sagas: AccountSagas, interval: float = EXPIRED_EXPORTS_CHECK_SECONDS
) -> Job:
    """Remove lapsed archives every `interval` seconds (expiry read from the clock)."""

    async def run() -> None:
        while True:
            await sagas.do_remove_expired_exports()
            await asyncio.sleep(interval)

    return run
