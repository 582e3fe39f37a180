"""Which services exist: each is a package `agora.services.<name>` whose `app` module exposes
`SPEC`."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable

from agora.platform.config import SERVICE_NAMES
from agora.platform.service import ServiceSpec


def module_of(name: str) -> str:
    return f"agora.services.{name}.app"


def exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(module_of(name)) is not None
    except ModuleNotFoundError:
        return False


def load_spec(name: str) -> ServiceSpec:
    if name not in SERVICE_NAMES:
        raise ValueError(f"unknown service {name!r}; known: {', '.join(SERVICE_NAMES)}")
    spec: ServiceSpec = importlib.import_module(module_of(name)).SPEC
    return spec


def available_specs(names: Iterable[str]) -> list[ServiceSpec]:
    """The specs of the named services that are built, in the platform's canonical order."""
    wanted = set(names)
    return [load_spec(n) for n in SERVICE_NAMES if n in wanted and exists(n)]
