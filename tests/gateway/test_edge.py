"""The edge's HAProxy configuration (`agora.gateway.edge`): the rules it writes pick, for every
path, the backend the gateway's route table would (the owning service for a plain read, the
gateways for everything else); HAProxy itself accepts the file; instances keep their slots."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

from agora.entrypoints.edge import haproxy_binary
from agora.gateway.edge import (
    GATEWAY_BACKEND,
    EdgeConfig,
    SlotAssignment,
    SlotChange,
    backend_name,
    direct_route,
    render_haproxy,
)
from agora.gateway.routes import default_table
from agora.gateway.routing import RouteTable
from agora.platform.config import SERVICE_NAMES
from agora.platform.discovery import Instance
from tests.support.ha import require_haproxy

TABLE = default_table()


def _config(tmp_path: Path, **overrides: object) -> EdgeConfig:
    values: dict[str, object] = {
        "bind": "127.0.0.1",
        "port": 8000,
        "socket_path": str(tmp_path / "haproxy.sock"),
        "services": list(SERVICE_NAMES),
    }
    return EdgeConfig(**(values | overrides))  # type: ignore[arg-type]


class Frontend:
    """The public frontend's routing rules, read back from the file and evaluated as HAProxy
    does: `use_backend` rules in order, the first whose condition holds."""

    def __init__(self, text: str) -> None:
        body = text.split("frontend public\n", 1)[1].split("\n\n", 1)[0]
        self.paths: dict[str, re.Pattern[str]] = {}
        self.rules: list[tuple[str, str, list[str]]] = []
        self.default = ""
        for line in (raw.strip() for raw in body.splitlines()):
            words = line.split()
            if words[:1] == ["acl"] and words[2] == "path_reg":
                self.paths[words[1]] = re.compile(words[3])
            elif words[:1] == ["use_backend"]:
                self.rules.append((words[1], words[2], words[3:]))
            elif words[:1] == ["default_backend"]:
                self.default = words[1]

    def backend(self, method: str, path: str, *, down: frozenset[str] = frozenset()) -> str:
        facts = {
            "METH_GET": method == "GET",
            "upgrade": False,
            "from_trusted_proxy": False,
            **{name: bool(regex.match(path)) for name, regex in self.paths.items()},
        }
        for backend, keyword, names in self.rules:
            values = [
                (name[3:] not in down) if name.startswith("up_") else facts[name] for name in names
            ]
            holds = all(values) if keyword == "if" else not all(values)
            if holds:
                return backend
        return self.default


def _expected(table: RouteTable, method: str, path: str) -> str:
    inner = path[len("/api") :] or "/"
    match = table.match(method, inner)
    route = match.route
    if method == "GET" and route is not None and direct_route(route) and "%" not in path:
        return backend_name(route.service)
    return GATEWAY_BACKEND


def _sample_paths(table: RouteTable) -> list[str]:
    """Every route's pattern with its placeholders filled by ids and by every literal word of
    the table (so a placeholder meets the literals that more specific routes own), plus the
    empty segments the table skips and a percent-encoded segment."""
    words = sorted({s for r in table.routes for s in r.segments if not s.startswith("{")})
    values = ["7", "abc", *words]
    paths: set[str] = set()
    for route in table.routes:
        holes = [i for i, s in enumerate(route.segments) if s.startswith("{")]
        choices = values if len(holes) <= 1 else ["7", "abc", "profile", "export"]
        for filled in itertools.product(choices, repeat=len(holes)):
            segments = list(route.segments)
            for index, value in zip(holes, filled, strict=True):
                segments[index] = value
            base = "/api/" + "/".join(segments)
            tail = "/x/y" if route.prefix else ""
            paths |= {base + tail, base + tail + "/", base.replace("/", "//", 2) + tail}
        paths.add("/api/" + "/".join((*route.segments[:1], "a%2Fb")))
    return sorted(paths)


def test_every_path_reaches_the_backend_the_route_table_picks(tmp_path: Path) -> None:
    frontend = Frontend(render_haproxy(TABLE, _config(tmp_path)))
    paths = _sample_paths(TABLE)
    assert len(paths) > 2_000
    direct = 0
    for path in paths:
        for method in ("GET", "POST", "DELETE"):
            expected = _expected(TABLE, method, path)
            assert frontend.backend(method, path) == expected, (method, path)
            direct += expected != GATEWAY_BACKEND
    assert direct > 500  # the plain reads do go straight to the services


def test_the_public_profile_read_goes_straight_to_users_and_its_neighbours_do_not(
    tmp_path: Path,
) -> None:
    frontend = Frontend(render_haproxy(TABLE, _config(tmp_path)))
    assert frontend.backend("GET", "/api/users/profile/3") == "svc_users"
    # More specific routes of the same shape keep their owners.
    assert frontend.backend("GET", "/api/users/profile/submissions") == "svc_competitions"
    assert frontend.backend("GET", "/api/users/profile/deletion") == "svc_users"
    # The cached public lists, writes, and what HAProxy cannot read as the gateway would.
    for method, path in [
        ("GET", "/api/books"),
        ("GET", "/api/vote/status"),
        ("GET", "/api/competitions"),
        ("POST", "/api/users/login"),
        ("PATCH", "/api/users/profile"),
        ("GET", "/api/users/profile/a%2Fb"),
        ("GET", "/api/nothing/here"),
        ("GET", "/status"),
        ("GET", "/"),
    ]:
        assert frontend.backend(method, path) == GATEWAY_BACKEND, (method, path)


def test_a_service_with_no_server_up_is_answered_by_the_gateways(tmp_path: Path) -> None:
    frontend = Frontend(render_haproxy(TABLE, _config(tmp_path)))
    down = frozenset({"users"})
    assert frontend.backend("GET", "/api/users/profile/3", down=down) == GATEWAY_BACKEND
    # Another service's route of the same shape is not affected.
    assert frontend.backend("GET", "/api/users/profile/submissions", down=down) == (
        "svc_competitions"
    )


def test_services_outside_the_cluster_are_left_to_the_gateways(tmp_path: Path) -> None:
    text = render_haproxy(TABLE, _config(tmp_path, services=["users"]))
    frontend = Frontend(text)
    assert frontend.backend("GET", "/api/users/profile/3") == "svc_users"
    assert frontend.backend("GET", "/api/sports/categories") == GATEWAY_BACKEND
    assert "backend svc_sports" not in text


def test_clients_cannot_choose_their_address_and_trusted_proxies_go_to_the_gateways(
    tmp_path: Path,
) -> None:
    plain = render_haproxy(TABLE, _config(tmp_path))
    assert "http-request set-header X-Forwarded-For %[src]\n" in plain
    trusted = render_haproxy(TABLE, _config(tmp_path, trusted_proxies=["10.0.0.0/8"]))
    assert "acl from_trusted_proxy src 10.0.0.0/8" in trusted
    assert "use_backend gateways if from_trusted_proxy" in trusted
    assert "X-Forwarded-For %[src] unless from_trusted_proxy" in trusted


@pytest.mark.parametrize(
    "overrides",
    [{}, {"trusted_proxies": ["10.0.0.0/8", "::1"], "threads": 1, "balancer": "least_outstanding"}],
)
def test_haproxy_accepts_the_file(tmp_path: Path, overrides: dict[str, object]) -> None:
    require_haproxy()
    path = tmp_path / "haproxy.cfg"
    path.write_text(render_haproxy(TABLE, _config(tmp_path, **overrides)))
    binary = haproxy_binary()
    assert binary is not None
    checked = subprocess.run(  # noqa: S603 - the binary and a file this test wrote
        [binary, "-c", "-f", str(path)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    assert "ALERT" not in checked.stderr


def _instance(port: int, host: str = "127.0.0.1", ident: str | None = None) -> Instance:
    return Instance(ident or f"users-{port}", "users", host, port)


def test_instances_keep_their_slots_and_a_freed_slot_is_reused() -> None:
    slots = SlotAssignment(3)
    first = slots.update("svc_users", [_instance(5001), _instance(5002)])
    assert first == [
        SlotChange("svc_users", 1, ("127.0.0.1", 5001)),
        SlotChange("svc_users", 2, ("127.0.0.1", 5002)),
    ]
    assert slots.update("svc_users", [_instance(5002), _instance(5001)]) == []
    changed = slots.update("svc_users", [_instance(5002), _instance(5003)])
    assert changed == [
        SlotChange("svc_users", 1, None),
        SlotChange("svc_users", 1, ("127.0.0.1", 5003)),
    ]
    assert slots.addresses("svc_users") == {("127.0.0.1", 5002): 2, ("127.0.0.1", 5003): 1}


def test_workers_sharing_an_address_take_one_slot_and_overflow_is_counted() -> None:
    slots = SlotAssignment(2)
    shared = [_instance(5001, ident="a"), _instance(5001, ident="b")]
    assert len(slots.update("svc_users", shared)) == 1
    slots.update("svc_users", [*shared, _instance(5002), _instance(5003), _instance(5004)])
    assert len(slots.addresses("svc_users")) == 2
    assert slots.overflow["svc_users"] == 2


def test_slot_changes_are_runtime_api_commands() -> None:
    assert SlotChange("svc_users", 4, ("10.0.0.5", 8000)).commands() == [
        "set server svc_users/s4 addr 10.0.0.5 port 8000",
        "set server svc_users/s4 state ready",
    ]
    assert SlotChange("gateways", 2, None).commands() == ["set server gateways/s2 state maint"]
