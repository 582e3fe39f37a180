"""The timelines' lean reads (decisions 0037, 0039) answer exactly what their FastAPI endpoints
answer: plain ids, plain `limit` and `before`, and for the home timeline the token as
`CurrentUser` reads it; everything else is declined and answered by the endpoint."""

from __future__ import annotations

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.platform.ids import MAX_ID
from tests.services.timeline.support import follow, tweet
from tests.support.api import Api
from tests.support.lean import Request, assert_answers_alike, through_gateway

# Query strings the lean reads take (each value in its `Query` bounds, spelled plainly).
PLAIN_QUERIES = ["", "?limit=1", "?limit=200", "?limit=50", "?limit=2&before={before}"]
PLAIN_QUERIES += ["?before={before}&limit=2", "?before={before}", f"?before={MAX_ID}"]
# And those they decline: out of range, other spellings, repeated, unknown or malformed keys.
OTHER_QUERIES = ["?limit=0", "?limit=201", "?limit=01", "?limit=-1", "?limit=+1", "?limit=%31"]
OTHER_QUERIES += ["?limit=", "?limit", "?limit=1&limit=2", "?x=1", "?limit=1&", "?&limit=1"]
OTHER_QUERIES += ["?limit=\uff11", "?limit=1.0", "?LIMIT=1", "?limit=abc", "?before=0"]
OTHER_QUERIES += [f"?before={MAX_ID + 1}", "?before=1&before=2", "?limit= 1", "?lim%69t=1"]


def _with_queries(
    path: str, queries: list[str], before: str, headers: dict[str, str] | None = None
) -> list[Request]:
    return [("GET", path + query.format(before=before), headers or {}) for query in queries]


async def test_user_timeline_lean_read_answers_as_the_endpoint(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice = await api.register("alice")
    ids = [await tweet(client, alice, f"tweet {n}") for n in range(4)]
    app = platform.runtimes["timeline"].app
    path = f"/tweets/userTimeline/{alice.id}"
    plain = _with_queries(path, PLAIN_QUERIES, ids[2])
    plain += [("GET", "/tweets/userTimeline/999"), ("GET", f"{path}?limit=1")]
    others = _with_queries(path, OTHER_QUERIES, ids[2])
    others += [("GET", f"/tweets/userTimeline/{text}") for text in ("0", f"0{alice.id}", "x")]
    others += [("HEAD", path), ("POST", path), ("GET", path + "/")]
    requests = plain + others
    answered = await assert_answers_alike(client, app, through_gateway(requests))
    assert len(answered) == len(plain)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://timeline") as direct:
        answered = await assert_answers_alike(direct, app, requests)
        assert len(answered) == len(plain)
        # The endpoint reads no token, good or bad, and neither does the lean read.
        tokens = [alice.headers, {"Authorization": "Basic abc"}, {"Authorization": "Bearer x"}]
        answered = await assert_answers_alike(direct, app, [("GET", path, h) for h in tokens])
        assert len(answered) == len(tokens)
        pages = [(await direct.get(path + query)).json() for query in ("?limit=2", "")]
        assert [t["tweetId"] for t in pages[0]["tweets"]] == [ids[3], ids[2]]
        assert len(pages[1]["tweets"]) == 4


async def test_home_timeline_lean_read_answers_as_the_endpoint(
    api: Api, client: httpx.AsyncClient, platform: Platform, clock: ManualClock
) -> None:
    alice, bob, carol = [await api.register(name) for name in ("alice", "bob", "carol")]
    await follow(client, alice, bob)
    ids = [await tweet(client, who, f"tweet {n}") for n, who in enumerate([alice, bob] * 2)]
    gone = await api.register("gone")
    logout = {"refresh_token": gone.refresh_token}
    assert (await client.post("/api/users/logout", json=logout)).status_code == 200
    app = platform.runtimes["timeline"].app
    path = f"/tweets/homeTimeline/{alice.id}"
    mine = alice.headers
    plain = _with_queries(path, PLAIN_QUERIES, ids[2], mine)
    # Someone else's home timeline: the lean read makes the service's refusal, as the endpoint.
    plain += [("GET", f"/tweets/homeTimeline/{bob.id}", mine), ("GET", path, carol.headers)]
    others = _with_queries(path, OTHER_QUERIES, ids[2], mine)
    # No token, or one `CurrentUser` refuses: the endpoint answers.
    refused = [{}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"}]
    refused += [{"Authorization": "Bearer not-a-token"}, {"Authorization": f"Bearer {ids[0]}"}]
    refused += [gone.headers, {"Authorization": f"Bearer {alice.refresh_token}"}]
    others += [("GET", path, headers) for headers in refused]
    others += [("GET", f"/tweets/homeTimeline/{text}", mine) for text in ("0", f"0{alice.id}")]
    others += [("HEAD", path, mine), ("GET", path + "/", mine)]
    requests = plain + others
    answered = await assert_answers_alike(client, app, through_gateway(requests))
    assert len(answered) == len(plain)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://timeline") as direct:
        answered = await assert_answers_alike(direct, app, requests)
        assert len(answered) == len(plain)
        page = (await direct.get(path + "?limit=3", headers=mine)).json()
        assert [t["tweetId"] for t in page["tweets"]] == [ids[3], ids[2], ids[1]]
        assert (await direct.get(f"/tweets/homeTimeline/{bob.id}", headers=mine)).status_code == 403
        assert (await direct.get(path)).status_code == 401
        # An expired token: refused by the endpoint's own check, whichever way it came.
        clock.advance(16 * 60)
        expired = [("GET", path, mine), ("GET", path + "?limit=1", mine)]
        assert await assert_answers_alike(direct, app, expired) == []
        response = await direct.get(path, headers=mine)
        assert response.json()["error"]["code"] == "token_expired"
