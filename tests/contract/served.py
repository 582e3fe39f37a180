"""What the services actually serve: every route of every service app, read from the apps
themselves, so that tests over "every route" cannot go stale when a route is added."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Route, WebSocketRoute

from agora.entrypoints.embedded import Platform
from agora.platform.config import SERVICE_NAMES
from agora.platform.http import LeanReadRoute
from agora.platform.sagas.remote import INTERNAL_PREFIX
from tests.support.platform import make_settings

# Every service app has these from the platform kit; they are not the service's API, and the
# gateway serves its own.
PLATFORM_PATHS = frozenset(
    {"/status", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect"}
)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PARAMETER = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")


@dataclass(frozen=True, order=True)
class ServedRoute:
    """One method of one route of one service (a WebSocket is a GET with `websocket` set)."""

    service: str
    path: str
    method: str
    websocket: bool = False

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(_PARAMETER.findall(self.path))

    @property
    def shape(self) -> str:
        """The path with its parameters unnamed: `/users/{}/follow`."""
        return _PARAMETER.sub("{}", self.path)

    @property
    def key(self) -> str:
        """`METHOD path`; the users routes the music seed reaches under `/users-reviews` are keyed
        as the same routes under `/users`, so that one entry of a test's table covers both."""
        path = self.path
        if self.service == "users":
            path = path.removeprefix("/users-reviews")
        return f"{self.method} {path}"

    def url(self, value: str = "7") -> str:
        """The path with every parameter replaced by `value`."""
        return _PARAMETER.sub(lambda _: value, self.path)

    def __str__(self) -> str:
        kind = "WS" if self.websocket else self.method
        return f"{kind} {self.path} ({self.service})"


def shape_of(pattern: str) -> str:
    return _PARAMETER.sub("{}", pattern)


def service_apps(data_dir: Path) -> dict[str, FastAPI]:
    """Every service's app, built by the embedded composition root (nothing is started and no
    database is opened)."""
    settings = make_settings(data_dir, {}, SERVICE_NAMES)
    platform = Platform(settings)
    return {name: runtime.app for name, runtime in platform.runtimes.items()}


def service_client(platform: Platform, service: str) -> httpx.AsyncClient:
    """A client of one service's app on its own, without the gateway in front (the way a cluster
    node serves it)."""
    transport = httpx.ASGITransport(app=platform.runtimes[service].app)
    return httpx.AsyncClient(transport=transport, base_url="http://service.test")


def every_served_route() -> list[ServedRoute]:
    """The routes of every service, from apps built in a scratch folder (the build makes keys)."""
    with tempfile.TemporaryDirectory() as scratch:
        return served_routes(service_apps(Path(scratch)))


def served_routes(apps: Mapping[str, FastAPI]) -> list[ServedRoute]:
    """Every route of every app, one entry per method (HEAD, which follows GET, left out)."""
    return sorted(_served(apps))


def _served(apps: Mapping[str, FastAPI]) -> Iterator[ServedRoute]:
    for service, app in apps.items():
        for context in iter_route_contexts(app.routes):
            path, route = context.path, context.original_route
            assert path is not None, f"{service}: a route without a path: {route!r}"
            if path in PLATFORM_PATHS or path.startswith(INTERNAL_PREFIX):
                # The internal endpoints (the sagas' `AccountData`) are the platform's, never
                # routed by the gateway; tests/platform/sagas checks who may call them.
                continue
            if isinstance(route, LeanReadRoute):
                # Answers some requests of a FastAPI route (decision 0037), listed on its own.
                continue
            if isinstance(route, WebSocketRoute):
                yield ServedRoute(service, path, "GET", websocket=True)
            elif isinstance(route, Route):
                for method in sorted(set(context.methods or ()) - {"HEAD"}):
                    yield ServedRoute(service, path, method)
            else:
                # A mount or a host would hide routes this enumeration cannot see.
                raise AssertionError(f"{service}: an unexpected kind of route at {path}: {route!r}")
