"""The route table against what the services serve: every route in it resolves to a route its
service has, with the same method, and every route a service serves is reachable through it."""

from __future__ import annotations

import pytest

from agora.gateway.route_table import CONTRACT_ROUTES, CONTRACT_WEBSOCKETS
from agora.gateway.routes import SERVICE_PREFIXES, default_table
from agora.gateway.routing import Route, split_path
from agora.platform.config import SERVICE_NAMES
from tests.contract.served import ServedRoute, served_routes, service_apps, shape_of


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> list[ServedRoute]:
    routes = served_routes(service_apps(tmp_path_factory.mktemp("apps")))
    # Every service is built and enumerated (an enumeration that saw nothing would pass the rest).
    assert {r.service for r in routes} == set(SERVICE_NAMES)
    assert len(routes) > 80
    return routes


def _table_entries() -> list[Route]:
    return [*CONTRACT_ROUTES, *CONTRACT_WEBSOCKETS]


@pytest.mark.parametrize(
    "entry",
    [r for r in _table_entries() if not r.prefix],
    ids=lambda r: f"{'WS' if r.websocket else '/'.join(sorted(r.methods))} {r.pattern}",
)
def test_every_table_route_resolves_to_a_route_of_its_service(
    entry: Route, served: list[ServedRoute]
) -> None:
    same_path = [
        r
        for r in served
        if r.service == entry.service
        and r.websocket == entry.websocket
        and r.shape == shape_of(entry.pattern)
    ]
    assert same_path, f"{entry.service} serves nothing at {entry.pattern}"
    missing = set(entry.methods) - {r.method for r in same_path}
    assert not missing, f"{entry.service} does not serve {sorted(missing)} {entry.pattern}"


@pytest.mark.parametrize(
    "entry",
    [r for r in _table_entries() if r.prefix]
    + [Route(frozenset(), pattern, service) for pattern, service in SERVICE_PREFIXES],
    ids=lambda r: r.pattern,
)
def test_every_prefix_leads_to_routes_of_its_service(
    entry: Route, served: list[ServedRoute]
) -> None:
    under = [r for r in served if entry.matches(split_path(r.path))]
    assert under, f"nothing is served under {entry.pattern}"
    assert any(r.service == entry.service for r in under), (
        f"{entry.pattern} belongs to {entry.service}, which serves nothing under it"
    )


def test_every_served_route_is_reachable_through_the_table(served: list[ServedRoute]) -> None:
    table = default_table()
    unreachable = [
        f"{route} goes to {match.service or 'nobody'}"
        for route in served
        if (match := table.match(route.method, route.url(), websocket=route.websocket)).service
        != route.service
    ]
    assert not unreachable, unreachable


def test_every_owner_is_a_known_service() -> None:
    assert default_table().services() <= set(SERVICE_NAMES)


@pytest.mark.parametrize(
    ("method", "path", "websocket", "owner"),
    [
        ("GET", "/users/profile/submissions", False, "competitions"),
        ("GET", "/users/profile/subscriptions", False, "competitions"),
        ("GET", "/users/profile/12", False, "users"),
        ("GET", "/users/profile", False, "users"),
        ("GET", "/users/12", False, "users"),
        ("POST", "/users/subscribe/3", False, "competitions"),
        ("GET", "/users/12/preferences/notifications", False, "users"),
        ("GET", "/users-reviews/users/profile/4", False, "users"),
        ("GET", "/users-reviews/reviews/album/4", False, "reviews"),
        ("GET", "/sports/chatrooms", False, "discussions"),
        ("GET", "/sports/games/9", False, "sports"),
        ("GET", "/sports/games/9/live", True, "sports"),
        ("GET", "/forums/connect", True, "discussions"),
        ("HEAD", "/books", False, "voting"),
    ],
)
def test_more_literal_segments_win(method: str, path: str, websocket: bool, owner: str) -> None:
    assert default_table().match(method, path, websocket=websocket).service == owner


def test_a_wrong_method_on_another_services_path_is_405() -> None:
    match = default_table().match("DELETE", "/users/profile/submissions")
    assert match.route is None
    assert match.allowed == frozenset({"GET"})


def test_unknown_paths_have_no_owner() -> None:
    match = default_table().match("GET", "/nothing/here")
    assert match.route is None
    assert not match.allowed


def test_a_table_answers_the_same_the_second_time_and_clients_cannot_grow_it() -> None:
    table = default_table()
    cases = [
        ("GET", "/users/profile/submissions"),
        ("GET", "/users/profile/12"),
        ("DELETE", "/users/profile/submissions"),
        ("GET", "/nothing/here"),
        ("GET", "/sports/games/9"),
    ]
    first = [table.match(method, path) for method, path in cases]
    # Asked again (the candidates of each path's shape now kept), each answer is the same.
    assert [table.match(method, path) for method, path in cases] == first
    # Paths a client makes up: unknown first segments share one entry per length, and paths
    # longer than any route's are not kept at all.
    for n in range(2_000):
        table.match("GET", f"/made-up-{n}/x")
        table.match("GET", "/users" + "/x" * (20 + n % 50))
    assert len(table._by_shape) < 40
