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
        # Each peer's canonical address and whether it is trusted, by the peer's text: a request
        # needs both, and parsing an address costs more than the rest of this together.
        self._peers: dict[str, tuple[str, bool]] = {}

    def _peer(self, text: str) -> tuple[str, bool]:
        known = self._peers.get(text)
        if known is None:
            peer = _address(text) or text
            known = (peer, self.trusts(peer))
            if len(self._peers) >= 4096:  # clients come and go; keep it bounded
                self._peers.clear()
            self._peers[text] = known
        return known

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client_of(self, scope: Scope) -> str:
        """The address of the client behind this request or WebSocket."""
        client = scope.get("client")
        if not client:
            return UNKNOWN
        peer, trusted = self._peer(str(client[0]))
        if not trusted:
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
