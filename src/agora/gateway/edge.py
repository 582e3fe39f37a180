"""The cluster's edge: HAProxy in front of the gateways, answering the plain reads itself.

The Python gateway costs 430–670 µs of CPU and +0.5 to +1.2 ms at p50 per proxied request on this
machine, HAProxy 70–85 µs and nothing measurable (docs/performance.md, decision 0050). So in the
cluster the public port can be HAProxy's, configured from the same route table as the gateway:

- a `GET` that an exact contract route gives to a service, and that the gateway would only pass
  through (no response cache, no rate limit, no WebSocket), goes straight to one of that
  service's instances, balanced, health-checked, timed out and retried once on another instance
  as the gateway would;
- everything else goes to the gateways unchanged: writes (rate limits, cache invalidation),
  the cached public lists, WebSockets, routes with placeholders HAProxy cannot tell apart
  (`%`-encoded segments), the prefixes' extensions, 404 and 405 answers, the web UI, `/status`,
  `/docs`; so does any request from a proxy the operator trusts (the gateway walks its
  `X-Forwarded-For`), and any route whose service has no healthy instance (the gateway answers
  503 in the contract's error JSON).

Rules are written in the table's order, so the first rule that matches a path is the route the
table itself picks (`RouteTable.match`): a route that goes to the gateways still claims its paths
ahead of a less specific one that would go direct.

Instances are not in the file: every backend has `slots` servers in maintenance, and
`SlotAssignment` gives each instance discovery reports a slot, which the edge process sets over
HAProxy's runtime API (`set server ... addr`, `state ready`/`maint`), so a replica that appears or
goes is followed without a reload.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import orjson

from agora.gateway.response_cache import CACHEABLE
from agora.gateway.routing import Route, RouteTable
from agora.platform.discovery import Instance
from agora.platform.requestid import ID_PATTERN

API_PREFIX = "/api"
GATEWAY_BACKEND = "gateways"
# A placeholder takes one segment HAProxy sees as the client wrote it; a `%`-encoded one may
# decode to something else (a `/`), so those requests go to the gateway, which matches decoded.
_PLACEHOLDER = "[^/%]+"
_REGEX_SPECIAL = re.compile(r"([.^$*+?()\[\]{}|\\])")
# What `platform.requestid` keeps of a client's X-Request-ID.
_REQUEST_ID = f"^{ID_PATTERN}$"


def backend_name(service: str) -> str:
    return f"svc_{service}"


def direct_route(route: Route, *, cached: Container[str] = CACHEABLE) -> bool:
    """Whether the edge may answer `GET route` straight from the service: an exact HTTP route
    whose answers the gateway would only pass through."""
    return (
        not route.prefix
        and not route.websocket
        and "GET" in route.methods
        and API_PREFIX + route.pattern not in cached
    )


def path_regex(route: Route) -> str:
    """A PCRE for the raw paths (with `/api`) that `route` matches as `RouteTable` does: empty
    segments (`//`, a trailing `/`) are skipped."""
    parts = [
        _PLACEHOLDER if segment.startswith("{") else _REGEX_SPECIAL.sub(r"\\\1", segment)
        for segment in route.segments
    ]
    return "^" + API_PREFIX + "".join("/+" + part for part in parts) + "/*$"


def _quote(text: str) -> str:
    """A value in HAProxy's configuration language: single quotes, no expansion."""
    if "'" in text or "\n" in text:
        raise ValueError(f"cannot quote {text!r} for HAProxy")
    return f"'{text}'"


def _error_body(status: int, code: str, message: str) -> str:
    body = {"status": "error", "error": {"code": code, "message": message}}
    return orjson.dumps(body).decode()


# One ECS line per request, as the Python processes write (`agora.platform.logging`): what
# `agora logs` and the central log read. The path without its query (a WebSocket's ticket stays
# out of the logs); the request's id, the client's when well-formed or one the edge made, which
# the gateway and the service keep (`platform.requestid`).
ACCESS_LOG_FORMAT = (
    '{"@timestamp":"%[date,utime(%Y-%m-%dT%H:%M:%SZ)]","log.level":"info",'
    '"message":"%HM %{+E}HPO %ST","log.logger":"agora.access","ecs.version":"8.11.0",'
    '"service.name":"edge","http.request.method":"%{+E}HM","url.path":"%{+E}HPO",'
    '"http.response.status_code":%ST,"client.ip":"%ci","http.request.id":"%{+E}[capture.req.hdr(0)]",'
    '"agora.backend":"%b","agora.server":"%s","agora.duration_ms":%Ta,"agora.retries":"%rc"}'
)


