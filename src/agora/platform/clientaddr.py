"""The client's address as far as trusted proxies vouch for it: what per-address limits key on.

A request that comes straight from a client is keyed on the peer address. `X-Forwarded-For` is read
only when the peer is a configured proxy (`AGORA_TRUSTED_PROXIES`: addresses or networks), and then
only back to the first hop that is not one: anything further left was written by the client and
proves nothing. The gateway resolves the address once and forwards just that to the services, which
trust the gateways (the cluster launcher configures them so); a client that talks to a service
directly, or to a gateway that trusts nobody, cannot move its own address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import Scope

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

UNKNOWN = "unknown"


def _address(text: str) -> str | None:
    """The canonical form of an IP address (ports and brackets dropped), or None."""
    candidate = text.strip()
    if candidate.startswith("["):  # [v6]:port
        candidate = candidate[1:].partition("]")[0]
    elif candidate.count(":") == 1:  # v4:port
        candidate = candidate.partition(":")[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class TrustedProxies:
    """The proxies whose `X-Forwarded-For` is believed."""

    def __init__(self, networks: Iterable[str] = ()) -> None:
        self.networks: tuple[IpNetwork, ...] = tuple(
            ipaddress.ip_network(n.strip(), strict=False) for n in networks if n.strip()
        )

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client_of(self, scope: Scope) -> str:
        """The address of the client behind this request or WebSocket."""
        client = scope.get("client")
        peer = (_address(str(client[0])) or str(client[0])) if client else UNKNOWN
        if not self.trusts(peer):
            return peer
        hops: list[str] = []
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-for":
                hops.extend(value.decode("latin-1").split(","))
        resolved = peer
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                # Garbage from (or before) a trusted proxy: the last address we can vouch for.
                return resolved
            resolved = address
            if not self.trusts(address):
                return address
        return resolved
