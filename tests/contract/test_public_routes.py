"""Which routes answer without a token. The contract: every write needs a token; reads are public
except a user's own profile, notifications and preferences. Every route the services serve is
probed anonymously, through the gateway and from the service app alone: a route outside `PUBLIC`
answers 401 in the contract's error JSON, and a route in it does not."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from agora.entrypoints.embedded import Platform
from tests.contract.served import ServedRoute, every_served_route, service_client
from tests.support.platform import client_for

# Keyed by `ServedRoute.key`; HEAD follows GET and is not listed.
ACCOUNT_WRITES = {
    # Getting a token cannot need one; logging out takes the refresh token it ends.
    "POST /users/register",
    "POST /users/login",
    "POST /users/refresh",
    "POST /users/logout",
}
PUBLIC_READS = {
    "GET /users",
    "GET /users/profile/{userId}",
    "GET /users/{userId}/followers",
    "GET /users/{userId}/followings",
    "GET /books",
    "GET /books/of-the-month",
    "GET /vote/status",
    "GET /polls",
    "GET /polls/current",
    "GET /polls/{poll_id}",
    "GET /discussions",
    "GET /discussions/{thread_id}",
    "GET /forums/rooms",
    "GET /forums/rooms/{roomId}",
    "GET /forums/rooms/{roomId}/messages",
    "GET /sports/chatrooms",
    "GET /competitions",
    "GET /competitions/{id}",
    "GET /competitions/{id}/results",
    "GET /competitions/{id}/submissions",
    "GET /competitions/{id}/submissions/{submission_id}",
    "GET /competitions/{id}/submissions/{submission_id}/comments",
    "GET /competitions/{id}/comment/{submission_id}",
    "GET /users-reviews/albums",
    "GET /users-reviews/albums/{albumId}",
    "GET /users-reviews/reviews/album/{albumId}",
    "GET /users-reviews/reviews/{reviewId}",
    "GET /tweets/{tweetId}",
    "GET /tweets/userTimeline/{userId}",
    "GET /sports/categories",
    "GET /sports/ongoing-events",
    "GET /sports/games",
    "GET /sports/games/{game_id}",
    "GET /sports/analytics",
    "GET /sports/teams",
    "GET /analytics/reviews",
    "GET /analytics/competitions/{competition_id}",
}
PUBLIC = ACCOUNT_WRITES | PUBLIC_READS

# The reads that need a token, each a user's own: profile, notifications, preferences (and what is
# one's own in the same way: one's home feed, one's pending nominations, the teams one follows).
PRIVATE_READS = {
    "GET /users/profile",  # own profile
    "GET /users/suggestions",  # my own: whom I might follow, from whom I follow
    "GET /users/{user_id}",  # own profile, the sports seed's shape (an admin may read anyone's)
    "GET /users/profile/submissions",  # own profile: my submissions
    "GET /users/profile/subscriptions",  # own profile: competitions I follow
    "GET /users/{user_id}/preferences/notifications",  # preferences
    "GET /sports/teams/following",  # preferences: the teams whose scores notify me
    "GET /notifications",  # notifications
    "GET /tweets/homeTimeline/{userId}",  # my home feed
    "GET /books/nominations",  # my nominations (an admin's: everyone's pending ones)
    "GET /analytics/overview",  # admins only: the whole community's activity
    "GET /users/profile/deletion",  # own profile: my account's deletion
    "GET /users/profile/export/{export_id}",  # own profile: my data export
    "GET /users/profile/export/{export_id}/archive",  # own profile: my data export's archive
    "GET /admin/sagas",  # admins only: the account sagas
}


ROUTES = [r for r in every_served_route() if not r.websocket]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gateway(every_service: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(every_service) as client:
        yield client


def test_the_lists_name_only_served_routes_and_every_read() -> None:
    keys = {r.key for r in ROUTES}
    assert not PUBLIC - keys, f"not served: {sorted(PUBLIC - keys)}"
    assert not PRIVATE_READS - keys, f"not served: {sorted(PRIVATE_READS - keys)}"
    assert not PUBLIC_READS & PRIVATE_READS
    reads = {r.key for r in ROUTES if r.method == "GET"}
    assert reads == PUBLIC_READS | PRIVATE_READS, (
        f"say whether these reads are public: {sorted(reads - PUBLIC_READS - PRIVATE_READS)}"
    )


def test_no_write_but_the_account_ones_is_public() -> None:
    public_writes = {key for key in PUBLIC if not key.startswith("GET ")}
    assert public_writes == ACCOUNT_WRITES


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("route", ROUTES, ids=str)
async def test_anonymous_requests(
    gateway: httpx.AsyncClient, every_service: Platform, route: ServedRoute
) -> None:
    url = route.url("1")
    async with service_client(every_service, route.service) as alone:
        answers = {
            "through the gateway": await gateway.request(route.method, f"/api{url}"),
            "served alone": await alone.request(route.method, url),
        }
    for where, response in answers.items():
        if route.key in PUBLIC:
            assert response.status_code != 401, f"{route} {where}: {response.text}"
            continue
        assert response.status_code == 401, f"{route} {where}: {response.status_code}"
        body = response.json()
        assert body["status"] == "error"
        assert body["error"]["code"] == "unauthorized", body
        assert body["error"]["message"]
        assert response.headers["www-authenticate"] == "Bearer"