@dataclass(frozen=True)
class EdgeConfig:
    """What the edge's HAProxy file says, besides the routes."""

    bind: str
    port: int
    socket_path: str
    services: Sequence[str]
    slots: int = 64
    threads: int = 0  # 0: HAProxy's own default (one per CPU it may use)
    upstream_timeout_seconds: float = 5.0
    balancer: str = "round_robin"
    trusted_proxies: Sequence[str] = ()
    breaker_failures: int = 3
    cached: Container[str] = field(default_factory=lambda: frozenset(CACHEABLE))


def _backend(name: str, config: EdgeConfig, *, service: bool) -> list[str]:
    balance = "leastconn" if config.balancer == "least_outstanding" else "roundrobin"
    lines = [f"backend {name}", f"    balance {balance}"]
    if service:
        lines += [
            # The services' own paths: what the gateway strips.
            f"    http-request replace-path ^{API_PREFIX}(/.*) \\1",
            # Only GETs come here: retried once on another instance when the instance fails
            # before answering, times out, or answers 502/503/504, as the gateway does.
            "    retry-on conn-failure empty-response junk-response response-timeout 502 503 504",
        ]
    else:
        # Writes come here: only a connection that never carried the request is tried again.
        lines.append("    retry-on conn-failure")
    lines += [
        "    option httpchk GET /status",
        "    http-check expect status 200",
        # The gateway's breaker: consecutive transport failures take an instance out, the
        # health check (the half-open probe, every second) brings it back.
        f"    default-server check inter 1s fall {config.breaker_failures} rise 1"
        f" observe layer4 error-limit {config.breaker_failures} on-error mark-down",
        f"    server-template s 1-{config.slots} 127.0.0.1:1 disabled",
        "",
    ]
    return lines


