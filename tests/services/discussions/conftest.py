"""The discussions suites run the users service (tokens) beside discussions."""

from __future__ import annotations

import pytest


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "discussions")
