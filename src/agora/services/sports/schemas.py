"""Request and response models of the sports service, in the sports seed's shapes: a
`{"status": "success", "data": ...}` envelope, snake_case names and string ids."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from agora.platform.ids import Id
from agora.platform.schemas import Strict

EventType = Literal[
    "goal",
    "point",
    "card",
    "period_start",
    "period_end",
    "pause",
    "resume",
    "final",
    "postpone",
    "cancel",
    "substitution",
    "note",
]
SCORING_EVENTS = frozenset({"goal", "point"})
GameStatus = Literal["scheduled", "live", "paused", "finished", "postponed", "cancelled"]

_SPACES = re.compile(r"\s+")


def _clean_name(value: str) -> str:
    """Trim and collapse inner whitespace; names must keep at least one visible character."""
    cleaned = _SPACES.sub(" ", value).strip()
    if not cleaned:
        raise ValueError("must not be blank")
    return cleaned


def name_key(name: str) -> str:
    """The form of a name used for uniqueness and lookups: `FC  Porto` and `fc porto` are one."""
    return _SPACES.sub(" ", name).strip().casefold()


def _to_utc(value: datetime) -> datetime:
    # A time without an offset is read as UTC, which is what every Agora time is.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _id_string(value: object) -> object:
    # Ids are strings in this seed; a client may send `"7"` or `7`.
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


CategoryName = Annotated[str, Field(min_length=1, max_length=50), AfterValidator(_clean_name)]
TeamName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_clean_name)]
IdIn = Annotated[Id, BeforeValidator(_id_string)]


T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    """The sports seed's success envelope."""

    status: Literal["success"] = "success"
    data: T


class MessageEnvelope(BaseModel, Generic[T]):
    """A success envelope with a human-readable message."""

    status: Literal["success"] = "success"
    message: str
    data: T


# ---------------------------------------------------------------- categories


class CategoryCreate(Strict):
    """`POST /sports/categories` (admins)."""

    category_name: CategoryName


class CategoryRead(BaseModel):
    category_id: str
    category_name: str


# ---------------------------------------------------------------- games


class GameCreate(Strict):
    """`POST /sports/games` (admins and feeders). A start time without an offset is UTC."""

    category_id: IdIn
    team_1: TeamName
    team_2: TeamName
    start_time: Annotated[datetime, AfterValidator(_to_utc)]

    @model_validator(mode="after")
    def _two_teams(self) -> GameCreate:
        if name_key(self.team_1) == name_key(self.team_2):
            raise ValueError("team_1 and team_2 must be different teams")
        return self


class GameEventCreate(Strict):
    """`POST /sports/games/{game_id}/events`: what happened. `team` is a team's name (or
    `team_1`/`team_2`); `points` counts for goals and points only (default 1); `period` names
    the period a `period_start` opens (default `Period N`)."""

    event_type: EventType
    team: str | None = Field(default=None, max_length=64)
    points: int | None = Field(default=None, ge=0, le=100)
    description: str | None = Field(default=None, max_length=500)
    event_time: str | None = Field(default=None, max_length=40)
    period: str | None = Field(default=None, max_length=32)

    @model_validator(mode="after")
    def _fields_fit_the_type(self) -> GameEventCreate:
        if self.event_type in SCORING_EVENTS:
            if not self.team:
                raise ValueError(f"a {self.event_type} needs the `team` that scored")
            if self.points == 0:
                raise ValueError("points of a scoring event must be at least 1")
        elif self.points:
            raise ValueError("only goals and points carry `points`")
        return self

    @property
    def score_points(self) -> int:
        if self.event_type not in SCORING_EVENTS:
            return 0
        return self.points if self.points is not None else 1


class EventRead(BaseModel):
    """One entry of a game's `event_details`: the seed's three fields and what else we know."""

    event_id: str
    event_time: str
    event_type: str
    description: str
    team: str | None
    points: int
    period: str
    score_team_1: int
    score_team_2: int
    recorded_at: datetime


class GameState(BaseModel):
    """A game without its events: the seed's score fields, with status, period and category.

    `event_id` (the ongoing-events seed's name) and `game_id` are the same id; so are
    `event_status` and `status`; `sport_category` is the name of `category`.
    """

    game_id: str
    event_id: str
    category_id: str
    sport_category: str
    category: CategoryRead
    team_1: str
    team_2: str
    score_team_1: int
    score_team_2: int
    status: str
    event_status: str
    start_time: datetime
    current_period: str
    period_running: bool
    started_at: datetime | None
    finished_at: datetime | None
    version: int


class GameRead(GameState):
    """A game with its `event_details`, oldest first."""

    event_details: list[EventRead]


class GamesPage(BaseModel):
    status: Literal["success"] = "success"
    data: list[GameState]
    next_cursor: str | None


class EventRecorded(BaseModel):
    """What `POST /sports/games/{game_id}/events` answers: the event and the game after it."""

    event: EventRead
    game: GameState


# ---------------------------------------------------------------- teams


class TeamRequest(Strict):
    """`POST`/`DELETE /sports/teams/follow`: `{"team": "<name>"}`; `user_id`, if given, must
    be the caller."""

    team: TeamName
    user_id: str | int | None = None

    @field_validator("user_id", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class TeamRead(BaseModel):
    team_id: str
    team_name: str


class FollowRead(BaseModel):
    team: str
    team_id: str
    following: bool
    followed_at: datetime | None = None


class FollowingPage(BaseModel):
    status: Literal["success"] = "success"
    data: list[FollowRead]
    next_cursor: str | None


class TeamsPage(BaseModel):
    status: Literal["success"] = "success"
    data: list[TeamRead]
    next_cursor: str | None
