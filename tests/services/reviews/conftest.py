"""The reviews suite runs the users and reviews services."""

from __future__ import annotations

import pytest


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "reviews")
