"""Business rules of the sports service, one module per seam: `categories` (and teams), `games`
and their events (score and status in one transaction), and team `follows` (analytics moved to
the warehouse service).

`do_*` change state and emit events; `access_*` fetch and authorize or raise; `check_*`
validate; `get_*`/`list_*` read. Services return rows and views; routers shape responses.
"""

from agora.services.sports.service.follows import FollowRules
from agora.services.sports.service.games import (
    GameRows,
    GameRules,
    GameView,
    RecordedEvent,
    channel_of,
    event_body,
    event_data,
    event_fields,
    game_body,
    game_fields,
)

__all__ = [
    "GameRows",
    "GameView",
    "RecordedEvent",
    "SportsService",
    "channel_of",
    "event_body",
    "event_data",
    "event_fields",
    "game_body",
    "game_fields",
]


class SportsService(GameRules, FollowRules):
    """The sports service's rules, with its collaborators (clock, hub) injected."""
