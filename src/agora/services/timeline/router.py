"""HTTP and WebSocket endpoints of the timeline service. Thin: parse, call the service, shape the
answer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, WebSocket

from agora.platform.deps import (
    HUB,
    CurrentUser,
    Db,
    DbReads,
    DbSession,
    PageLimit,
    authenticate_websocket,
    provided,
    provider,
    registered,
)
from agora.platform.http import LeanArgs, LeanRead, ModelJSON
from agora.platform.ids import MAX_ID, IdPath
from agora.platform.pagination import Page
from agora.platform.reads import Reads, Row
from agora.platform.realtime import Channel, Hub, position_from_query, serve_channel
from agora.platform.realtime.base import Publication
from agora.platform.realtime.frames import FrameKinds, Position, ServerFrame
from agora.services.timeline.models import Tweet
from agora.services.timeline.repository import tweet_row
from agora.services.timeline.schemas import Message, TweetCreate, TweetRead, TweetsPage
from agora.services.timeline.service import TimelineService, live_channel

Timeline = Annotated[TimelineService, Depends(provider(TimelineService))]
Limit = PageLimit
Before = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_ID,
        description="Only tweets older than this tweetId (`next_cursor` of the last page)",
    ),
]
UserIdPath = IdPath
TweetIdPath = IdPath

router = APIRouter(prefix="/tweets", tags=["tweets"])


def _read(tweet: Tweet) -> TweetRead:
    return TweetRead(**_fields(tweet_row(tweet)))


def _fields(row: Row) -> dict[str, Any]:
    """A tweet's row in `TweetRead`'s shape."""
    return {
        "tweetId": str(row["id"]),
        "userId": str(row["user_id"]),
        "username": row["username"],
        "content": row["content"],
        "timestamp": row["created_at"],
    }


def _page(page: Page[Row]) -> ModelJSON:
    """A page in `TweetsPage`'s shape, rendered once (timelines are hot reads, decision 0034)."""
    return ModelJSON(
        {"tweets": [_fields(row) for row in page.items], "next_cursor": page.next_cursor}
    )


@router.post("", status_code=201, summary="Post a tweet (at most 280 characters)")
async def post_tweet(body: TweetCreate, db: Db, timeline: Timeline, me: CurrentUser) -> TweetRead:
    # A plain write opened here, not a `DbSession` dependency (decision 0046).
    async with db.writes() as writes:
        tweet = await timeline.do_post(writes, me, body)
    return _read(tweet)


@router.delete("/{tweetId}", summary="Delete my tweet; it leaves every timeline")
async def delete_tweet(
    tweetId: TweetIdPath, db: DbSession, timeline: Timeline, me: CurrentUser
) -> Message:
    await timeline.do_delete(db, me, tweetId)
    return Message(message="Tweet deleted", tweetId=str(tweetId))


@router.get(
    "/homeTimeline/{userId}",
    summary="My home timeline: whom I follow and me, newest first",
    response_model=TweetsPage,
)
async def home_timeline(
    userId: UserIdPath,
    reads: DbReads,
    timeline: Timeline,
    me: CurrentUser,
    limit: Limit = 50,
    before: Before = None,
) -> ModelJSON:
    return _page(await timeline.list_home_timeline(reads, me, userId, before=before, limit=limit))


async def _lean_home_timeline(app: FastAPI, reads: Reads, args: LeanArgs) -> ModelJSON:
    # What `home_timeline` answers, below FastAPI's request handling (decisions 0037, 0039).
    timeline = registered(app, TimelineService)
    page = await timeline.list_home_timeline(
        reads, args.user(), args["userId"], before=args.query["before"], limit=args.number("limit")
    )
    return _page(page)


@router.get(
    "/userTimeline/{userId}",
    summary="A user's tweets, newest first (public)",
    response_model=TweetsPage,
)
async def user_timeline(
    userId: UserIdPath,
    reads: DbReads,
    timeline: Timeline,
    limit: Limit = 50,
    before: Before = None,
) -> ModelJSON:
    return _page(await timeline.list_user_timeline(reads, userId, before=before, limit=limit))


async def _lean_user_timeline(app: FastAPI, reads: Reads, args: LeanArgs) -> ModelJSON:
    # What `user_timeline` answers, below FastAPI's request handling (decisions 0037, 0039).
    timeline = registered(app, TimelineService)
    page = await timeline.list_user_timeline(
        reads, args["userId"], before=args.query["before"], limit=args.number("limit")
    )
    return _page(page)


# The timeline service's reads answered below FastAPI for plain requests (decisions 0037, 0039).
LEAN_READS = [
    LeanRead(home_timeline, _lean_home_timeline),
    LeanRead(user_timeline, _lean_user_timeline),
]


@router.get("/{tweetId}", summary="One tweet (public)")
async def get_tweet(tweetId: TweetIdPath, db: DbSession, timeline: Timeline) -> TweetRead:
    return _read(await timeline.access_tweet(db, tweetId))


# ---------------------------------------------------------------- live home timeline


class TweetFrame(Position, scope="timeline"):
    """A new tweet on my home timeline (mine or of someone I follow)."""

    type: Literal["tweet"] = "tweet"
    tweetId: str
    userId: str
    username: str
    content: str
    timestamp: str


class TweetDeletedFrame(Position, scope="timeline"):
    """A tweet that left my home timeline."""

    type: Literal["tweet_deleted"] = "tweet_deleted"
    tweetId: str


class FollowsChangedFrame(Position, scope="timeline"):
    """I followed or unfollowed someone (in any tab): their posts joined or left my home timeline
    all at once; read it again over HTTP."""

    type: Literal["follows_changed"] = "follows_changed"
    userId: str
    following: bool


class _HomeFeed(Channel):
    """A user's live home timeline: each publication is a tweet, a deletion, or a change of whom
    the user follows."""

    kinds = FrameKinds(TweetFrame, TweetDeletedFrame, FollowsChangedFrame)

    def frame(self, publication: Publication, *, replayed: bool) -> ServerFrame:
        return self.kinds.parse(publication)


@router.websocket("/live")
async def live(websocket: WebSocket) -> None:
    """My home timeline as it grows, through `serve_channel`: `tweet` and `tweet_deleted` frames,
    and `follows_changed` when a follow or unfollow backfilled or emptied it, each with its
    `offset` and `epoch`. Reconnect with `since` and `epoch` to get what was missed
    first (or a `reload` frame when the gap is too old)."""
    me = await authenticate_websocket(websocket)
    if me is None:
        return
    await websocket.accept()
    since, bad_since = position_from_query(websocket)
    hub: Hub = provided(websocket, HUB)
    channel = _HomeFeed(live_channel(me.user_id))
    await serve_channel(websocket, channel, hub=hub, since=since, bad_since=bad_since)
