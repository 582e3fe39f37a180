"""`summarize_presence`: who is in a room from its connections, as every joining socket reads it
(one user may hold several sockets; the listing stops at `PRESENT_LIMIT` users)."""

from __future__ import annotations

from typing import Any

from agora.services.discussions.service.rooms import PRESENT_LIMIT, summarize_presence


def _connections(*users: tuple[str, str]) -> dict[str, dict[str, Any]]:
    return {f"c{i}": {"userId": uid, "username": name} for i, (uid, name) in enumerate(users)}


def test_users_are_listed_once_in_arrival_order_with_my_connections_counted() -> None:
    presence = _connections(("1", "ann"), ("2", "bob"), ("1", "ann"), ("3", "cy"), ("1", "ann"))
    summary = summarize_presence(presence, "1")
    assert summary.present == [
        {"userId": "1", "username": "ann"},
        {"userId": "2", "username": "bob"},
        {"userId": "3", "username": "cy"},
    ]
    assert summary.count == 3
    assert summary.connections_of_user == 3
    assert summarize_presence(presence, "2").connections_of_user == 1
    assert summarize_presence(presence, "9").connections_of_user == 0
    assert summarize_presence(presence).connections_of_user == 0


def test_a_connection_without_a_user_is_not_counted() -> None:
    presence = {**_connections(("1", "ann")), "anonymous": {}, "blank": {"userId": ""}}
    summary = summarize_presence(presence, "")
    assert summary.present == [{"userId": "1", "username": "ann"}]
    assert summary.count == 1
    assert summary.connections_of_user == 0


def test_a_large_room_lists_its_first_users_and_counts_them_all() -> None:
    users = [(str(n), f"u{n}") for n in range(PRESENT_LIMIT + 50)]
    presence = _connections(*users, *users[:10])
    summary = summarize_presence(presence, str(PRESENT_LIMIT + 10))
    assert summary.present == [{"userId": u, "username": n} for u, n in users[:PRESENT_LIMIT]]
    assert summary.count == PRESENT_LIMIT + 50
    assert summary.connections_of_user == 1
