"""Draft `route_table.py` from the route map and the real-time table of `CONTRACT.md`.

    python -m agora.gateway.routegen ../shared/CONTRACT.md > /tmp/route_table.py

A developer's tool: the diff against the committed table shows what a contract change moves. The
committed table holds only routes some service serves (tests/gateway/test_route_table.py checks it
against the services' own routes, reading nothing outside the repository), so a contract route is
added when the endpoint behind it is built.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

_METHOD = r"(?:GET|POST|PUT|PATCH|DELETE)"
_METHODS_ONLY = re.compile(rf"^{_METHOD}(?:/{_METHOD})*$")
_METHODS_AND_PATH = re.compile(rf"^({_METHOD}(?:/{_METHOD})*)\s+(/\S*)$")
_TICKED = re.compile(r"`([^`]*)`")


@dataclass(frozen=True)
class ParsedRoute:
    methods: tuple[str, ...]
    pattern: str
    service: str
    websocket: bool


def _rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows[1:]  # the header row


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    rest = text[start + len(heading) :]
    end = rest.find("\n## ")
    return rest if end == -1 else rest[:end]


def parse_contract(text: str) -> list[ParsedRoute]:
    """Every route of the contract's two tables, in the order they appear."""
    routes: list[ParsedRoute] = []
    for row in _rows(_section(text, "## Route map")):
        service = row[-1]
        pending: list[str] = []
        for token in _TICKED.findall(row[0]):
            token = token.strip()
            if _METHODS_ONLY.match(token):
                pending.extend(token.split("/"))
                continue
            match = _METHODS_AND_PATH.match(token)
            if match:
                methods = [*pending, *match.group(1).split("/")]
                routes.append(ParsedRoute(tuple(methods), match.group(2), service, False))
                pending = []
            elif token.startswith("/"):
                # A path with no method is a prefix the service owns for every method.
                routes.append(ParsedRoute((), token, service, False))
    routes += [
        ParsedRoute(("GET",), token.split("?")[0], row[-1], True)
        for row in _rows(_section(text, "## Real-time"))
        for token in _TICKED.findall(row[0])
        if token.startswith("/")
    ]
    return routes


def render(routes: list[ParsedRoute]) -> str:
    http = [r for r in routes if not r.websocket]
    ws = [r for r in routes if r.websocket]

    def line(r: ParsedRoute) -> str:
        quoted = ", ".join(json.dumps(m) for m in sorted(set(r.methods)))
        methods = f"frozenset({{{quoted}}})" if r.methods else "ANY"
        ws_arg = ", websocket=True" if r.websocket else ""
        return f"    Route({methods}, {json.dumps(r.pattern)}, {json.dumps(r.service)}{ws_arg}),"

    out = [
        '"""Routes of CONTRACT.md, made by `python -m agora.gateway.routegen`; do not edit."""',
        "",
        "from agora.gateway.routing import ANY_METHOD as ANY",
        "from agora.gateway.routing import Route",
        "",
        "CONTRACT_ROUTES: tuple[Route, ...] = (",
        *[line(r) for r in http],
        ")",
        "",
        "CONTRACT_WEBSOCKETS: tuple[Route, ...] = (",
        *[line(r) for r in ws],
        ")",
        "",
    ]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: python -m agora.gateway.routegen CONTRACT.md\n")
        return 2
    sys.stdout.write(render(parse_contract(Path(argv[1]).read_text())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
