"""Business rules of the sports service: categories, games and their events (score and status in
one transaction), analytics, and team follows.

`do_*` change state and emit events; `access_*` fetch and authorize or raise; `get_*`/`list_*`
read. Real-time updates go to the hub channel `game:<id>` only after the change commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.sports import (
    CategoryCreated,
    GameScheduled,
    ScoreChanged,
    TeamFollowed,
    TeamUnfollowed,
)
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.clock import Clock
from agora.platform.db import after_commit
from agora.platform.errors import Conflict, Forbidden, NotFound, ValidationFailed
from agora.platform.pagination import parse_id_cursor
from agora.platform.realtime.base import Hub
from agora.services.sports import repository as repo
from agora.services.sports.models import (
    CANCELLED,
    FINISHED,
    LIVE,
    ONGOING,
    PAUSED,
    POSTPONED,
    SCHEDULED,
    STATUSES,
    Category,
    Game,
    GameEvent,
    Team,
    TeamFollow,
)
from agora.services.sports.schemas import (
    SCORING_EVENTS,
    AnalyticsRead,
    AnalyticsSummary,
    CategoryCreate,
    CategoryRead,
    EventRead,
    GameCreate,
    GameEventCreate,
    GameRead,
    GameState,
    Metric,
    Report,
    TeamAverage,
    name_key,
    parse_time_range,
)

log = structlog.get_logger("agora.sports")

TOP_TEAMS = 5

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


def event_read(event: GameEvent) -> EventRead:
    return EventRead(
        event_id=str(event.id),
        event_time=event.event_time,
        event_type=event.event_type,
        description=event.description,
        team=event.team,
        points=event.points,
        period=event.period,
        score_team_1=event.score_team_1,
        score_team_2=event.score_team_2,
        recorded_at=event.recorded_at,
    )


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


def game_read(game: Game, category_name: str, events: list[GameEvent]) -> GameRead:
    return GameRead(
        **game_state(game, category_name).model_dump(),
        event_details=[event_read(e) for e in events],
    )


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


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    event: GameEvent
    game: Game
    category_name: str


class SportsService:
    """The sports service's rules, with its collaborators injected."""

    def __init__(self, *, clock: Clock, hub: Hub) -> None:
        self.clock = clock
        self.hub = hub

    # ------------------------------------------------------------ categories

    async def list_categories(self, session: AsyncSession) -> list[Category]:
        return await repo.list_categories(session)

    async def access_category(self, session: AsyncSession, category_id: int) -> Category:
        category = await repo.get_category(session, category_id)
        if category is None:
            raise NotFound(f"No sport category with id {category_id}", code="category_not_found")
        return category

    async def find_category(self, session: AsyncSession, name_or_id: str) -> Category:
        """A category by name (any case) or by id, as the `sport_category` filters take it."""
        category = await repo.get_category_by_key(session, name_key(name_or_id))
        if category is None and name_or_id.strip().isdigit():
            category = await repo.get_category(session, int(name_or_id))
        if category is None:
            raise NotFound(f"No sport category {name_or_id!r}", code="category_not_found")
        return category

    async def do_create_category(
        self, session: AsyncSession, actor: Principal, data: CategoryCreate
    ) -> Category:
        if not actor.is_admin:
            raise Forbidden("Only admins create sport categories", code="admin_required")
        category_id = await repo.add_category(
            session, data.category_name, name_key(data.category_name), self.clock.now()
        )
        if category_id is None:
            raise Conflict(
                f"A category named {data.category_name!r} exists already",
                code="duplicate_category",
                details=[{"field": "body.category_name", "message": "is already taken"}],
            )
        await emit(session, CategoryCreated(category_id=category_id, name=data.category_name))
        log.info("category_created", category_id=category_id)
        return await self.access_category(session, category_id)

    # ------------------------------------------------------------ games

    async def access_game(self, session: AsyncSession, game_id: int) -> Game:
        game = await repo.get_game(session, game_id)
        if game is None:
            raise NotFound(f"No game with id {game_id}", code="game_not_found")
        return game

    async def get_game(self, session: AsyncSession, game_id: int) -> GameRead:
        game = await self.access_game(session, game_id)
        category = await self.access_category(session, game.category_id)
        events = await repo.list_events(session, [game.id])
        return game_read(game, category.name, events[game.id])

    async def list_ongoing(
        self, session: AsyncSession, *, sport_category: str | None, limit: int
    ) -> list[GameRead]:
        """Live and paused games with their events, earliest start first."""
        category_id = None
        if sport_category:
            category_id = (await self.find_category(session, sport_category)).id
        games = await repo.list_games(
            session, statuses=ONGOING, category_id=category_id, limit=limit, order="start_time"
        )
        names = await repo.category_names(session, {g.category_id for g in games})
        events = await repo.list_events(session, [g.id for g in games])
        return [game_read(g, names[g.category_id], events[g.id]) for g in games]

    async def list_games(
        self,
        session: AsyncSession,
        *,
        status: str | None,
        sport_category: str | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[GameState], str | None]:
        """Games, newest first, optionally of one status and category."""
        before = parse_id_cursor(cursor)
        category_id = None
        if sport_category:
            category_id = (await self.find_category(session, sport_category)).id
        games = await repo.list_games(
            session,
            statuses=[status] if status else None,
            category_id=category_id,
            limit=limit + 1,
            before=before,
        )
        more = len(games) > limit
        games = games[:limit]
        names = await repo.category_names(session, {g.category_id for g in games})
        next_cursor = str(games[-1].id) if more and games else None
        return [game_state(g, names[g.category_id]) for g in games], next_cursor

    async def do_create_game(
        self, session: AsyncSession, actor: Principal, data: GameCreate
    ) -> GameRead:
        require_feeder(actor)
        category = await self.access_category(session, data.category_id)
        now = self.clock.now()
        # Games name teams the way the team was first spelled, so follows match every game.
        team_1 = await repo.ensure_team(session, data.team_1, name_key(data.team_1), now)
        team_2 = await repo.ensure_team(session, data.team_2, name_key(data.team_2), now)
        game = Game(
            category_id=category.id,
            team_1=team_1.name,
            team_2=team_2.name,
            start_time=data.start_time,
            status=SCHEDULED,
            score_team_1=0,
            score_team_2=0,
            current_period="",
            period_number=0,
            period_running=False,
            version=0,
            created_by=actor.user_id,
            created_at=now,
            updated_at=now,
            started_at=None,
            finished_at=None,
        )
        session.add(game)
        await session.flush()
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
        return game_read(game, category.name, [])

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

    def _changes(self, game: Game, data: GameEventCreate) -> dict[str, Any]:
        """The game's new status and period after this event (not the score)."""
        now = self.clock.now()
        values: dict[str, Any] = {"updated_at": now}
        event_type = data.event_type
        if event_type in STATUS_AFTER:
            values["status"] = STATUS_AFTER[event_type]
        if event_type == "period_start":
            number = game.period_number + 1
            values["period_number"] = number
            values["current_period"] = data.period or f"Period {number}"
            values["period_running"] = True
            if game.started_at is None:
                values["started_at"] = now
        elif event_type in ("period_end", "final", "postpone", "cancel"):
            values["period_running"] = False
        if event_type == "final":
            values["finished_at"] = now
        return values

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
        values = self._changes(game, data)
        team = None if side is None else (game.team_1 if side == 1 else game.team_2)
        # Described before the change, so "End of <period>" names the period that ends.
        description = self._description(game, data, team)
        game = await repo.apply_game_change(
            session,
            game.id,
            points_1=points if side == 1 else 0,
            points_2=points if side == 2 else 0,
            values=values,
        )
        now = self.clock.now()
        event = await repo.add_event(
            session,
            GameEvent(
                game_id=game.id,
                event_type=data.event_type,
                side=side,
                team=team,
                points=points,
                description=description,
                event_time=data.event_time or now.isoformat(),
                period=game.current_period,
                score_team_1=game.score_team_1,
                score_team_2=game.score_team_2,
                game_version=game.version,
                recorded_by=actor.user_id,
                recorded_at=now,
            ),
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
            "event": event_read(event).model_dump(mode="json"),
        }
        state = score_frame(game)

        async def publish() -> None:
            await self.hub.publish(channel, event_frame)
            await self.hub.publish(channel, state)

        after_commit(session, publish)

    # ------------------------------------------------------------ analytics

    async def get_analytics(
        self, session: AsyncSession, *, sport_category: str | None, time_range: str
    ) -> AnalyticsRead:
        """Scoring and activity of the games played in the time range (by when they started)."""
        try:
            span = parse_time_range(time_range)
        except ValueError as exc:
            raise ValidationFailed.field("query.time_range", str(exc)) from exc
        since = None if span is None else self.clock.now() - span
        if sport_category:
            categories = [await self.find_category(session, sport_category)]
        else:
            categories = await repo.list_categories(session)
        category_id = categories[0].id if sport_category else None
        totals = await repo.category_totals(session, category_id=category_id, since=since)
        teams = await repo.top_teams(session, category_id=category_id, since=since, limit=TOP_TEAMS)
        games = sum(t.games for t in totals.values())
        points = sum(t.total_points for t in totals.values())
        summary = AnalyticsSummary(
            total_events=games,
            total_game_events=sum(t.events for t in totals.values()),
            average_score=_ratio(points, 2 * games),
            top_teams=[
                TeamAverage(team_name=name, average_score=round(average, 3), games=count)
                for name, average, count in teams
            ],
        )
        reports = []
        for category in categories:
            t = totals.get(category.id, repo.CategoryTotals(0, 0, 0, 0, 0, 0, 0, 0, 0))
            metrics = {
                "games": t.games,
                "finished_games": t.finished,
                "ongoing_games": t.ongoing,
                "events": t.events,
                "scoring_events": t.scoring_events,
                "cards": t.cards,
                "total_points": t.total_points,
                "average_goals_per_game": _ratio(t.total_points, t.games),
                "average_events_per_game": _ratio(t.events, t.games),
                "draw_rate": _ratio(t.draws, t.finished),
                "team_1_win_rate": _ratio(t.team_1_wins, t.finished),
            }
            reports.append(
                Report(
                    report_id=f"category-{category.id}",
                    report_name=f"{category.name} ({time_range})",
                    category_id=str(category.id),
                    metrics=[Metric(metric_name=k, value=float(v)) for k, v in metrics.items()],
                )
            )
        return AnalyticsRead(
            time_range=time_range,
            sport_category=categories[0].name if sport_category else None,
            analytics_summary=summary,
            detailed_reports=reports,
        )

    # ------------------------------------------------------------ teams and follows

    async def access_team(self, session: AsyncSession, name: str) -> Team:
        team = await repo.get_team_by_key(session, name_key(name))
        if team is None:
            raise NotFound(
                f"No team named {name!r} has played or been scheduled", code="team_not_found"
            )
        return team

    async def list_teams(
        self, session: AsyncSession, *, limit: int, cursor: str | None
    ) -> tuple[list[Team], str | None]:
        teams = await repo.list_teams(session, limit=limit + 1, after=cursor or None)
        more = len(teams) > limit
        teams = teams[:limit]
        return teams, teams[-1].name_key if more and teams else None

    async def do_follow_team(
        self, session: AsyncSession, actor: Principal, team_name: str
    ) -> tuple[Team, bool]:
        team = await self.access_team(session, team_name)
        created = await repo.add_team_follow(session, actor.user_id, team.id, self.clock.now())
        if created:
            await emit(session, TeamFollowed(user_id=actor.user_id, team=team.name))
        return team, created

    async def do_unfollow_team(
        self, session: AsyncSession, actor: Principal, team_name: str
    ) -> tuple[Team, bool]:
        team = await self.access_team(session, team_name)
        removed = await repo.remove_team_follow(session, actor.user_id, team.id)
        if removed:
            await emit(session, TeamUnfollowed(user_id=actor.user_id, team=team.name))
        return team, removed

    async def list_followed_teams(
        self, session: AsyncSession, actor: Principal, *, limit: int, cursor: str | None
    ) -> tuple[list[tuple[TeamFollow, Team]], str | None]:
        before = parse_id_cursor(cursor)
        rows = await repo.list_team_follows(session, actor.user_id, limit=limit + 1, before=before)
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, str(rows[-1][0].id) if more and rows else None


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 3) if denominator else 0.0
