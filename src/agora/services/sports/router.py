"""HTTP and WebSocket endpoints of the sports service. Thin: parse, call the service, shape the
answer in the sports seed's envelope."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, FastAPI, Query, WebSocket

from agora.platform.db import Database
from agora.platform.deps import (
    HUB,
    AdminUser,
    CurrentUser,
    DbReads,
    DbSession,
    PageLimit,
    authenticate_websocket,
    provided,
    provider,
    registered,
)
from agora.platform.errors import NotFound, ValidationFailed
from agora.platform.http import LeanArgs, LeanRead, ModelJSON
from agora.platform.ids import IdPath
from agora.platform.reads import Reads
from agora.platform.realtime import (
    Channel,
    CloseSocket,
    StreamPosition,
    position_from_query,
    serve_channel,
)
from agora.platform.realtime.base import Hub, Publication
from agora.platform.realtime.frames import FrameKinds, Position, ServerFrame
from agora.services.sports.answers import VersionedAnswers
from agora.services.sports.models import Category, Game, GameEvent
from agora.services.sports.schemas import (
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
    TeamRead,
    TeamRequest,
    TeamsPage,
)
from agora.services.sports.service import (
    GameRows,
    GameView,
    SportsService,
    channel_of,
    event_data,
    event_fields,
    game_body,
    game_fields,
)

WS_NOT_FOUND = 4404


Sports = Annotated[SportsService, Depends(provider(SportsService))]
Answers = Annotated[VersionedAnswers, Depends(provider(VersionedAnswers))]
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
    return GameState.model_validate(game_body(game_fields(game), category_name))


def game_read(view: GameView) -> GameRead:
    events = [event_fields(event) for event in view.events]
    return GameRead.model_validate(game_body(game_fields(view.game), view.category_name, events))


def _game_read_body(game: GameRows) -> dict[str, Any]:
    return game_body(game.game, game.category_name, game.events)


class _Rendered(ModelJSON):
    """A `ModelJSON` answer kept from an earlier read (its body as `ModelJSON` rendered it)."""

    def render(self, content: Any) -> bytes:
        body: bytes = content
        return body


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


# The page size of `ongoing-events` when none is asked for (what its lean read answers).
ONGOING_LIMIT = 50


@router.get(
    "/ongoing-events",
    summary="Live and paused games with their events",
    response_model=Envelope[list[GameRead]],
)
async def ongoing_events(
    reads: DbReads,
    sports: Sports,
    answers: Answers,
    sport_category: SportCategory = None,
    limit: Limit = ONGOING_LIMIT,
) -> ModelJSON:
    return await _ongoing_answer(reads, sports, answers, sport_category, limit)


async def _ongoing_answer(
    reads: Reads,
    sports: SportsService,
    answers: VersionedAnswers,
    sport_category: str | None,
    limit: int,
) -> ModelJSON:
    # A hot read: rows from one statement, rendered once in the response model's shape
    # (decisions 0034 and 0040), and kept for the next reads while the games' versions, read
    # here first, stay the same. With a category: made anew every time.
    key = ("ongoing", limit)
    if sport_category is None:
        kept = answers.get(key, await sports.ongoing_versions(reads, limit=limit))
        if kept is not None:
            return _Rendered(kept)
    games = await sports.read_ongoing(reads, sport_category=sport_category, limit=limit)
    answer = ModelJSON({"status": "success", "data": [_game_read_body(game) for game in games]})
    if sport_category is None:
        answers.put(key, tuple(game.ongoing_version for game in games), bytes(answer.body))
    return answer


async def _lean_ongoing(app: FastAPI, reads: Reads, args: LeanArgs) -> ModelJSON:
    # What `ongoing_events` answers for a plain `limit` and no category, below FastAPI
    # (decisions 0037, 0039).
    sports, answers = registered(app, SportsService), registered(app, VersionedAnswers)
    category = args.query["sport_category"]
    return await _ongoing_answer(reads, sports, answers, category, args.number("limit"))


@router.get("/games", summary="Games, newest first or by start time, by status and category")
async def list_games(
    db: DbSession,
    sports: Sports,
    status: Annotated[
        list[GameStatus] | None,
        Query(description="Only games in this status (repeat it for several)", max_length=6),
    ] = None,
    sport_category: SportCategory = None,
    order: Annotated[
        Literal["newest", "soonest"],
        Query(
            description="`newest` (default): the latest scheduled first; `soonest`: by start "
            "time, earliest first (a schedule: with `status=scheduled`, what comes next)"
        ),
    ] = "newest",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> GamesPage:
    games, next_cursor = await sports.list_games(
        db,
        status=status,
        sport_category=sport_category,
        limit=limit,
        cursor=cursor,
        order=order,
    )
    return GamesPage(
        data=[game_state(g.game, g.category_name) for g in games], next_cursor=next_cursor
    )


@router.post("/games", status_code=201, summary="Schedule a game (admins and feeders)")
async def create_game(
    body: GameCreate, db: DbSession, sports: Sports, me: CurrentUser
) -> Envelope[GameRead]:
    return Envelope(data=game_read(await sports.do_create_game(db, me, body)))


@router.get(
    "/games/{game_id}",
    summary="A game's score, status and events",
    response_model=Envelope[GameRead],
)
async def get_game(game_id: IdPath, reads: DbReads, sports: Sports, answers: Answers) -> ModelJSON:
    return await _game_answer(reads, sports, answers, game_id)


async def _game_answer(
    reads: Reads, sports: SportsService, answers: VersionedAnswers, game_id: int
) -> ModelJSON:
    # A hot read, as `ongoing-events`: kept while the game's version stays the same.
    key = ("game", game_id)
    kept = answers.get(key, await sports.game_version(reads, game_id))
    if kept is not None:
        return _Rendered(kept)
    game = await sports.read_game(reads, game_id)
    answer = ModelJSON({"status": "success", "data": _game_read_body(game)})
    answers.put(key, game.version, bytes(answer.body))
    return answer


async def _lean_game(app: FastAPI, reads: Reads, ids: dict[str, int]) -> ModelJSON:
    # What `get_game` answers, below FastAPI (decision 0037).
    sports, answers = registered(app, SportsService), registered(app, VersionedAnswers)
    return await _game_answer(reads, sports, answers, ids["game_id"])


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


# The sports service's reads answered below FastAPI for plain requests (decision 0037).
LEAN_READS = [LeanRead(ongoing_events, _lean_ongoing), LeanRead(get_game, _lean_game)]


# ---------------------------------------------------------------- live updates


class SnapshotFrame(Position, scope="sports"):
    """The game as it is now: on connecting afresh, and after `reload`."""

    type: Literal["snapshot"] = "snapshot"
    game: GameRead


class EventFrame(Position, scope="sports"):
    """An event recorded in the game; its `score` frame follows."""

    type: Literal["event"] = "event"
    game_id: str
    version: int
    event: EventRead


class ScoreFrame(Position, scope="sports"):
    """The game's state after an event (`version` orders them)."""

    type: Literal["score"] = "score"
    game_id: str
    version: int
    score_team_1: int
    score_team_2: int
    status: str
    current_period: str
    period_running: bool


