"""Business rules of the voting service: the ballot, nominations, votes, and the monthly poll cycle
(open, deadline, close with a winner, next month's poll), plus the live counts on the hub.

One class, written in parts: `books` (the catalogue and the ballot), `nominations`, `polls` (polls
as they stand, closing, votes) and `settlement` (the poll cycle the deadline job runs).
"""

from __future__ import annotations

from agora.services.voting.service.live_counts import LiveCounts
from agora.services.voting.service.nominations import NominationRules
from agora.services.voting.service.polls import PollRules
from agora.services.voting.service.views import (
    BallotView,
    BookOfTheMonthView,
    CloseOutcome,
    PollView,
    VoteOutcome,
)

__all__ = [
    "BallotView",
    "BookOfTheMonthView",
    "CloseOutcome",
    "LiveCounts",
    "PollView",
    "VoteOutcome",
    "VotingService",
]


class VotingService(PollRules, NominationRules):
    """The voting rules. Endpoints hand it the request's session; it only flushes."""
