"""Analytics answered from the warehouse: the sports seed's analytics, the admin overview, and
public summaries of reviews and competitions. Every answer carries `as_of`, the end of the last
successful refresh."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from agora.platform.clock import Clock
from agora.platform.errors import NotFound, ValidationFailed
from agora.platform.ids import parse_id
from agora.platform.olap import OlapStore, Row
from agora.services.warehouse import repository as repo

TOP_TEAMS = 5
TOP = 10
MAX_DAYS = 366
DEFAULT_DAYS = 30
_TIME_RANGE = re.compile(r"([0-9]{1,4})([hdw])")
_UNIT_SECONDS = {"h": 3600, "d": 86_400, "w": 7 * 86_400}
_SPACES = re.compile(r"\s+")


def parse_time_range(value: str) -> timedelta | None:
    """`24h`, `7d`, `2w`... as a duration; `all` as None. Raises ValueError otherwise."""
    if value == "all":
        return None
    match = _TIME_RANGE.fullmatch(value)
    if match is None or int(match.group(1)) == 0:
        raise ValueError("must be `all` or a positive count of hours, days or weeks: 24h, 7d, 2w")
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def name_key(name: str) -> str:
    """The sports service's lookup form of a name: `FC  Porto` and `fc porto` are one."""
    return _SPACES.sub(" ", name).strip().casefold()


@dataclass(frozen=True, slots=True)
class CategoryReport:
    category_id: int
    name: str
    metrics: dict[str, float]


@dataclass(frozen=True, slots=True)
class SportsAnalytics:
    as_of: datetime | None
    time_range: str
    sport_category: str | None
    games: int
    events: int
    average_score: float
    top_teams: list[Row]  # (team, average, games)
    reports: list[CategoryReport]


@dataclass(frozen=True, slots=True)
class Overview:
    as_of: datetime | None
    first: date
    last: date
    series: dict[str, list[int]]
    days: list[date]
    top_albums: list[Row]
    genres: list[Row]
    histogram: list[Row]
    most_followed: list[Row]
    competitions: list[Row]
    books_of_the_month: list[Row]


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    as_of: datetime | None
    genre: str | None
    genres: list[Row]  # (genre, albums, reviews, average)
    histogram: list[Row]  # (genre, halves, reviews)
    top_albums: list[Row]


@dataclass(frozen=True, slots=True)
class CompetitionSummary:
    as_of: datetime | None
    competition: Row
    likes_by_day: list[Row]
    top_entries: list[Row]


class AnalyticsRules:
    store: OlapStore
    clock: Clock

    async def check_schema(self) -> None:
        """Provided by the ETL rules: an empty warehouse answers with zeros, not an error."""
        raise NotImplementedError

    async def get_sports_analytics(
        self, *, sport_category: str | None, time_range: str
    ) -> SportsAnalytics:
        """Scoring and activity of the games played in the time range (by when they started)."""
        await self.check_schema()
        try:
            span = parse_time_range(time_range)
        except ValueError as exc:
            raise ValidationFailed.field("query.time_range", str(exc)) from exc
        since = None if span is None else self.clock.now() - span
        if sport_category:
            found = await repo.find_category(
                self.store, name_key(sport_category), parse_id(sport_category)
            )
            if found is None:
                raise NotFound(f"No sport category {sport_category!r}", code="category_not_found")
            categories = [found]
        else:
            categories = await repo.list_categories(self.store)
        category_id = int(categories[0][0]) if sport_category else None
        totals = {
            int(r[0]): r
            for r in await repo.category_totals(self.store, category_id=category_id, since=since)
        }
        teams = await repo.top_teams(
            self.store, category_id=category_id, since=since, limit=TOP_TEAMS
        )
        games = sum(int(t[1]) for t in totals.values())
        points = sum(int(t[4]) for t in totals.values())
        reports = []
        for category in categories:
            t = totals.get(int(category[0]), (category[0], 0, 0, 0, 0, 0, 0, 0, 0, 0))
            n, finished = int(t[1]), int(t[2])
            metrics = {
                "games": n,
                "finished_games": finished,
                "ongoing_games": int(t[3]),
                "events": int(t[7]),
                "scoring_events": int(t[8]),
                "cards": int(t[9]),
                "total_points": int(t[4]),
                "average_goals_per_game": _ratio(int(t[4]), n),
                "average_events_per_game": _ratio(int(t[7]), n),
                "draw_rate": _ratio(int(t[5]), finished),
                "team_1_win_rate": _ratio(int(t[6]), finished),
            }
            reports.append(
                CategoryReport(
                    int(category[0]), str(category[1]), {k: float(v) for k, v in metrics.items()}
                )
            )
        return SportsAnalytics(
            as_of=await repo.last_refresh(self.store),
            time_range=time_range,
            sport_category=str(categories[0][1]) if sport_category else None,
            games=games,
            events=sum(int(t[7]) for t in totals.values()),
            average_score=_ratio(points, 2 * games),
            top_teams=teams,
            reports=reports,
        )

    async def get_overview(self, *, first: date | None, last: date | None) -> Overview:
        """The community's activity day by day from `first` to `last` (default: the last 30
        days), and its standing tops."""
        await self.check_schema()
        today = self.clock.now().date()
        if last is None:
            last = today if first is None else first + timedelta(days=DEFAULT_DAYS - 1)
        first = first or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise ValidationFailed.field("query.from", "must not be after `to`")
        if (last - first).days + 1 > MAX_DAYS:
            raise ValidationFailed.field("query.to", f"at most {MAX_DAYS} days after `from`")
        rows = await repo.daily_series(self.store, first, last)
        series = {name: [int(r[i + 1]) for r in rows] for i, name in enumerate(repo.SERIES_NAMES)}
        return Overview(
            as_of=await repo.last_refresh(self.store),
            first=first,
            last=last,
            days=[r[0] for r in rows],
            series=series,
            top_albums=await repo.top_albums(self.store, genre=None, limit=TOP),
            genres=await repo.genre_ratings(self.store, None),
            histogram=await repo.rating_histogram(self.store, None),
            most_followed=await repo.most_followed(self.store, TOP),
            competitions=await repo.competition_participation(self.store, TOP),
            books_of_the_month=await repo.books_of_the_month(self.store, 24),
        )

    async def get_review_summary(self, *, genre: str | None) -> ReviewSummary:
        """Rating distributions per genre (or of one genre) and the best-rated albums."""
        await self.check_schema()
        genres = await repo.genre_ratings(self.store, genre)
        if genre is not None and not genres:
            raise NotFound(f"No albums in genre {genre!r}", code="genre_not_found")
        return ReviewSummary(
            as_of=await repo.last_refresh(self.store),
            genre=genre,
            genres=genres,
            histogram=await repo.rating_histogram(self.store, genre),
            top_albums=await repo.top_albums(self.store, genre=genre, limit=TOP),
        )

    async def get_competition_summary(self, competition_id: str) -> CompetitionSummary:
        """Entries, entrants, likes over time and the most liked entries of one competition."""
        await self.check_schema()
        number = parse_id(competition_id)
        row = None if number is None else await repo.get_competition(self.store, number)
        if number is None or row is None:
            raise NotFound(f"No competition {competition_id!r}", code="competition_not_found")
        return CompetitionSummary(
            as_of=await repo.last_refresh(self.store),
            competition=row,
            likes_by_day=await repo.competition_likes_by_day(self.store, number),
            top_entries=await repo.competition_top_entries(self.store, number, TOP),
        )


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 3) if denominator else 0.0
