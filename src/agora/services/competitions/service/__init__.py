"""Business rules of the competitions service: competitions and their deadlines, entries, likes,
threaded comments, subscriptions, and results published exactly once.

One class, written in parts: `deadlines` (closing and results), `competitions` (and the active
list), `submissions` (entries and likes), `comments` and `subscriptions`. `do_*` change state and
emit events; `access_*` fetch and authorize; `check_*` validate; `get_*`/`list_*` read.
"""

from __future__ import annotations

from agora.services.competitions.service.base import closed_at_of, competition_channel, status_of
from agora.services.competitions.service.comments import CommentNode, CommentRules
from agora.services.competitions.service.competitions import ActiveList, CompetitionRules
from agora.services.competitions.service.submissions import SubmissionRules
from agora.services.competitions.service.subscriptions import SubscriptionRules

__all__ = [
    "ActiveList",
    "CommentNode",
    "CompetitionsService",
    "closed_at_of",
    "competition_channel",
    "status_of",
]


class CompetitionsService(CompetitionRules, SubmissionRules, CommentRules, SubscriptionRules):
    """The competitions service's rules, with its collaborators injected."""
