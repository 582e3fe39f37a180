"""The voting suites run the users service (accounts, tokens) beside the voting service."""

from __future__ import annotations

import pytest


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "voting")
