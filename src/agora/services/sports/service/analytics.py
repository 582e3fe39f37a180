"""Analytics: scoring and activity of the games played in a time range, per category."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.errors import ValidationFailed
from agora.services.sports import repository as repo
from agora.services.sports.models import Category
from agora.services.sports.schemas import parse_time_range
from agora.services.sports.service.categories import CategoryRules

TOP_TEAMS = 5


@dataclass(frozen=True, slots=True)
class CategoryReport:
    """One category's metrics, by name."""

    category: Category
    metrics: dict[str, float]


@dataclass(frozen=True, slots=True)
class Analytics:
    """Totals over every category asked about (`sport_category`: the one asked, or None for
    all), the teams with the best scoring average, and each category's report."""

    time_range: str
    sport_category: str | None
    games: int
    events: int
    average_score: float
    top_teams: list[repo.TeamAverage]
    reports: list[CategoryReport]


class AnalyticsRules(CategoryRules):
    async def get_analytics(
        self, session: AsyncSession, *, sport_category: str | None, time_range: str
    ) -> Analytics:
        """Scoring and activity of the games played in the time range (by when they started)."""
        try:
            span = parse_time_range(time_range)
        except ValueError as exc:
            raise ValidationFailed.field("query.time_range", str(exc)) from exc
        since = None if span is None else self.clock.now() - span
        if sport_category:
            categories = [await self.find_category(session, sport_category)]
        else:
            categories = await repo.list_categories(session)
        category_id = categories[0].id if sport_category else None
        totals = await repo.category_totals(session, category_id=category_id, since=since)
        teams = await repo.top_teams(session, category_id=category_id, since=since, limit=TOP_TEAMS)
        games = sum(t.games for t in totals.values())
        points = sum(t.total_points for t in totals.values())
        reports = []
        for category in categories:
            t = totals.get(category.id, repo.CategoryTotals(0, 0, 0, 0, 0, 0, 0, 0, 0))
            metrics = {
                "games": t.games,
                "finished_games": t.finished,
                "ongoing_games": t.ongoing,
                "events": t.events,
                "scoring_events": t.scoring_events,
                "cards": t.cards,
                "total_points": t.total_points,
                "average_goals_per_game": _ratio(t.total_points, t.games),
                "average_events_per_game": _ratio(t.events, t.games),
                "draw_rate": _ratio(t.draws, t.finished),
                "team_1_win_rate": _ratio(t.team_1_wins, t.finished),
            }
            reports.append(
                CategoryReport(category, {name: float(value) for name, value in metrics.items()})
            )
        return Analytics(
            time_range=time_range,
            sport_category=categories[0].name if sport_category else None,
            games=games,
            events=sum(t.events for t in totals.values()),
            average_score=_ratio(points, 2 * games),
            top_teams=teams,
            reports=reports,
        )


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 3) if denominator else 0.0
