"""Business rules of the discussions service, one module per seam: `threads` and replies of the
book of the month, `rooms` of every kind (and presence), `chat` messages, and the sports
`chatrooms`. Rooms the other services' events open are opened where their kind lives.

`do_*` change state; `access_*` fetch and authorize; `get_*`/`list_*` read; `check_*` validate.
Hub publications happen only after the change commits (`after_commit`).
"""

from agora.services.discussions.service.chat import ChatRules, Posted
from agora.services.discussions.service.chatrooms import SPORTS_KINDS, ChatroomRules
from agora.services.discussions.service.rooms import (
    LARGE_ROOM,
    MUSIC_KINDS,
    PRESENT_LIMIT,
    Presence,
    channel_of,
)
from agora.services.discussions.service.threads import ThreadRules

__all__ = [
    "LARGE_ROOM",
    "MUSIC_KINDS",
    "PRESENT_LIMIT",
    "SPORTS_KINDS",
    "DiscussionsService",
    "Posted",
    "Presence",
    "channel_of",
]


class DiscussionsService(ThreadRules, ChatroomRules, ChatRules):
    """The discussions service's rules, with its collaborators (clock, hub, rate limiter)
    injected."""
