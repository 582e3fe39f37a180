"""Business rules of the sports service, one module per seam: `categories` (and teams), `games`
and their events (score and status in one transaction), `analytics`, and team `follows`.

`do_*` change state and emit events; `access_*` fetch and authorize or raise; `check_*`
validate; `get_*`/`list_*` read. Services return rows and views; routers shape responses.
"""

from agora.services.sports.service.analytics import Analytics, AnalyticsRules, CategoryReport
from agora.services.sports.service.follows import FollowRules
from agora.services.sports.service.games import (
    GameRules,
    GameView,
    RecordedEvent,
    channel_of,
    event_data,
)

__all__ = [
    "Analytics",
    "CategoryReport",
    "GameView",
    "RecordedEvent",
    "SportsService",
    "channel_of",
    "event_data",
]


class SportsService(GameRules, AnalyticsRules, FollowRules):
    """The sports service's rules, with its collaborators (clock, hub) injected."""
