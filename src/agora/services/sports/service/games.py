"""Games and their events: scheduling, and recording what happens (score, status and period move
in the event's transaction). Real-time updates go to the hub channel `game:<id>` only after the
change commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.sports import GameScheduled, ScoreChanged
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.db import after_commit
from agora.platform.errors import Conflict, Forbidden, NotFound, ValidationFailed
from agora.platform.pagination import (
    Page,
    fetch_size,
    paginate,
    parse_id_cursor,
    parse_time_id_cursor,
    time_id_cursor,
)
from agora.platform.reads import Reads
from agora.platform.schemas import iso
from agora.services.sports import repository as repo
from agora.services.sports.models import (
    CANCELLED,
    FINISHED,
    LIVE,
    PAUSED,
    POSTPONED,
    SCHEDULED,
    STATUSES,
    Game,
    GameEvent,
)
from agora.services.sports.repository import (
    CATEGORY_NAME_AT,
    EVENT_AT,
    EVENT_FIELDS,
    GAME_FIELDS,
    GameVersion,
)
from agora.services.sports.schemas import SCORING_EVENTS, GameCreate, GameEventCreate, name_key
from agora.services.sports.service.categories import CategoryRules

log = structlog.get_logger("agora.sports")

# From which statuses each event type may be recorded. A scoring event also needs a running
# period; `note` goes anywhere.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "goal": frozenset({LIVE}),
    "point": frozenset({LIVE}),
    "card": frozenset({LIVE, PAUSED}),
    "substitution": frozenset({LIVE, PAUSED}),
    "period_start": frozenset({SCHEDULED, LIVE, POSTPONED}),
    "period_end": frozenset({LIVE}),
    "pause": frozenset({LIVE}),
    "resume": frozenset({PAUSED}),
    "final": frozenset({LIVE, PAUSED}),
    "postpone": frozenset({SCHEDULED, LIVE, PAUSED}),
    "cancel": frozenset({SCHEDULED, LIVE, PAUSED, POSTPONED}),
    "note": frozenset(STATUSES),
}
# Events that belong to play: refused with `game_not_live` outside it.
PLAY_EVENTS = frozenset({"goal", "point", "card", "substitution"})

STATUS_AFTER: dict[str, str] = {
    "period_start": LIVE,
    "pause": PAUSED,
    "resume": LIVE,
    "final": FINISHED,
    "postpone": POSTPONED,
    "cancel": CANCELLED,
}

DEFAULT_DESCRIPTIONS: dict[str, str] = {
    "card": "Card",
    "period_end": "End of {period}",
    "pause": "Play suspended",
    "resume": "Play resumed",
    "final": "Final: {team_1} {score_1}–{score_2} {team_2}",
    "postpone": "Game postponed",
    "cancel": "Game cancelled",
    "substitution": "Substitution",
    "note": "Note",
}


def channel_of(game_id: int) -> str:
    return f"game:{game_id}"


VERSION_AT = GAME_FIELDS.index("version")


def event_fields(event: GameEvent) -> tuple[Any, ...]:
    """An event's columns in `EVENT_FIELDS` order, as the hot reads select them."""
    return tuple(getattr(event, name) for name in EVENT_FIELDS)


def game_fields(game: Game) -> tuple[Any, ...]:
    """A game's columns in `GAME_FIELDS` order, as the hot reads select them."""
    return tuple(getattr(game, name) for name in GAME_FIELDS)


def event_body(event: Sequence[Any]) -> dict[str, Any]:
    """An event (its columns in `EVENT_FIELDS` order) in `EventRead`'s shape; `recorded_at` an
    aware UTC datetime, as `ModelJSON` writes it."""
    return {
        "event_id": str(event[0]),
        "event_time": event[1],
        "event_type": event[2],
        "description": event[3],
        "team": event[4],
        "points": event[5],
        "period": event[6],
        "score_team_1": event[7],
        "score_team_2": event[8],
        "recorded_at": event[9],
    }


