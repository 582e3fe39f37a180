"""Orderly shutdown that cannot hang: each step gets a time limit, and one that overruns is logged
by name and abandoned, so the next steps (closing databases, leaving discovery) still happen."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import structlog

log = structlog.get_logger("agora.shutdown")


async def step(name: str, action: Awaitable[None], *, seconds: float = 10.0) -> bool:
    """Run one shutdown step; False when it failed or overran (it is logged, not raised)."""
    try:
        async with asyncio.timeout(seconds):
            await action
    except TimeoutError:
        log.error("shutdown_step_timed_out", step=name, seconds=seconds)
        return False
    except Exception:
        log.exception("shutdown_step_failed", step=name)
        return False
    return True
