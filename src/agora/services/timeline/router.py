"""HTTP and WebSocket endpoints of the timeline service. Thin: parse, call the service, shape the
answer."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated

from fastapi import APIRouter, Depends, Query, WebSocket
from starlette.websockets import WebSocketDisconnect

from agora.platform.deps import (
    HUB,
    CurrentUser,
    DbSession,
    PageLimit,
    authenticate_websocket,
    provided,
    provider,
)
from agora.platform.ids import MAX_ID, IdPath
from agora.platform.pagination import Page
from agora.platform.realtime import Hub, subscribe_from
from agora.platform.realtime.recovery import RecoveredSubscription
from agora.platform.realtime.ws import (
    FrameError,
    answer_pings,
    error_frame,
    parse_position,
    reload_frame,
    send_frame,
)
from agora.services.timeline.models import Tweet
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
    return TweetRead(
        tweetId=str(tweet.id),
        userId=str(tweet.user_id),
        username=tweet.username,
        content=tweet.content,
        timestamp=tweet.created_at,
    )


def _page(page: Page[Tweet]) -> TweetsPage:
    return TweetsPage(tweets=[_read(t) for t in page.items], next_cursor=page.next_cursor)


@router.post("", status_code=201, summary="Post a tweet (at most 280 characters)")
async def post_tweet(
    body: TweetCreate, db: DbSession, timeline: Timeline, me: CurrentUser
) -> TweetRead:
    return _read(await timeline.do_post(db, me, body))


@router.delete("/{tweetId}", summary="Delete my tweet; it leaves every timeline")
async def delete_tweet(
    tweetId: TweetIdPath, db: DbSession, timeline: Timeline, me: CurrentUser
) -> Message:
    await timeline.do_delete(db, me, tweetId)
    return Message(message="Tweet deleted", tweetId=str(tweetId))


@router.get(
    "/homeTimeline/{userId}", summary="My home timeline: whom I follow and me, newest first"
)
async def home_timeline(
    userId: UserIdPath,
    db: DbSession,
    timeline: Timeline,
    me: CurrentUser,
    limit: Limit = 50,
    before: Before = None,
) -> TweetsPage:
    return _page(await timeline.list_home_timeline(db, me, userId, before=before, limit=limit))


@router.get("/userTimeline/{userId}", summary="A user's tweets, newest first (public)")
async def user_timeline(
    userId: UserIdPath,
    db: DbSession,
    timeline: Timeline,
    limit: Limit = 50,
    before: Before = None,
) -> TweetsPage:
    return _page(await timeline.list_user_timeline(db, userId, before=before, limit=limit))


@router.get("/{tweetId}", summary="One tweet (public)")
async def get_tweet(tweetId: TweetIdPath, db: DbSession, timeline: Timeline) -> TweetRead:
    return _read(await timeline.access_tweet(db, tweetId))


# ---------------------------------------------------------------- live home timeline


async def _forward(websocket: WebSocket, subscription: RecoveredSubscription) -> None:
    async for publication in subscription:
        frame = {**publication.data, "offset": publication.offset, "epoch": publication.epoch}
        if not await send_frame(websocket, frame):
            return
    # The hub ended the subscription (this reader fell behind, or shutdown): the client must
    # reconnect with its last offset to recover what it missed.
    await send_frame(websocket, error_frame("subscription_closed", "Reconnect with `since`"))
    await websocket.close(code=1011)


@router.websocket("/live")
async def live(websocket: WebSocket) -> None:
    """My home timeline as it grows: `{"type": "tweet", ...}` and `{"type": "tweet_deleted",
    "tweetId"}` frames, each with its `offset` and `epoch`. Reconnect with `since` and `epoch` to
    get what was missed first (or a `reload` frame when the gap is too old)."""
    me = await authenticate_websocket(websocket)
    if me is None:
        return
    await websocket.accept()
    try:
        since = parse_position(
            websocket.query_params.get("since"), websocket.query_params.get("epoch")
        )
    except FrameError as exc:
        await send_frame(websocket, error_frame(exc.code, exc.message))
        await websocket.close(code=1008)
        return
    hub: Hub = provided(websocket, HUB)
    channel = live_channel(me.user_id)
    subscription, recovery = await subscribe_from(hub, channel, since)
    try:
        position = recovery.position
        if recovery.reload:
            await send_frame(websocket, reload_frame(channel, position))
        else:
            await send_frame(
                websocket,
                {
                    "type": "ready",
                    "channel": channel,
                    "offset": position.offset,
                    "epoch": position.epoch,
                },
            )
        for publication in recovery.missed:
            await send_frame(
                websocket,
                {**publication.data, "offset": publication.offset, "epoch": publication.epoch},
            )
        tasks = [
            asyncio.create_task(_forward(websocket, subscription)),
            asyncio.create_task(answer_pings(websocket)),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                    await task
    finally:
        await subscription.close()
