"""Running a coroutine eagerly: on the caller's stack until its first real suspension, and only
then as a task. A live socket's send of a frame completes without suspending unless the client
has stopped reading (the transport paused writing), so the fan-out sends each publication to its
sockets from one loop, as a bare broadcast does, and a socket that would block gets a task of its
own; no task is woken per subscriber per message. (`asyncio.eager_task_factory` does this from
Python 3.12; this module keeps 3.11.)"""

from __future__ import annotations

import contextvars
from collections.abc import Coroutine, Generator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Suspended(Generic[T]):
    """A coroutine that ran until it first waited; awaiting this (in a task) finishes it."""

    __slots__ = ("_awaiting", "_coro")

    def __init__(self, coro: Coroutine[Any, Any, T], awaiting: Any) -> None:
        self._coro = coro
        self._awaiting = awaiting

    def __await__(self) -> Generator[Any, Any, T]:
        coro, awaiting = self._coro, self._awaiting
        while True:
            try:
                sent = yield awaiting  # the future it waits on, handed to the task as is
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:  # noqa: BLE001 - thrown into the task (cancellation): on into the coroutine
                try:
                    awaiting = coro.throw(exc)
                except StopIteration as stop:
                    return stop.value  # type: ignore[no-any-return]
            else:
                try:
                    awaiting = coro.send(sent)
                except StopIteration as stop:
                    return stop.value  # type: ignore[no-any-return]

    def close(self) -> None:
        """Abandon it (it never ran on): the coroutine's `finally` blocks run now."""
        self._coro.close()


def run_eagerly(
    coro: Coroutine[Any, Any, T], context: contextvars.Context
) -> tuple[T, None] | tuple[None, Suspended[T]]:
    """Run `coro` in `context` until it finishes — `(result, None)` — or first waits —
    `(None, suspended)`, to be awaited by a task made with the same context. An exception it
    raises before waiting propagates."""
    try:
        awaiting = context.run(coro.send, None)
    except StopIteration as stop:
        return stop.value, None
    return None, Suspended(coro, awaiting)


async def finish(suspended: Suspended[T]) -> T:
    """The coroutine a task runs to finish a suspended one."""
    return await suspended