class _GameChannel(Channel):
    """A game's channel for one viewer: stale states are dropped.

    Publications can reach the hub out of commit order (two requests commit, then publish in
    the other order), so a `score` frame older than one already sent is skipped (by the game's
    `version`), and an `event` frame is sent once (by its id).
    """

    kinds = FrameKinds(EventFrame, ScoreFrame)

    def __init__(self, game_id: int, websocket: WebSocket) -> None:
        super().__init__(channel_of(game_id))
        self.game_id = game_id
        self.websocket = websocket
        self.version = -1
        self.seen_events: set[str] = set()

    async def opening(self, position: StreamPosition, *, fresh: bool) -> list[ServerFrame]:
        if not fresh:
            return []
        game = await _snapshot(self.websocket, self.game_id)
        if game is None:
            raise CloseSocket(WS_NOT_FOUND, f"No game with id {self.game_id}")
        self.version = game.version
        self.seen_events.update(e.event_id for e in game.event_details)
        return [SnapshotFrame(game=game, offset=position.offset, epoch=position.epoch)]

    def frame(self, publication: Publication, *, replayed: bool) -> ServerFrame | None:
        frame = self.kinds.parse(publication)
        if isinstance(frame, ScoreFrame):
            if frame.version <= self.version:
                return None
            self.version = frame.version
        elif isinstance(frame, EventFrame):
            if frame.event.event_id in self.seen_events:
                return None
            self.seen_events.add(frame.event.event_id)
        return frame


@router.websocket("/games/{game_id}/live")
async def game_live(websocket: WebSocket, game_id: IdPath) -> None:
    """Score and event updates of a game, through `serve_channel`: a `snapshot` first (or, with
    `since` and `epoch`, the frames missed since then, or a `reload` and a snapshot when they are
    gone), then an `event` and a `score` frame for each recorded event. A ticket or token is
    optional; a bad one closes with 4401, an unknown game with 4404."""
    credentials = ("ticket", "token")
    given = any(websocket.query_params.get(name) for name in credentials)
    if given and await authenticate_websocket(websocket) is None:
        return
    await websocket.accept()
    since, bad_since = position_from_query(websocket)
    hub: Hub = provided(websocket, HUB)
    channel = _GameChannel(game_id, websocket)
    await serve_channel(websocket, channel, hub=hub, since=since, bad_since=bad_since)


async def _snapshot(websocket: WebSocket, game_id: int) -> GameRead | None:
    database = provided(websocket, Database)
    sports = provided(websocket, SportsService)
    async with database.reads() as reads:
        try:
            return GameRead.model_validate(_game_read_body(await sports.read_game(reads, game_id)))
        except NotFound:
            return None
