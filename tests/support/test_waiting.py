"""The polling helpers: they return the first truthy value, and a timeout names what was awaited and
what was last seen."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from tests.support.waiting import eventually, wait_until


def test_wait_until_returns_the_first_truthy_value() -> None:
    values = iter([0, [], "ready", "later"])

    assert wait_until(lambda: next(values), what="a value", interval=0) == "ready"
    assert next(values) == "later"


def test_wait_until_names_what_it_waited_for_and_the_last_value() -> None:
    calls = itertools.count(1)

    with pytest.raises(AssertionError, match=r"waiting for the queue; .* was False") as failed:
        wait_until(lambda: next(calls) < 0, what="the queue", within=0.05)
    assert f"({next(calls) - 1} attempts)" in str(failed.value)
    with pytest.raises(AssertionError, match=r"waiting for an empty page; .* was \[\]"):
        wait_until(list, what="an empty page", within=0.05)


def test_wait_until_treats_ignored_errors_as_not_yet() -> None:
    outcomes: list[Exception | str] = [ConnectionError("refused"), ConnectionError("down"), "up"]
    attempts = iter(outcomes)

    def probe() -> str:
        outcome = next(attempts)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert wait_until(probe, what="the server", interval=0, ignoring=(ConnectionError,)) == "up"


def test_wait_until_names_the_last_ignored_error_and_lets_others_through() -> None:
    def refused() -> bool:
        raise ConnectionError("refused")

    with pytest.raises(AssertionError, match=r"the server; the last attempt raised Connection"):
        wait_until(refused, what="the server", within=0.05, ignoring=(ConnectionError,))
    with pytest.raises(ConnectionError):
        wait_until(refused, what="the server", within=0.05)


async def test_eventually_awaits_a_coroutine_check_and_calls_a_plain_one() -> None:
    counts = iter(range(5))

    async def third() -> int:
        return max(next(counts) - 2, 0)

    assert await eventually(third, what="a count", interval=0) == 1
    flags = iter([False, False, True])
    assert await eventually(lambda: next(flags), what="a flag", interval=0) is True


async def test_eventually_names_what_it_waited_for_and_the_last_value() -> None:
    seen: list[int] = []

    async def empty() -> list[int]:
        seen.append(1)
        return []

    with pytest.raises(AssertionError, match=r"for the consumer; the last value seen was \[\]"):
        await eventually(empty, what="the consumer", within=0.05)
    assert len(seen) > 1


async def test_eventually_cancels_a_check_that_outlasts_the_deadline() -> None:
    async def hangs() -> bool:
        await asyncio.Event().wait()
        return True

    with pytest.raises(AssertionError, match=r"waiting for a reply; no attempt finished"):
        await eventually(hangs, what="a reply", within=0.05)


async def test_eventually_lets_the_checks_own_timeout_through() -> None:
    async def times_out() -> bool:
        raise TimeoutError("the check's own")

    with pytest.raises(TimeoutError, match="the check's own"):
        await eventually(times_out, what="a reply", within=5)
