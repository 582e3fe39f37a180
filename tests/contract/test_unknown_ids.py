"""Every route with an id in its path answers 404 in the contract's error JSON for an id that names
nothing, whatever its shape, through the gateway and from the service app served alone.

The routes come from the service apps themselves; a write route needs an entry in `BODIES` (its
smallest valid body, or None), so that a new one cannot slip past this test unchecked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

from agora.entrypoints.embedded import Platform
from agora.platform.config import SERVICE_NAMES
from tests.contract.served import (
    WRITE_METHODS,
    ServedRoute,
    every_served_route,
    service_client,
)
from tests.support.api import Account, Api
from tests.support.platform import client_for

# The platform is started once for the module; its tests run on the loop it was started on.
on_the_module_loop = pytest.mark.asyncio(loop_scope="module")

NOT_NUMBERS = ("abc", "does-not-exist-999", "%C2%B2")  # the last is "²", a digit to isdigit()
UNKNOWN_NUMBER = "999999999"

# The smallest valid body of every write route with an id, keyed by `ServedRoute.key`.
BODIES: dict[str, dict[str, Any] | None] = {
    "PUT /users/{user_id}/preferences/notifications": {"enabled": True, "types": []},
    "PUT /users/{user_id}/role": {"role": "member"},
    "POST /users/{userId}/follow": {"followUserId": 1},
    "DELETE /users/{userId}/unfollow": {"unfollowUserId": 1},
    "POST /books/nominations/{nomination_id}/approve": None,
    "POST /books/nominations/{nomination_id}/reject": None,
    "DELETE /books/nominations/{nomination_id}": None,
    "POST /discussions/{thread_id}/reply": {"content": "A reply"},
    "DELETE /forums/rooms/{roomId}": None,
    "POST /sports/chatrooms/{category_id}": None,
    "DELETE /competitions/{id}": None,
    "POST /admin/sagas/{saga_id}/retry": None,
    "POST /competitions/{id}/submit": {"title": "A title", "content": "Some content"},
    "PATCH /competitions/{id}/submissions/{submission_id}": {"title": "Another title"},
    "POST /competitions/{id}/like/{submission_id}": None,
    "DELETE /competitions/{id}/like/{submission_id}": None,
    "POST /competitions/{id}/comment/{submission_id}": {"content": "A comment"},
    "PATCH /competitions/{id}/comments/{comment_id}": {"content": "A better comment"},
    "DELETE /competitions/{id}/comments/{comment_id}": None,
    "POST /users/subscribe/{id}": None,
    "DELETE /users/subscribe/{id}": None,
    "PUT /users-reviews/reviews/{reviewId}": {"rating": 4},
    "DELETE /users-reviews/reviews/{reviewId}": None,
    "DELETE /tweets/{tweetId}": None,
    "POST /sports/games/{game_id}/events": {"event_type": "period_start"},
    "POST /notifications/{id}/read": None,
}

# Routes whose path id names the acting user: another user's id there is a 403, as the contract
# says, not a 404 (only an id that is not an id at all names nobody).
ACTING_USER = {
    "POST /users/{userId}/follow",
    "DELETE /users/{userId}/unfollow",
    "GET /tweets/homeTimeline/{userId}",
}

ID_ROUTES = [r for r in every_served_route() if r.parameters and not r.websocket]


def _not_number_cases() -> list[Any]:
    return [
        pytest.param(route, value, id=f"{route}-{value}")
        for route in ID_ROUTES
        for value in NOT_NUMBERS
    ]


@dataclass
class World:
    platform: Platform
    gateway: httpx.AsyncClient
    admin: Account


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(every_service: Platform) -> AsyncIterator[World]:
    async with client_for(every_service) as gateway:
        admin = await Api(gateway).register("root")  # the first account is the admin
        yield World(every_service, gateway, admin)


def test_the_routes_are_read_from_every_service() -> None:
    assert {r.service for r in ID_ROUTES} == set(SERVICE_NAMES)
    assert len(ID_ROUTES) > 40


def test_every_write_route_with_an_id_has_a_body_entry() -> None:
    writes = {r.key for r in ID_ROUTES if r.method in WRITE_METHODS}
    assert not writes - BODIES.keys(), f"add these to BODIES: {sorted(writes - BODIES.keys())}"
    assert not BODIES.keys() - writes, f"no longer served: {sorted(BODIES.keys() - writes)}"
    assert {r.key for r in ID_ROUTES} >= ACTING_USER


async def _both(world: World, route: ServedRoute, value: str) -> list[httpx.Response]:
    """The same request through the gateway and to the service app alone."""
    url = route.url(value)
    body = BODIES.get(route.key)
    kwargs: dict[str, Any] = {"headers": world.admin.headers}
    if body is not None:
        kwargs["json"] = body
    async with service_client(world.platform, route.service) as alone:
        return [
            await world.gateway.request(route.method, f"/api{url}", **kwargs),
            await alone.request(route.method, url, **kwargs),
        ]


def _assert_not_found(response: httpx.Response, where: str) -> None:
    assert response.status_code == 404, f"{where}: {response.status_code} {response.text}"
    body = response.json()
    assert body["status"] == "error", where
    error = body["error"]
    # `not_found`, or a service's more precise `<thing>_not_found`.
    assert error["code"] == "not_found" or error["code"].endswith("_not_found"), where
    assert isinstance(error["message"], str), where
    assert error["message"], where


@on_the_module_loop
@pytest.mark.parametrize(("route", "value"), _not_number_cases())
async def test_an_id_that_is_not_a_number_is_a_404(
    world: World, route: ServedRoute, value: str
) -> None:
    gateway, alone = await _both(world, route, value)
    _assert_not_found(gateway, f"{route} through the gateway")
    _assert_not_found(alone, f"{route} served alone")


@on_the_module_loop
@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
async def test_a_number_that_names_nothing_is_a_404(world: World, route: ServedRoute) -> None:
    gateway, alone = await _both(world, route, UNKNOWN_NUMBER)
    if route.key in ACTING_USER:
        for response in (gateway, alone):
            assert response.status_code == 403, f"{route}: {response.text}"
            assert response.json()["status"] == "error"
        return
    _assert_not_found(gateway, f"{route} through the gateway")
    _assert_not_found(alone, f"{route} served alone")
