"""The route table is the contract's: regenerated from CONTRACT.md it equals the committed one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agora.gateway.routegen import parse_contract, render
from agora.gateway.routes import SERVICE_PREFIXES, default_table
from agora.platform.config import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = Path(os.environ.get("AGORA_CONTRACT", ROOT.parent / "shared" / "CONTRACT.md"))
TABLE = ROOT / "src" / "agora" / "gateway" / "route_table.py"


def test_committed_table_matches_the_contract() -> None:
    assert CONTRACT.exists(), f"the contract is expected beside the project at {CONTRACT}"
    regenerated = render(parse_contract(CONTRACT.read_text()))
    assert regenerated == TABLE.read_text(), (
        "route_table.py is stale: run `python -m agora.gateway.routegen "
        f"{CONTRACT} > {TABLE.relative_to(ROOT)}`"
    )


def test_every_contract_route_resolves_to_its_owner() -> None:
    table = default_table()
    routes = parse_contract(CONTRACT.read_text())
    assert len(routes) > 50
    for route in routes:
        path = route.pattern.replace("...", "anything")
        for method in route.methods or ("GET",):
            match = table.match(method, path, websocket=route.websocket)
            assert match.service == route.service, f"{method} {route.pattern}"


def test_every_owner_is_a_known_service() -> None:
    owners = {r.service for r in parse_contract(CONTRACT.read_text())}
    owners |= {service for _, service in SERVICE_PREFIXES}
    assert owners <= set(SERVICE_NAMES)


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