def game_body(
    game: Sequence[Any], category_name: str, events: Sequence[Sequence[Any]] | None = None
) -> dict[str, Any]:
    """A game (its columns in `GAME_FIELDS` order) in `GameState`'s shape, or with `events`
    (their columns, oldest first) in `GameRead`'s: every answer that shows a game is made here,
    the hot reads' rows and the written game's entity alike (decision 0040)."""
    game_id = str(game[0])
    category_id = str(game[1])
    body = {
        "game_id": game_id,
        "event_id": game_id,
        "category_id": category_id,
        "sport_category": category_name,
        "category": {"category_id": category_id, "category_name": category_name},
        "team_1": game[2],
        "team_2": game[3],
        "score_team_1": game[4],
        "score_team_2": game[5],
        "status": game[6],
        "event_status": game[6],
        "start_time": game[7],
        "current_period": game[8],
        "period_running": game[9],
        "started_at": game[10],
        "finished_at": game[11],
        "version": game[12],
    }
    if events is not None:
        body["event_details"] = [event_body(event) for event in events]
    return body


def event_data(event: GameEvent) -> dict[str, Any]:
    """An event as clients see it, in a game's `event_details` and in `event` frames alike (its
    time written out, for frames)."""
    data = event_body(event_fields(event))
    data["recorded_at"] = iso(event.recorded_at)
    return data


def score_frame(game: Game) -> dict[str, Any]:
    """The real-time frame of a game's state after an event."""
    return {
        "type": "score",
        "game_id": str(game.id),
        "version": game.version,
        "score_team_1": game.score_team_1,
        "score_team_2": game.score_team_2,
        "status": game.status,
        "current_period": game.current_period,
        "period_running": game.period_running,
    }


def require_feeder(actor: Principal) -> None:
    if not actor.is_feeder:
        raise Forbidden("Only admins and feeders can do this", code="feeder_required")


NEWEST = "newest"
SOONEST = "soonest"


def start_cursor(game: Game) -> str:
    """The cursor after `game` in start-time order (ties broken by id)."""
    return time_id_cursor(game.start_time, game.id)


@dataclass(frozen=True, slots=True)
class GameView:
    """A game with its category's name and, where asked for, its events (oldest first)."""

    game: Game
    category_name: str
    events: list[GameEvent] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GameRows:
    """A game as the hot reads select it: its columns (`GAME_FIELDS`), its category's name and
    its events' columns (`EVENT_FIELDS`), oldest first; `game_body` makes the answer of them."""

    game: Sequence[Any]
    category_name: str
    events: list[Sequence[Any]]

    @property
    def version(self) -> GameVersion:
        """The game's `version` and `updated_at`, as `game_version` reads them."""
        return (self.game[VERSION_AT], self.game[VERSION_AT + 1])

    @property
    def ongoing_version(self) -> tuple[Any, ...]:
        """The game's entry in what `ongoing_versions` reads."""
        return (self.game[0], self.game[VERSION_AT], self.game[VERSION_AT + 1])


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    event: GameEvent
    game: Game
    category_name: str


