"""The timeline suite runs the users and timeline services."""

from __future__ import annotations

import pytest


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "timeline")
