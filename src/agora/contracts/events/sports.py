"""Events of the sports service that other services consume (notifications keeps its own copy of
team follows from the first two, and tells each follower about score changes)."""

from __future__ import annotations

from datetime import datetime

from agora.contracts.base import EventPayload, register


@register
class TeamFollowed(EventPayload):
    """A user started following a team (sent only when the follow is new)."""

    event_type = "sports.team_followed"

    user_id: int
    team: str


@register
class TeamUnfollowed(EventPayload):
    """A user stopped following a team (sent only when a follow was removed)."""

    event_type = "sports.team_unfollowed"

    user_id: int
    team: str


@register
class ScoreChanged(EventPayload):
    """A game's score changed (a goal, a point, a correction)."""

    event_type = "sports.score_changed"

    game_id: int
    sport_category: str
    team_1: str
    team_2: str
    score_team_1: int
    score_team_2: int
    scoring_team: str | None
    event_type_name: str
    description: str
    occurred_at: datetime


@register
class CategoryCreated(EventPayload):
    """A sport category exists (discussions opens its general chatroom)."""

    event_type = "sports.category_created"

    category_id: int
    name: str


@register
class GameScheduled(EventPayload):
    """A game was created (discussions opens its chatroom)."""

    event_type = "sports.game_scheduled"

    game_id: int
    category_id: int
    sport_category: str
    team_1: str
    team_2: str
    start_time: datetime