class GameRules(CategoryRules):
    async def read_game(self, reads: Reads, game_id: int) -> GameRows:
        """A game with its category's name and its events, oldest first (one statement)."""
        rows = await repo.game_with_events(reads, game_id)
        if not rows:
            raise NotFound(f"No game with id {game_id}", code="game_not_found")
        first = rows[0]
        category_name = first[CATEGORY_NAME_AT]
        if category_name is None:
            category_id = first[1]
            raise NotFound(f"No sport category with id {category_id}", code="category_not_found")
        events: list[Sequence[Any]] = [row[EVENT_AT:] for row in rows if row[EVENT_AT] is not None]
        return GameRows(first[:CATEGORY_NAME_AT], category_name, events)

    async def game_version(self, reads: Reads, game_id: int) -> GameVersion:
        """What the game's answer is made of changes only with this (decision 0040)."""
        found = await repo.game_version(reads, game_id)
        if found is None:
            raise NotFound(f"No game with id {game_id}", code="game_not_found")
        return found

    async def ongoing_versions(self, reads: Reads, *, limit: int) -> tuple[Any, ...]:
        """The `ongoing_version` of each game `read_ongoing` would answer without a category:
        that answer changes only with this (decision 0040)."""
        return await repo.ongoing_versions(reads, limit=limit)

    async def read_ongoing(
        self, reads: Reads, *, sport_category: str | None, limit: int
    ) -> list[GameRows]:
        """Live and paused games with their events, earliest start first (one statement, after
        the category's when there is one)."""
        category_id = None
        if sport_category:
            category_id = await self.find_category_id(reads, sport_category)
        rows = await repo.ongoing_with_events(reads, category_id=category_id, limit=limit)
        games: list[GameRows] = []
        last_id = None
        for row in rows:
            if row[0] != last_id:
                last_id = row[0]
                games.append(GameRows(row[:CATEGORY_NAME_AT], row[CATEGORY_NAME_AT], []))
            if row[EVENT_AT] is not None:
                games[-1].events.append(row[EVENT_AT:])
        return games

    async def list_games(
        self,
        session: AsyncSession,
        *,
        status: Sequence[str] | None,
        sport_category: str | None,
        limit: int,
        cursor: str | None,
        order: str = NEWEST,
    ) -> Page[GameView]:
        """Games (without their events), optionally of some statuses and one category: newest first,
        or (`order="soonest"`, a schedule's order) by start time, earliest first."""
        soonest = order == SOONEST
        before = None if soonest else parse_id_cursor(cursor)
        after_start = parse_time_id_cursor(cursor) if soonest else None
        category_id = None
        if sport_category:
            category_id = (await self.find_category(session, sport_category)).id
        rows = await repo.list_games(
            session,
            statuses=list(status) if status else None,
            category_id=category_id,
            limit=fetch_size(limit),
            before=before,
            after_start=after_start,
            order="start_time" if soonest else "newest",
        )
        games, next_cursor = paginate(
            rows, limit, cursor_of=start_cursor if soonest else lambda game: game.id
        )
        names = await repo.category_names(session, {g.category_id for g in games})
        return Page([GameView(g, names[g.category_id]) for g in games], next_cursor)

    async def do_create_game(
        self, session: AsyncSession, actor: Principal, data: GameCreate
    ) -> GameView:
        require_feeder(actor)
        category = await self.access_category(session, data.category_id)
        now = self.clock.now()
        # Games name teams the way the team was first spelled, so follows match every game.
        team_1 = await repo.ensure_team(session, data.team_1, name_key(data.team_1), now)
        team_2 = await repo.ensure_team(session, data.team_2, name_key(data.team_2), now)
        game = await repo.add_game(
            session,
            category_id=category.id,
            team_1=team_1.name,
            team_2=team_2.name,
            start_time=data.start_time,
            created_by=actor.user_id,
            now=now,
        )
        await emit(
            session,
            GameScheduled(
                game_id=game.id,
                category_id=category.id,
                sport_category=category.name,
                team_1=game.team_1,
                team_2=game.team_2,
                start_time=game.start_time,
            ),
        )
        log.info("game_scheduled", game_id=game.id, category_id=category.id)
        return GameView(game, category.name)

    @staticmethod
    def _side(game: Game, team: str | None) -> int | None:
        if team is None or team == "":
            return None
        if team in ("team_1", "team_2"):
            return int(team[-1])
        key = name_key(team)
        if key == name_key(game.team_1):
            return 1
        if key == name_key(game.team_2):
            return 2
        raise ValidationFailed.field(
            "body.team", f"must be {game.team_1!r} or {game.team_2!r} (or team_1, team_2)"
        )

    @staticmethod
    def _check_transition(game: Game, event_type: str) -> None:
        if game.status in ALLOWED_FROM[event_type]:
            if event_type in SCORING_EVENTS and not game.period_running:
                raise Conflict(
                    f"No period is running in game {game.id}; start one with period_start",
                    code="period_not_running",
                )
            if event_type == "period_end" and not game.period_running:
                raise Conflict(f"No period is running in game {game.id}", code="period_not_running")
            return
        if event_type in PLAY_EVENTS:
            raise Conflict(
                f"Game {game.id} is {game.status}, not live: no {event_type} now",
                code="game_not_live",
            )
        raise Conflict(
            f"A {event_type} cannot happen in a game that is {game.status}",
            code="invalid_transition",
        )

    def _change(self, game: Game, data: GameEventCreate) -> repo.GameChange:
        """The game's new status and period after this event (not the score)."""
        now = self.clock.now()
        event_type = data.event_type
        change = repo.GameChange(updated_at=now, status=STATUS_AFTER.get(event_type))
        if event_type == "period_start":
            number = game.period_number + 1
            change = replace(
                change,
                period_number=number,
                current_period=data.period or f"Period {number}",
                period_running=True,
                started_at=now if game.started_at is None else None,
            )
        elif event_type in ("period_end", "final", "postpone", "cancel"):
            change = replace(change, period_running=False)
        if event_type == "final":
            change = replace(change, finished_at=now)
        return change

    @staticmethod
    def _description(game: Game, data: GameEventCreate, team: str | None) -> str:
        if data.description:
            return data.description
        if data.event_type == "goal":
            return f"Goal for {team}"
        if data.event_type == "point":
            points = data.score_points
            return f"{points} point{'' if points == 1 else 's'} to {team}"
        if data.event_type == "period_start":
            return f"Start of {data.period or f'Period {game.period_number + 1}'}"
        return DEFAULT_DESCRIPTIONS[data.event_type].format(
            period=game.current_period or "the period",
            team_1=game.team_1,
            team_2=game.team_2,
            score_1=game.score_team_1,
            score_2=game.score_team_2,
        )

    async def do_record_event(
        self, session: AsyncSession, actor: Principal, game_id: int, data: GameEventCreate
    ) -> RecordedEvent:
        """Record what happened in a game and move its score, status and period, all in this
        transaction; the game row stays locked until it ends, so concurrent events apply one
        after another."""
        require_feeder(actor)
        game = await repo.lock_game(session, game_id)
        if game is None:
            raise NotFound(f"No game with id {game_id}", code="game_not_found")
        self._check_transition(game, data.event_type)
        side = self._side(game, data.team)
        points = data.score_points
        change = self._change(game, data)
        team = None if side is None else (game.team_1 if side == 1 else game.team_2)
        # Described before the change, so "End of <period>" names the period that ends.
        description = self._description(game, data, team)
        game = await repo.apply_game_change(
            session,
            game.id,
            points_1=points if side == 1 else 0,
            points_2=points if side == 2 else 0,
            change=change,
        )
        now = self.clock.now()
        event = await repo.add_event(
            session,
            game=game,
            event_type=data.event_type,
            side=side,
            team=team,
            points=points,
            description=description,
            event_time=data.event_time or now.isoformat(),
            recorded_by=actor.user_id,
            recorded_at=now,
        )
        category = await self.access_category(session, game.category_id)
        if points:
            await emit(
                session,
                ScoreChanged(
                    game_id=game.id,
                    sport_category=category.name,
                    team_1=game.team_1,
                    team_2=game.team_2,
                    score_team_1=game.score_team_1,
                    score_team_2=game.score_team_2,
                    scoring_team=team,
                    event_type_name=data.event_type,
                    description=description,
                    occurred_at=now,
                ),
            )
        self._publish_after_commit(session, game, event)
        return RecordedEvent(event=event, game=game, category_name=category.name)

    def _publish_after_commit(self, session: AsyncSession, game: Game, event: GameEvent) -> None:
        channel = channel_of(game.id)
        event_frame = {
            "type": "event",
            "game_id": str(game.id),
            "version": game.version,
            "event": event_data(event),
        }
        state = score_frame(game)

        async def publish() -> None:
            await self.hub.publish(channel, event_frame)
            await self.hub.publish(channel, state)

        after_commit(session, publish)
