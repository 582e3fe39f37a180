"""Background jobs of the sports service: the demo feed (`feed/`), run when `AGORA_SPORTS_FEED`
is on."""

from __future__ import annotations

import random

from agora.platform.clock import Clock
from agora.platform.db import Database
from agora.services.sports.feed import SportsFeed
from agora.services.sports.service import SportsService


def make_feed(database: Database, service: SportsService, clock: Clock, speed: float) -> SportsFeed:
    """The production feed, whose `run` is the job: an unseeded random, so each run plays
    different games."""
    return SportsFeed(database, service, clock, random.Random(), speed=speed)  # noqa: S311
