"""Queries of the sports service. Repositories flush; they never commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import add_row, insert_ignore
from agora.platform.reads import Reads
from agora.services.sports.models import (
    ONGOING,
    SCHEDULED,
    Category,
    FeedPlanEntry,
    FeedState,
    Game,
    GameEvent,
    Team,
    TeamFollow,
)

# ---------------------------------------------------------------- categories


async def list_categories(session: AsyncSession) -> list[Category]:
    return list((await session.execute(select(Category).order_by(Category.id))).scalars())


async def get_category(session: AsyncSession, category_id: int) -> Category | None:
    return await session.get(Category, category_id)


async def get_category_by_key(session: AsyncSession, key: str) -> Category | None:
    return (
        await session.execute(select(Category).where(Category.name_key == key))
    ).scalar_one_or_none()


async def add_category(session: AsyncSession, name: str, key: str, now: datetime) -> int | None:
    """Insert a category; None when one with the same key exists (a duplicate, or a lost race)."""
    result = await session.execute(
        insert_ignore(session, Category, name=name, name_key=key, created_at=now).returning(
            Category.id
        )
    )
    return result.scalar_one_or_none()


# ---------------------------------------------------------------- teams


async def ensure_team(session: AsyncSession, name: str, key: str, now: datetime) -> Team:
    """The team with this key, created with `name` when new (the first spelling wins)."""
    await session.execute(insert_ignore(session, Team, name=name, name_key=key, created_at=now))
    return (await session.execute(select(Team).where(Team.name_key == key))).scalar_one()


async def get_team_by_key(session: AsyncSession, key: str) -> Team | None:
    return (await session.execute(select(Team).where(Team.name_key == key))).scalar_one_or_none()


async def list_teams(session: AsyncSession, *, limit: int, after: str | None) -> list[Team]:
    """Teams by name key, after the key `after` (a page cursor)."""
    query = select(Team).order_by(Team.name_key).limit(limit)
    if after is not None:
        query = query.where(Team.name_key > after)
    return list((await session.execute(query)).scalars())


async def add_team_follow(session: AsyncSession, user_id: int, team_id: int, now: datetime) -> bool:
    """Insert the follow; False when it already existed."""
    result = await session.execute(
        insert_ignore(
            session, TeamFollow, user_id=user_id, team_id=team_id, created_at=now
        ).returning(TeamFollow.id)
    )
    return result.first() is not None


async def remove_team_follow(session: AsyncSession, user_id: int, team_id: int) -> bool:
    """Delete the follow; False when there was none."""
    result = await session.execute(
        delete(TeamFollow)
        .where(TeamFollow.user_id == user_id, TeamFollow.team_id == team_id)
        .returning(TeamFollow.id)
    )
    return result.first() is not None


async def list_team_follows(
    session: AsyncSession, user_id: int, *, limit: int, before: int | None
) -> list[tuple[TeamFollow, Team]]:
    """One page of the teams a user follows, newest first."""
    query = (
        select(TeamFollow, Team)
        .join(Team, Team.id == TeamFollow.team_id)
        .where(TeamFollow.user_id == user_id)
        .order_by(TeamFollow.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(TeamFollow.id < before)
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


# ---------------------------------------------------------------- games


async def lock_game(session: AsyncSession, game_id: int) -> Game | None:
    """The game, fresh from the database and locked until the transaction ends (PostgreSQL
    `FOR UPDATE`; SQLite write transactions are serialized already)."""
    return (
        await session.execute(
            select(Game)
            .where(Game.id == game_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class GameChange:
    """What an event changes in a game besides its score; None leaves a field as it is."""

    updated_at: datetime
    status: str | None = None
    period_number: int | None = None
    current_period: str | None = None
    period_running: bool | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


async def apply_game_change(
    session: AsyncSession, game_id: int, *, points_1: int, points_2: int, change: GameChange
) -> Game:
    """Add points atomically (`score = score + :points`), bump the version, apply `change`."""
    values = {
        f.name: getattr(change, f.name)
        for f in fields(change)
        if getattr(change, f.name) is not None
    }
    result = await session.execute(
        update(Game)
        .where(Game.id == game_id)
        .values(
            score_team_1=Game.score_team_1 + points_1,
            score_team_2=Game.score_team_2 + points_2,
            version=Game.version + 1,
            **values,
        )
        .returning(Game)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return result.scalar_one()


async def add_game(
    session: AsyncSession,
    *,
    category_id: int,
    team_1: str,
    team_2: str,
    start_time: datetime,
    created_by: int,
    now: datetime,
) -> Game:
    """A new scheduled game, nil-nil, no period played yet."""
    game = Game(
        category_id=category_id,
        team_1=team_1,
        team_2=team_2,
        start_time=start_time,
        status=SCHEDULED,
        score_team_1=0,
        score_team_2=0,
        current_period="",
        period_number=0,
        period_running=False,
        version=0,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        started_at=None,
        finished_at=None,
    )
    return await add_row(session, game)


async def list_games(
    session: AsyncSession,
    *,
    statuses: Collection[str] | None = None,
    category_id: int | None = None,
    created_by: int | None = None,
    limit: int,
    before: int | None = None,
    after_start: tuple[datetime, int] | None = None,
    order: str = "newest",
) -> list[Game]:
    """Games newest first (by id; `before` an id), or by start time, earliest first
    (`order="start_time"`; `after_start`: the start time and id of the previous page's last game).
    """
    query = select(Game).limit(limit)
    if statuses is not None:
        query = query.where(Game.status.in_(statuses))
    if category_id is not None:
        query = query.where(Game.category_id == category_id)
    if created_by is not None:
        query = query.where(Game.created_by == created_by)
    if before is not None:
        query = query.where(Game.id < before)
    if after_start is not None:
        start, game_id = after_start
        query = query.where(
            or_(Game.start_time > start, and_(Game.start_time == start, Game.id > game_id))
        )
    if order == "start_time":
        query = query.order_by(Game.start_time, Game.id)
    else:
        query = query.order_by(Game.id.desc())
    return list((await session.execute(query)).scalars())


async def category_names(session: AsyncSession, category_ids: Collection[int]) -> dict[int, str]:
    if not category_ids:
        return {}
    rows = await session.execute(
        select(Category.id, Category.name).where(Category.id.in_(set(category_ids)))
    )
    return {row.id: row.name for row in rows}


async def add_event(
    session: AsyncSession,
    *,
    game: Game,
    event_type: str,
    side: int | None,
    team: str | None,
    points: int,
    description: str,
    event_time: str,
    recorded_by: int,
    recorded_at: datetime,
) -> GameEvent:
    """An event of `game`, stamped with the game's period, score and version after it."""
    event = GameEvent(
        game_id=game.id,
        event_type=event_type,
        side=side,
        team=team,
        points=points,
        description=description,
        event_time=event_time,
        period=game.current_period,
        score_team_1=game.score_team_1,
        score_team_2=game.score_team_2,
        game_version=game.version,
        recorded_by=recorded_by,
        recorded_at=recorded_at,
    )
    return await add_row(session, event)


# ---------------------------------------------------------------- games as clients read them

# The columns a game's answer shows, in the order of `GAME_FIELDS` and `EVENT_FIELDS`
# (schemas.py): the hot reads select them from the tables in statements built once (decision
# 0040), which run on plain reads, below the Session (`Database.reads()`, decision 0044).
GAME_FIELDS = (
    "id",
    "category_id",
    "team_1",
    "team_2",
    "score_team_1",
    "score_team_2",
    "status",
    "start_time",
    "current_period",
    "period_running",
    "started_at",
    "finished_at",
    "version",
    "updated_at",  # not shown: with `version`, what a cached answer of the game is kept under
)
EVENT_FIELDS = (
    "id",
    "event_time",
    "event_type",
    "description",
    "team",
    "points",
    "period",
    "score_team_1",
    "score_team_2",
    "recorded_at",
)
# In a row of `_GAME_WITH_EVENTS` or `_ONGOING`: the game's columns, its category's name (None:
# no such category), then one event's columns (all None: the game has no event).
CATEGORY_NAME_AT = len(GAME_FIELDS)
EVENT_AT = CATEGORY_NAME_AT + 1

_GAMES, _EVENTS, _CATEGORIES = Game.__table__, GameEvent.__table__, Category.__table__


def _games_with_events(games: Any) -> Any:
    """Each of `games` (a table or a subquery of it) with its category's name and its events
    (oldest first), one row per event."""
    return select(
        *(games.c[name] for name in GAME_FIELDS),
        _CATEGORIES.c.name,
        *(_EVENTS.c[name] for name in EVENT_FIELDS),
    ).select_from(
        games.outerjoin(_CATEGORIES, _CATEGORIES.c.id == games.c.category_id).outerjoin(
            _EVENTS, _EVENTS.c.game_id == games.c.id
        )
    )


_GAME_WITH_EVENTS = (
    _games_with_events(_GAMES).where(_GAMES.c.id == bindparam("game_id")).order_by(_EVENTS.c.id)
)


def _ongoing_games(*columns: Any) -> Any:
    # The first `limit` live and paused games by start time (ties by id). The statuses as plain
    # parameters: an `IN` of a list would be rendered anew on every run.
    return (
        select(*columns)
        .where(_GAMES.c.status.in_([literal(status) for status in ONGOING]))
        .order_by(_GAMES.c.start_time, _GAMES.c.id)
        .limit(bindparam("limit"))
    )


def _ongoing(*, by_category: bool) -> Any:
    chosen = _ongoing_games(*(_GAMES.c[name] for name in GAME_FIELDS))
    if by_category:
        chosen = chosen.where(_GAMES.c.category_id == bindparam("category_id"))
    games = chosen.subquery("ongoing")
    return _games_with_events(games).order_by(games.c.start_time, games.c.id, _EVENTS.c.id)


_ONGOING = _ongoing(by_category=False)
_ONGOING_IN_CATEGORY = _ongoing(by_category=True)

# What a game's answer is made of changes only with its `version` (decision 0040): every write
# to a game or its events bumps it in the same transaction (`apply_game_change`, with
# `add_event`; a new game starts at 0), and categories are never renamed. `updated_at`, set by
# every change, goes with it, so a database put back to an earlier state and written again
# does not repeat a (game, version) with other contents.
_GAME_VERSION = select(_GAMES.c.version, _GAMES.c.updated_at).where(
    _GAMES.c.id == bindparam("game_id")
)
_ONGOING_VERSIONS = _ongoing_games(_GAMES.c.id, _GAMES.c.version, _GAMES.c.updated_at)

GameVersion = tuple[int, datetime]


# A category of the `sport_category` filter of `ongoing_with_events`, as `get_category_by_key`
# and `get_category` find it.
_CATEGORY_BY_KEY = select(_CATEGORIES.c.id).where(_CATEGORIES.c.name_key == bindparam("key"))
_CATEGORY_BY_ID = select(_CATEGORIES.c.id).where(_CATEGORIES.c.id == bindparam("category_id"))


async def game_version(reads: Reads, game_id: int) -> GameVersion | None:
    """The game's `version` and `updated_at`; None: no such game."""
    row = await reads.one(_GAME_VERSION, {"game_id": game_id})
    return None if row is None else (row["version"], row["updated_at"])


async def ongoing_versions(reads: Reads, *, limit: int) -> tuple[Any, ...]:
    """(id, version, updated_at) of the games `ongoing_with_events` would answer without a
    category, in its order."""
    rows = await reads.all(_ONGOING_VERSIONS, {"limit": limit})
    return tuple((row["id"], row["version"], row["updated_at"]) for row in rows)


async def game_with_events(reads: Reads, game_id: int) -> list[tuple[Any, ...]]:
    """The game's rows (see `EVENT_AT`), one per event, oldest first; none: no such game."""
    return await reads.tuples(_GAME_WITH_EVENTS, {"game_id": game_id})


async def ongoing_with_events(
    reads: Reads, *, category_id: int | None, limit: int
) -> list[tuple[Any, ...]]:
    """The first `limit` live and paused games (of one category), earliest start first, with
    their events: one row per event (see `EVENT_AT`), a game's rows together."""
    if category_id is None:
        return await reads.tuples(_ONGOING, {"limit": limit})
    params = {"limit": limit, "category_id": category_id}
    return await reads.tuples(_ONGOING_IN_CATEGORY, params)


async def category_id_by_key(reads: Reads, key: str) -> int | None:
    found: int | None = await reads.scalar(_CATEGORY_BY_KEY, {"key": key})
    return found


async def category_id(reads: Reads, category_id: int) -> int | None:
    """`category_id` when there is such a category, else None."""
    found: int | None = await reads.scalar(_CATEGORY_BY_ID, {"category_id": category_id})
    return found


# ---------------------------------------------------------------- demo feed


async def lock_feed(session: AsyncSession, now: datetime) -> None:
    """Take the feed's lock for this transaction, creating its row the first time."""
    await session.execute(insert_ignore(session, FeedState, id=1, created_at=now))
    await session.execute(select(FeedState.id).where(FeedState.id == 1).with_for_update())


async def add_plan(
    session: AsyncSession, game_id: int, entries: Sequence[tuple[datetime, dict[str, Any]]]
) -> None:
    """Store a game's planned events: (when it falls due, the event's body)."""
    session.add_all(
        FeedPlanEntry(game_id=game_id, due_at=due_at, body=body) for due_at, body in entries
    )
    await session.flush()


async def due_plan(session: AsyncSession, now: datetime, limit: int) -> list[FeedPlanEntry]:
    return list(
        (
            await session.execute(
                select(FeedPlanEntry)
                .where(FeedPlanEntry.due_at <= now)
                .order_by(FeedPlanEntry.due_at, FeedPlanEntry.id)
                .limit(limit)
            )
        ).scalars()
    )


async def planned_game_ids(session: AsyncSession, game_ids: Collection[int]) -> set[int]:
    if not game_ids:
        return set()
    rows = await session.execute(
        select(FeedPlanEntry.game_id).where(FeedPlanEntry.game_id.in_(list(game_ids))).distinct()
    )
    return set(rows.scalars())


async def delete_plan_entry(session: AsyncSession, entry_id: int) -> None:
    await session.execute(delete(FeedPlanEntry).where(FeedPlanEntry.id == entry_id))


async def next_plan_due(session: AsyncSession) -> datetime | None:
    due: datetime | None = await session.scalar(select(func.min(FeedPlanEntry.due_at)))
    return due


async def plan_end(session: AsyncSession, game_id: int) -> datetime | None:
    """When the last planned event of a game falls due (None: nothing planned)."""
    end: datetime | None = await session.scalar(
        select(func.max(FeedPlanEntry.due_at)).where(FeedPlanEntry.game_id == game_id)
    )
    return end
