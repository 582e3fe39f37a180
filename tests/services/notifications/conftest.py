"""The notifications suite runs the services whose events it turns into notifications."""

from __future__ import annotations

import pytest


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "competitions", "notifications")
