"""The gateway's route table: which service owns a path. One table for both topologies.

The contract's routes (generated from `CONTRACT.md` into `route_table.py`) are matched first; a
service's other endpoints reach it through the prefixes it owns (`SERVICE_PREFIXES`).
"""

from __future__ import annotations

from agora.gateway.route_table import CONTRACT_ROUTES, CONTRACT_WEBSOCKETS
from agora.gateway.routing import ANY_METHOD, Route, RouteTable

# Everything under these prefixes that no contract route claims belongs to the service named. These
# are the services' own extensions (search, role changes, poll history, ...), public but outside the
# seeds.
SERVICE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("/users/subscribe/...", "competitions"),
    ("/users/...", "users"),
    ("/users-reviews/users/...", "users"),
    ("/books/...", "voting"),
    ("/vote/...", "voting"),
    ("/polls/...", "voting"),
    ("/discussions/...", "discussions"),
    ("/discussion/...", "discussions"),
    ("/forums/...", "discussions"),
    ("/sports/chatrooms/...", "discussions"),
    ("/competitions/...", "competitions"),
    ("/users-reviews/albums/...", "reviews"),
    ("/users-reviews/reviews/...", "reviews"),
    ("/tweets/...", "timeline"),
    ("/sports/...", "sports"),
    ("/notifications/...", "notifications"),
)


def default_table() -> RouteTable:
    prefixes = [Route(ANY_METHOD, pattern, service) for pattern, service in SERVICE_PREFIXES]
    return RouteTable([*CONTRACT_ROUTES, *CONTRACT_WEBSOCKETS, *prefixes])
