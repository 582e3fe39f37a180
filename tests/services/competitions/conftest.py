"""The competitions suite runs the users and competitions services."""

from __future__ import annotations

import pytest


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "competitions")
