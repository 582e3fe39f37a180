"""Tests that need something this machine may lack (a browser, Docker, the HA engines, the
collectors): locally they are skipped with the way to install it; in CI a variable turns the skip
into a failure, so a missing install step cannot pass as green."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NoReturn

import pytest


def missing(
    what: str, *, require_variable: str, environ: Mapping[str, str] = os.environ
) -> NoReturn:
    """Skip with `what` (what is missing and how to install it), or fail when
    `require_variable` is set to 1."""
    if environ.get(require_variable) == "1":
        pytest.fail(f"{require_variable}=1 but {what}", pytrace=False)
    pytest.skip(what)
