"""HTTP and WebSocket endpoints of the sports service. Thin: parse, call the service, shape the
answer in the sports seed's envelope."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, WebSocket
from starlette.websockets import WebSocketDisconnect

from agora.platform.db import Database
from agora.platform.deps import (
    HUB,
    AdminUser,
    CurrentUser,
    DbSession,
    PageLimit,
    authenticate_websocket,
    provided,
    provider,
)
from agora.platform.errors import NotFound, ValidationFailed
from agora.platform.ids import IdPath
from agora.platform.realtime import subscribe_from
from agora.platform.realtime.base import Hub, Publication
from agora.platform.realtime.ws import (
    FrameError,
    answer_pings,
    error_frame,
    parse_position,
    reload_frame,
    send_frame,
)
from agora.services.sports.models import Category, Game, GameEvent
from agora.services.sports.schemas import (
    AnalyticsRead,
    AnalyticsSummary,
    CategoryCreate,
    CategoryRead,
    Envelope,
    EventRead,
    EventRecorded,
    FollowingPage,
    FollowRead,
    GameCreate,
    GameEventCreate,
    GameRead,
    GamesPage,
    GameState,
    GameStatus,
    MessageEnvelope,
    Metric,
    Report,
    TeamAverage,
    TeamRead,
    TeamRequest,
    TeamsPage,
)
from agora.services.sports.service import (
    Analytics,
    GameView,
    SportsService,
    channel_of,
    event_data,
)

WS_NOT_FOUND = 4404
WS_FELL_BEHIND = 4408
WS_GOING_AWAY = 1001


Sports = Annotated[SportsService, Depends(provider(SportsService))]
Limit = PageLimit
Cursor = Annotated[
    str | None, Query(max_length=64, description="`next_cursor` of the previous page")
]
SportCategory = Annotated[str | None, Query(max_length=50, description="A category's name or id")]

router = APIRouter(prefix="/sports", tags=["sports"])


# ---------------------------------------------------------------- response shapes


def category_read(category: Category) -> CategoryRead:
    return CategoryRead(category_id=str(category.id), category_name=category.name)


def event_read(event: GameEvent) -> EventRead:
    return EventRead.model_validate(event_data(event))


def game_state(game: Game, category_name: str) -> GameState:
    return GameState(
        game_id=str(game.id),
        event_id=str(game.id),
        category_id=str(game.category_id),
        sport_category=category_name,
        category=CategoryRead(category_id=str(game.category_id), category_name=category_name),
        team_1=game.team_1,
        team_2=game.team_2,
        score_team_1=game.score_team_1,
        score_team_2=game.score_team_2,
        status=game.status,
        event_status=game.status,
        start_time=game.start_time,
        current_period=game.current_period,
        period_running=game.period_running,
        started_at=game.started_at,
        finished_at=game.finished_at,
        version=game.version,
    )


def game_read(view: GameView) -> GameRead:
    return GameRead(
        **game_state(view.game, view.category_name).model_dump(),
        event_details=[event_read(e) for e in view.events],
    )


def analytics_read(analytics: Analytics) -> AnalyticsRead:
    return AnalyticsRead(
        time_range=analytics.time_range,
        sport_category=analytics.sport_category,
        analytics_summary=AnalyticsSummary(
            total_events=analytics.games,
            total_game_events=analytics.events,
            average_score=analytics.average_score,
            top_teams=[
                TeamAverage(team_name=t.team, average_score=round(t.average, 3), games=t.games)
                for t in analytics.top_teams
            ],
        ),
        detailed_reports=[
            Report(
                report_id=f"category-{r.category.id}",
                report_name=f"{r.category.name} ({analytics.time_range})",
                category_id=str(r.category.id),
                metrics=[Metric(metric_name=k, value=v) for k, v in r.metrics.items()],
            )
            for r in analytics.reports
        ],
    )


# ---------------------------------------------------------------- categories


@router.get("/categories", summary="The sport categories")
async def list_categories(db: DbSession, sports: Sports) -> Envelope[list[CategoryRead]]:
    categories = await sports.list_categories(db)
    return Envelope(data=[category_read(c) for c in categories])


@router.post("/categories", status_code=201, summary="Add a sport category (admins)")
async def create_category(
    body: CategoryCreate, db: DbSession, sports: Sports, me: AdminUser
) -> Envelope[CategoryRead]:
    category = await sports.do_create_category(db, me, body)
    return Envelope(data=category_read(category))


# ---------------------------------------------------------------- games


@router.get("/ongoing-events", summary="Live and paused games with their events")
async def ongoing_events(
    db: DbSession,
    sports: Sports,
    sport_category: SportCategory = None,
    limit: Limit = 50,
) -> Envelope[list[GameRead]]:
    games = await sports.list_ongoing(db, sport_category=sport_category, limit=limit)
    return Envelope(data=[game_read(g) for g in games])


@router.get("/games", summary="Games, newest first, by status and category")
async def list_games(
    db: DbSession,
    sports: Sports,
    status: Annotated[GameStatus | None, Query(description="Only games in this status")] = None,
    sport_category: SportCategory = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> GamesPage:
    games, next_cursor = await sports.list_games(
        db, status=status, sport_category=sport_category, limit=limit, cursor=cursor
    )
    return GamesPage(
        data=[game_state(g.game, g.category_name) for g in games], next_cursor=next_cursor
    )


@router.post("/games", status_code=201, summary="Schedule a game (admins and feeders)")
async def create_game(
    body: GameCreate, db: DbSession, sports: Sports, me: CurrentUser
) -> Envelope[GameRead]:
    return Envelope(data=game_read(await sports.do_create_game(db, me, body)))


@router.get("/games/{game_id}", summary="A game's score, status and events")
async def get_game(game_id: IdPath, db: DbSession, sports: Sports) -> Envelope[GameRead]:
    return Envelope(data=game_read(await sports.get_game(db, game_id)))


@router.post(
    "/games/{game_id}/events",
    status_code=201,
    summary="Record a goal, point, card, period change... (admins and feeders)",
)
async def record_event(
    game_id: IdPath, body: GameEventCreate, db: DbSession, sports: Sports, me: CurrentUser
) -> Envelope[EventRecorded]:
    recorded = await sports.do_record_event(db, me, game_id, body)
    return Envelope(
        data=EventRecorded(
            event=event_read(recorded.event),
            game=game_state(recorded.game, recorded.category_name),
        )
    )


# ---------------------------------------------------------------- analytics


@router.get("/analytics", summary="Scoring and activity of played games, per category")
async def analytics(
    db: DbSession,
    sports: Sports,
    sport_category: SportCategory = None,
    time_range: Annotated[
        str, Query(max_length=8, description="`all`, or hours, days or weeks: `24h`, `7d`, `2w`")
    ] = "all",
) -> Envelope[AnalyticsRead]:
    analytics = await sports.get_analytics(db, sport_category=sport_category, time_range=time_range)
    return Envelope(data=analytics_read(analytics))


# ---------------------------------------------------------------- teams and follows


@router.get("/teams", summary="Teams that have played or are scheduled, by name")
async def list_teams(
    db: DbSession, sports: Sports, limit: Limit = 50, cursor: Cursor = None
) -> TeamsPage:
    teams, next_cursor = await sports.list_teams(db, limit=limit, cursor=cursor)
    return TeamsPage(
        data=[TeamRead(team_id=str(t.id), team_name=t.name) for t in teams],
        next_cursor=next_cursor,
    )


@router.post("/teams/follow", summary="Follow a team: its score changes become notifications")
async def follow_team(
    body: TeamRequest, db: DbSession, sports: Sports, me: CurrentUser
) -> MessageEnvelope[FollowRead]:
    team, created = await sports.do_follow_team(db, me, body.team, user_id=body.user_id)
    verb = "Now following" if created else "Already following"
    return MessageEnvelope(
        message=f"{verb} {team.name}",
        data=FollowRead(team=team.name, team_id=str(team.id), following=True),
    )


@router.delete("/teams/follow", summary="Stop following a team (repeating it is harmless)")
async def unfollow_team(
    db: DbSession,
    sports: Sports,
    me: CurrentUser,
    body: Annotated[TeamRequest | None, Body()] = None,
    team: Annotated[str | None, Query(max_length=64)] = None,
) -> MessageEnvelope[FollowRead]:
    name = body.team if body is not None else team
    if not name:
        raise ValidationFailed.field("body.team", "Field required")
    user_id = body.user_id if body is not None else None
    found, removed = await sports.do_unfollow_team(db, me, name, user_id=user_id)
    verb = "Unfollowed" if removed else "Was not following"
    return MessageEnvelope(
        message=f"{verb} {found.name}",
        data=FollowRead(team=found.name, team_id=str(found.id), following=False),
    )


@router.get("/teams/following", summary="The teams I follow, newest first")
async def following(
    db: DbSession, sports: Sports, me: CurrentUser, limit: Limit = 50, cursor: Cursor = None
) -> FollowingPage:
    rows, next_cursor = await sports.list_followed_teams(db, me, limit=limit, cursor=cursor)
    return FollowingPage(
        data=[
            FollowRead(
                team=team.name, team_id=str(team.id), following=True, followed_at=f.created_at
            )
            for f, team in rows
        ],
        next_cursor=next_cursor,
    )


# ---------------------------------------------------------------- live updates


class _LiveSocket:
    """One client of a game's channel: sends are serialized, stale states are dropped.

    Publications can reach the hub out of commit order (two requests commit, then publish in
    the other order), so a `score` frame older than one already sent is skipped (by the game's
    `version`), and an `event` frame is sent once (by its id).
    """

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self._lock = asyncio.Lock()
        self.version = -1
        self.seen_events: set[str] = set()

    async def send(self, frame: dict[str, Any]) -> bool:
        async with self._lock:
            return await send_frame(self.websocket, frame)

    async def close(self, code: int, reason: str) -> None:
        async with self._lock:
            # The client may have left already; then there is nothing to close.
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await self.websocket.close(code=code, reason=reason)

    def saw_snapshot(self, game: GameRead) -> None:
        self.version = game.version
        self.seen_events.update(e.event_id for e in game.event_details)

    async def forward(self, publication: Publication) -> bool:
        data = publication.data
        if data.get("type") == "score":
            if data.get("version", 0) <= self.version:
                return True
            self.version = data["version"]
        elif data.get("type") == "event":
            event_id = str(data.get("event", {}).get("event_id"))
            if event_id in self.seen_events:
                return True
            self.seen_events.add(event_id)
        return await self.send({**data, "offset": publication.offset, "epoch": publication.epoch})

    async def read_until_gone(self) -> None:
        """Answer pings (through this socket's ordered sender) until the client leaves."""
        await answer_pings(self.websocket, self.send)


@router.websocket("/games/{game_id}/live")
async def game_live(websocket: WebSocket, game_id: IdPath) -> None:
    """Score and event updates of a game: a `snapshot` first (or, with `since` and `epoch`, the
    frames missed since then, or a `reload` and a snapshot when they are gone), then an `event`
    and a `score` frame for each recorded event. A token is optional; a bad one closes with
    4401."""
    if websocket.query_params.get("token") and await authenticate_websocket(websocket) is None:
        return
    await websocket.accept()
    client = _LiveSocket(websocket)
    try:
        since = parse_position(
            websocket.query_params.get("since"), websocket.query_params.get("epoch")
        )
    except FrameError as exc:
        await client.send(error_frame(exc.code, exc.message))
        since = None
    hub: Hub = provided(websocket, HUB)
    channel = channel_of(game_id)
    subscription, recovery = await subscribe_from(hub, channel, since)
    try:
        if since is None or recovery.reload:
            snapshot = await _snapshot(websocket, game_id)
            if snapshot is None:
                await websocket.close(code=WS_NOT_FOUND, reason=f"No game with id {game_id}")
                return
            position = recovery.position
            if recovery.reload:
                await client.send(reload_frame(channel, position))
            client.saw_snapshot(snapshot)
            await client.send(
                {
                    "type": "snapshot",
                    "game": snapshot.model_dump(mode="json"),
                    "offset": position.offset,
                    "epoch": position.epoch,
                }
            )
        for publication in recovery.missed:
            await client.forward(publication)
        await _stream(client, subscription)
    finally:
        await subscription.close()


async def _snapshot(websocket: WebSocket, game_id: int) -> GameRead | None:
    database = provided(websocket, Database)
    sports = provided(websocket, SportsService)
    async with database.session(read_only=True) as session:
        try:
            return game_read(await sports.get_game(session, game_id))
        except NotFound:
            return None


async def _stream(client: _LiveSocket, subscription: Any) -> None:
    async def forward_all() -> None:
        async for publication in subscription:
            if not await client.forward(publication):
                return
        if subscription.closed_reason == "overflow":
            await client.close(WS_FELL_BEHIND, "Fell behind; reconnect with since and epoch")
        else:
            await client.close(WS_GOING_AWAY, "The server is going away; reconnect later")

    reader = asyncio.create_task(client.read_until_gone())
    forwarder = asyncio.create_task(forward_all())
    try:
        await asyncio.wait({reader, forwarder}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (reader, forwarder):
            task.cancel()
        for task in (reader, forwarder):
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await task
