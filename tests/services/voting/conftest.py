"""The voting suites run the users service (accounts, tokens) beside the voting service."""

from __future__ import annotations

import asyncio

import pytest

from agora.entrypoints.embedded import Platform
from agora.services.voting import repository as repo
from tests.services.voting.ballot import voting_service


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "voting")


@pytest.fixture(autouse=True)
async def first_poll_open(platform: Platform) -> None:
    """The deadline job opens the first poll as the service starts, and reads never open one:
    each test starts once it has, as a client arriving a moment later would."""
    service = voting_service(platform)
    for _ in range(1000):
        async with service.database.session(read_only=True) as session:
            if await repo.get_open_poll(session) is not None:
                return
        await asyncio.sleep(0.01)
    pytest.fail("the deadline job did not open the first poll")