def render_haproxy(table: RouteTable, config: EdgeConfig) -> str:
    """The edge's HAProxy configuration for `table`."""
    timeout_ms = int(config.upstream_timeout_seconds * 1000)
    lines = [
        "# Written by `agora edge` from the gateway's route table (agora.gateway.edge).",
        "global",
        "    log stdout format raw local0 info",
        f"    stats socket {config.socket_path} mode 600 level admin",
    ]
    if config.threads:
        lines.append(f"    nbthread {config.threads}")
    lines += [
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option dontlognull",
        f"    log-format {_quote(ACCESS_LOG_FORMAT)}",
        # HAProxy waits min(timeout connect, 1 s) before it retries a refused connection (on
        # another server, with redispatch): a replica on the same network connects in well under a
        # millisecond, and a dead one should cost a read a quarter of a second, not a second.
        "    timeout connect 250ms",
        "    timeout client 60s",
        "    timeout http-request 10s",
        "    timeout http-keep-alive 30s",
        f"    timeout server {timeout_ms}ms",
        "    timeout queue 5s",
        # An upgraded connection (a WebSocket, through the gateways) lives as long as it is used.
        "    timeout tunnel 1h",
        "    retries 1",
        "    option redispatch 1",
    ]
    errors = {
        502: ("upstream_unavailable", "The service did not answer (bad gateway)"),
        503: ("service_unavailable", "The service is not available"),
        504: ("upstream_unavailable", "The service did not answer (timeout)"),
    }
    for status, (code, message) in errors.items():
        lines.append(
            f"    http-error status {status} content-type application/json"
            f" hdr Retry-After 2 string {_quote(_error_body(status, code, message))}"
        )
    lines += [
        "",
        "frontend public",
        f"    bind {config.bind}:{config.port}",
        # The request id, as the gateways give it: a well-formed one the client sent, or a new
        # one (128 random bits in hex); the service keeps it and answers with it.
        "    unique-id-format %[uuid(4),regsub(-,,g)]",
        f"    http-request set-header X-Request-ID %[unique-id] unless {{ req.hdr(x-request-id)"
        f" -m reg {_REQUEST_ID} }}",
        "    declare capture request len 128",
        "    http-request capture req.hdr(x-request-id) id 0",
        "    compression algo gzip",
        "    compression type application/json",
        # The edge's own metrics (the gateways' and the services' are scraped from their ports).
        "    http-request use-service prometheus-exporter if { path /metrics }",
    ]
    if config.trusted_proxies:
        networks = " ".join(config.trusted_proxies)
        lines += [
            f"    acl from_trusted_proxy src {networks}",
            '    http-request set-header X-Forwarded-For "%[req.fhdr(x-forwarded-for)], %[src]"'
            " if from_trusted_proxy { req.fhdr(x-forwarded-for) -m found }",
            "    http-request set-header X-Forwarded-For %[src] if from_trusted_proxy"
            " !{ req.fhdr(x-forwarded-for) -m found }",
            "    http-request set-header X-Forwarded-For %[src] unless from_trusted_proxy",
            f"    use_backend {GATEWAY_BACKEND} if from_trusted_proxy",
        ]
    else:
        # Nobody is trusted: whatever the client wrote is replaced by its address.
        lines.append("    http-request set-header X-Forwarded-For %[src]")
    lines += [
        "    acl upgrade hdr(upgrade) -m found",
        f"    use_backend {GATEWAY_BACKEND} if upgrade",
        f"    use_backend {GATEWAY_BACKEND} unless METH_GET",
    ]
    services = set(config.services)
    for service in sorted(services):
        lines.append(f"    acl up_{service} nbsrv({backend_name(service)}) gt 0")
    # One rule per exact GET route, in the table's order (its first match is the table's answer).
    for index, route in enumerate(r for r in table.routes if not r.prefix and not r.websocket):
        if "GET" not in route.methods:
            continue
        acl = f"route_{index}"
        lines.append(f"    acl {acl} path_reg {path_regex(route)}")
        if route.service in services and direct_route(route, cached=config.cached):
            backend = backend_name(route.service)
            lines.append(f"    use_backend {backend} if {acl} up_{route.service}")
        lines.append(f"    use_backend {GATEWAY_BACKEND} if {acl}")
    lines += [f"    default_backend {GATEWAY_BACKEND}", ""]
    lines += _backend(GATEWAY_BACKEND, config, service=False)
    for service in sorted(services):
        lines += _backend(backend_name(service), config, service=True)
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class SlotChange:
    """One server slot to point at an address and open, or to close."""

    backend: str
    slot: int
    address: tuple[str, int] | None

    def commands(self) -> list[str]:
        server = f"{self.backend}/s{self.slot}"
        if self.address is None:
            return [f"set server {server} state maint"]
        host, port = self.address
        return [f"set server {server} addr {host} port {port}", f"set server {server} state ready"]


class SlotAssignment:
    """Which address each backend's server slot points at. An address keeps its slot while it is
    listed (HAProxy's health and counters stay with it); a freed slot is taken by the next new
    address. Instances at one address (a replica's workers on a shared port) take one slot."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._by_backend: dict[str, dict[tuple[str, int], int]] = {}
        self.overflow: dict[str, int] = {}

    def update(self, backend: str, instances: Iterable[Instance]) -> list[SlotChange]:
        current = self._by_backend.setdefault(backend, {})
        wanted = list(dict.fromkeys((i.host, i.port) for i in instances))
        gone = [address for address in current if address not in wanted]
        changes = [SlotChange(backend, current.pop(address), None) for address in gone]
        free = sorted(set(range(1, self.slots + 1)) - set(current.values()))
        missing = [address for address in wanted if address not in current]
        assigned = missing[: len(free)]
        for address, slot in zip(assigned, free, strict=False):
            current[address] = slot
            changes.append(SlotChange(backend, slot, address))
        self.overflow[backend] = len(missing) - len(assigned)
        return changes

    def addresses(self, backend: str) -> Mapping[tuple[str, int], int]:
        return dict(self._by_backend.get(backend, {}))
