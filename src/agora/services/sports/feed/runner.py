"""The demo feed's runner: keeps one game going and the next one scheduled in each sport, and
posts planned events when they fall due.

It writes through the same service functions as the API, so events, the hub and notifications
behave as for a human feeder. Each game's events are planned when it starts, from the feed's
random generator, and stored (`feed_plan`): a restarted feed carries on, and with a seeded random
and a manual clock the whole feed is deterministic.
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.auth.principal import ADMIN, Principal
from agora.platform.clock import Clock
from agora.platform.db import Database
from agora.platform.errors import AgoraError
from agora.services.sports import repository as repo
from agora.services.sports.feed.plans import MINUTE, SPORTS, Sport
from agora.services.sports.models import LIVE, ONGOING, PAUSED, SCHEDULED, Game
from agora.services.sports.schemas import CategoryCreate, GameCreate, GameEventCreate, name_key
from agora.services.sports.service import SportsService

log = structlog.get_logger("agora.sports.feed")

# The operator's own feed: it creates the categories it plays, so it acts as an admin. User ids
# start at 1, so 0 marks the feed's games.
FEED = Principal(user_id=0, username="sports-feed", role=ADMIN)


class SportsFeed:
    """Keeps one game going and the next one scheduled in each sport, and posts planned events
    when they fall due. `step()` does everything due at the clock's now; `run()` is the job."""

    def __init__(
        self,
        database: Database,
        service: SportsService,
        clock: Clock,
        rng: random.Random,
        *,
        speed: float = 1.0,
        sports: tuple[Sport, ...] = SPORTS,
        first_lead: float = 30.0,
        next_lead: float = 10 * MINUTE,
        max_pause: float = 5.0,
    ) -> None:
        self.database = database
        self.service = service
        self.clock = clock
        self.rng = rng
        self.speed = speed
        self.sports = sports
        self.first_lead = first_lead
        self.next_lead = next_lead
        self.max_pause = max_pause

    def _after(self, moment: datetime, game_seconds: float) -> datetime:
        return moment + timedelta(seconds=game_seconds / self.speed)

    async def run(self) -> None:
        """The job: step, then sleep until the next thing falls due (at most `max_pause`, as
        people may change games in between)."""
        while True:
            try:
                next_due = await self.step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sports_feed_step_failed")
                next_due = None
            pause = self.max_pause
            if next_due is not None:
                pause = (next_due - self.clock.now()).total_seconds()
            await asyncio.sleep(min(max(pause, 0.2), self.max_pause))

    async def step(self) -> datetime | None:
        """Do everything due now, in one transaction; returns when something next falls due."""
        async with self.database.session() as session:
            now = self.clock.now()
            await repo.lock_feed(session, now)
            categories = await self._ensure_categories(session)
            while True:
                moved = await self._post_due(session, now)
                moved += await self._start_due(session, now)
                moved += await self._schedule(session, categories, now)
                if not moved:
                    break
            return await self._next_due(session)

    async def _ensure_categories(self, session: AsyncSession) -> dict[str, int]:
        ids: dict[str, int] = {}
        for sport in self.sports:
            category = await repo.get_category_by_key(session, name_key(sport.category))
            if category is None:
                category = await self.service.do_create_category(
                    session, FEED, CategoryCreate(category_name=sport.category)
                )
            ids[sport.category] = category.id
        return ids

    async def _feed_games(self, session: AsyncSession, statuses: tuple[str, ...]) -> list[Game]:
        return await repo.list_games(
            session, statuses=statuses, created_by=FEED.user_id, limit=1000, order="start_time"
        )

    async def _schedule(
        self, session: AsyncSession, categories: dict[str, int], now: datetime
    ) -> int:
        """Give every sport without an upcoming feed game one, after its live game ends."""
        games = await self._feed_games(session, (SCHEDULED, LIVE, PAUSED))
        plan_ends: dict[int, datetime] = {}
        for game in games:
            if game.status in ONGOING:
                end = await repo.plan_end(session, game.id)
                if end is not None:
                    plan_ends[game.category_id] = max(end, plan_ends.get(game.category_id, end))
        scheduled = 0
        for sport in self.sports:
            category_id = categories[sport.category]
            if any(g.category_id == category_id and g.status == SCHEDULED for g in games):
                continue
            played_before = await repo.list_games(
                session, category_id=category_id, created_by=FEED.user_id, limit=1
            )
            lead = self.next_lead if played_before else self.first_lead * (1 + scheduled)
            team_1, team_2 = self.rng.sample(sport.teams, 2)
            await self.service.do_create_game(
                session,
                FEED,
                GameCreate(
                    category_id=category_id,
                    team_1=team_1,
                    team_2=team_2,
                    start_time=self._after(max(now, plan_ends.get(category_id, now)), lead),
                ),
            )
            scheduled += 1
        return scheduled

    async def _start_due(self, session: AsyncSession, now: datetime) -> int:
        """Plan the feed's games whose start time has come, and live ones left without a plan
        (a person kicked one off early): the plan starts now."""
        games = await self._feed_games(session, (SCHEDULED, LIVE, PAUSED))
        planned = await repo.planned_game_ids(session, [g.id for g in games])
        sports = {s.category: s for s in self.sports}
        categories = await repo.category_names(session, {g.category_id for g in games})
        moved = 0
        for game in games:
            sport = sports.get(categories[game.category_id])
            due = game.status in ONGOING or game.start_time <= now
            if game.id in planned or sport is None or not due:
                continue
            entries = [
                (self._after(now, p.at), p.body)
                for p in sport.plan(self.rng, game.team_1, game.team_2)
            ]
            await repo.add_plan(session, game.id, entries)
            log.info("sports_feed_game_planned", game_id=game.id, events=len(entries))
            moved += 1
        return moved

    async def _post_due(self, session: AsyncSession, now: datetime) -> int:
        posted = 0
        while True:
            due = await repo.due_plan(session, now, limit=200)
            if not due:
                return posted
            for entry in due:
                await repo.delete_plan_entry(session, entry.id)
                await self._post(session, entry.game_id, entry.body)
                posted += 1

    async def _post(self, session: AsyncSession, game_id: int, body: dict[str, Any]) -> None:
        try:
            await self.service.do_record_event(
                session, FEED, game_id, GameEventCreate.model_validate(body)
            )
        except AgoraError as exc:
            # Someone changed the game (paused, postponed, finished it): this event no longer
            # fits, the rest of the plan may. The service refuses before writing anything.
            log.info("sports_feed_event_skipped", game_id=game_id, code=exc.code)

    async def _next_due(self, session: AsyncSession) -> datetime | None:
        candidates = [await repo.next_plan_due(session)]
        upcoming = await self._feed_games(session, (SCHEDULED,))
        candidates.extend(g.start_time for g in upcoming)
        present = [c for c in candidates if c is not None]
        return min(present) if present else None
