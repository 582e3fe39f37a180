"""Waiting in tests for what happens on its own (a process, a socket, a background task): poll a
condition until it holds, and fail naming what was awaited and the last value seen.

Time that code under test reads from its clock is moved with `ManualClock.advance`, never waited
for; these helpers are for work that really runs elsewhere.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, overload

T = TypeVar("T")

# Long enough for a busy 2-core machine running the suite in parallel; a condition that holds
# returns at once, so only a failing test pays it.
WITHIN = 5.0
INTERVAL = 0.02

_NOTHING = object()


class _Attempts:
    """What the polling has seen so far, for the failure message."""

    def __init__(self, what: str, within: float) -> None:
        self.what = what
        self.within = within
        self.value: object = _NOTHING
        self.error: BaseException | None = None
        self.count = 0

    def saw(self, value: object) -> None:
        self.count += 1
        self.value, self.error = value, None

    def failed(self, error: BaseException) -> None:
        self.count += 1
        self.error = error

    def timed_out(self) -> AssertionError:
        if self.error is not None:
            last = f"the last attempt raised {self.error!r}"
        elif self.value is _NOTHING:
            last = "no attempt finished"
        else:
            last = f"the last value seen was {self.value!r}"
        return AssertionError(
            f"timed out after {self.within}s ({self.count} attempts) waiting for {self.what}; "
            f"{last}"
        )


def wait_until(
    predicate: Callable[[], T],
    *,
    what: str,
    within: float = WITHIN,
    interval: float = INTERVAL,
    ignoring: tuple[type[Exception], ...] = (),
) -> T:
    """Call `predicate` until it returns a truthy value, and return that value.

    Exceptions of the `ignoring` types count as "not yet" (a server still starting); the last one
    is named if time runs out.
    """
    attempts = _Attempts(what, within)
    deadline = time.monotonic() + within
    while True:
        try:
            value = predicate()
        except ignoring as exc:
            attempts.failed(exc)
        else:
            if value:
                return value
            attempts.saw(value)
        left = deadline - time.monotonic()
        if left <= 0:
            raise attempts.timed_out()
        time.sleep(min(interval, left))


@overload
async def eventually(
    check: Callable[[], Awaitable[T]],
    *,
    what: str,
    within: float = ...,
    interval: float = ...,
    ignoring: tuple[type[Exception], ...] = ...,
) -> T: ...


@overload
async def eventually(
    check: Callable[[], T],
    *,
    what: str,
    within: float = ...,
    interval: float = ...,
    ignoring: tuple[type[Exception], ...] = ...,
) -> T: ...


async def eventually(
    check: Callable[[], object],
    *,
    what: str,
    within: float = WITHIN,
    interval: float = INTERVAL,
    ignoring: tuple[type[Exception], ...] = (),
) -> object:
    """Call `check` (a function or a coroutine function) until it returns a truthy value, and
    return that value.

    A call still running at the deadline is cancelled; exceptions of the `ignoring` types count as
    "not yet", and the last one is named if time runs out.
    """
    attempts = _Attempts(what, within)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    bound = asyncio.timeout_at(deadline)
    try:
        async with bound:
            while True:
                try:
                    result = check()
                    value = await result if inspect.isawaitable(result) else result
                except ignoring as exc:
                    attempts.failed(exc)
                else:
                    if value:
                        return value
                    attempts.saw(value)
                await asyncio.sleep(min(interval, max(deadline - loop.time(), 0)))
    except TimeoutError:
        if not bound.expired():
            raise  # the check's own timeout, not the deadline
    raise attempts.timed_out()
