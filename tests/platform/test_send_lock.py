"""`SendLock`: one sender at a time on a live socket, first come first served; `take()` takes it
only when it is free and nobody waits (decision 0045)."""

from __future__ import annotations

import asyncio

import pytest

from agora.platform.realtime.sockets import SendLock


async def test_take_takes_a_free_lock_only() -> None:
    lock = SendLock()
    assert lock.take()
    assert not lock.take()
    lock.release()
    assert lock.take()


async def test_a_release_hands_the_lock_to_the_longest_waiter() -> None:
    lock = SendLock()
    order: list[str] = []

    async def sender(name: str) -> None:
        await lock.acquire()
        order.append(name)
        await asyncio.sleep(0)
        lock.release()

    assert lock.take()
    tasks = [asyncio.create_task(sender(name)) for name in ("first", "second")]
    await asyncio.sleep(0)  # both wait
    lock.release()
    # Handed over, not free: a sender that comes now waits its turn.
    assert not lock.take()
    late = asyncio.create_task(sender("late"))
    await asyncio.gather(*tasks, late)
    assert order == ["first", "second", "late"]
    assert lock.take()


async def test_a_cancelled_waiter_passes_the_lock_on() -> None:
    lock = SendLock()
    got: list[str] = []

    async def sender(name: str) -> None:
        async with lock:
            got.append(name)

    assert lock.take()
    cancelled = asyncio.create_task(sender("cancelled"))
    after = asyncio.create_task(sender("after"))
    await asyncio.sleep(0)
    lock.release()  # handed to `cancelled`, which is cancelled before it runs
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    await asyncio.wait_for(after, 5)
    assert got == ["after"]
    assert lock.take()
