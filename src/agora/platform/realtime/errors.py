"""Errors of the real-time hub: a store that cannot be reached is a 503 in the contract's JSON."""

from __future__ import annotations

from agora.platform.errors import ServiceUnavailable


class HubUnavailable(ServiceUnavailable):
    """The real-time hub's store (Redis) cannot be reached; try again later."""

    code = "realtime_unavailable"
    default_message = "Real-time updates are unavailable right now"
