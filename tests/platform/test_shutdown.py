"""A shutdown step that hangs or fails is abandoned and named; the steps after it still run."""

from __future__ import annotations

import asyncio

from agora.platform import shutdown


async def test_a_hanging_step_is_abandoned_and_the_next_one_runs() -> None:
    ran: list[str] = []

    async def hangs() -> None:
        await asyncio.Event().wait()

    async def fails() -> None:
        raise RuntimeError("broken close")

    async def works() -> None:
        ran.append("works")

    assert not await shutdown.step("hangs", hangs(), seconds=0.05)
    assert not await shutdown.step("fails", fails())
    assert await shutdown.step("works", works())
    assert ran == ["works"]
