"""HTTP endpoints of the warehouse. Thin: parse, call the service, shape the answer in the sports
seed's envelope. Reads never touch an operational database: they answer from DuckDB."""

from __future__ import annotations

from datetime import UTC, date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from agora.platform.deps import AdminUser, provider
from agora.platform.olap import Row
from agora.services.warehouse.schemas import (
    AlbumRating,
    AnalyticsRead,
    AnalyticsSummary,
    BookOfTheMonth,
    CompetitionParticipation,
    CompetitionRead,
    DailySeries,
    DayCount,
    EntryStats,
    Envelope,
    FollowedUser,
    GenreRating,
    Metric,
    OverviewRead,
    Report,
    ReviewsRead,
    RunRead,
    TableStats,
    TeamAverage,
)
from agora.services.warehouse.service import (
    CompetitionSummary,
    Overview,
    ReviewSummary,
    RunStats,
    SportsAnalytics,
    WarehouseService,
)

router = APIRouter()

Warehouse = Annotated[WarehouseService, Depends(provider(WarehouseService))]


@router.post("/analytics/refresh", summary="Refresh the warehouse now (admins)")
async def refresh(warehouse: Warehouse, me: AdminUser) -> Envelope[RunRead]:
    stats = await warehouse.do_refresh()
    return Envelope(data=run_read(stats))


@router.get("/sports/analytics", summary="Scoring and activity of played games, per category")
async def sports_analytics(
    warehouse: Warehouse,
    sport_category: Annotated[
        str | None, Query(max_length=50, description="A category's name or id")
    ] = None,
    time_range: Annotated[
        str, Query(max_length=8, description="`all`, or hours, days or weeks: `24h`, `7d`, `2w`")
    ] = "all",
) -> Envelope[AnalyticsRead]:
    analytics = await warehouse.get_sports_analytics(
        sport_category=sport_category, time_range=time_range
    )
    return Envelope(data=sports_read(analytics))


@router.get("/analytics/overview", summary="The community's activity, day by day (admins)")
async def overview(
    warehouse: Warehouse,
    me: AdminUser,
    first: Annotated[date | None, Query(alias="from", description="First day (UTC)")] = None,
    last: Annotated[date | None, Query(alias="to", description="Last day (UTC)")] = None,
) -> Envelope[OverviewRead]:
    found = await warehouse.get_overview(first=first, last=last)
    return Envelope(data=overview_read(found))


@router.get("/analytics/reviews", summary="Album ratings per genre")
async def reviews(
    warehouse: Warehouse,
    genre: Annotated[str | None, Query(min_length=1, max_length=50)] = None,
) -> Envelope[ReviewsRead]:
    found = await warehouse.get_review_summary(genre=genre)
    return Envelope(data=reviews_read(found))


@router.get("/analytics/competitions/{competition_id}", summary="One competition in numbers")
async def competition(warehouse: Warehouse, competition_id: str) -> Envelope[CompetitionRead]:
    found = await warehouse.get_competition_summary(competition_id)
    return Envelope(data=competition_read(found))


# ---------------------------------------------------------------- shaping


def run_read(stats: RunStats) -> RunRead:
    return RunRead(
        run_id=stats.run_id,
        started_at=stats.started_at,
        finished_at=stats.finished_at,
        seconds=round(stats.seconds, 4),
        rows_read=stats.rows_read,
        rows_changed=stats.rows_changed,
        erased_users=stats.erased_users,
        tables={
            name: TableStats(read=t.read, inserted=t.inserted, updated=t.updated, deleted=t.deleted)
            for name, t in stats.tables.items()
        },
        watermarks=stats.watermarks,
    )


def sports_read(analytics: SportsAnalytics) -> AnalyticsRead:
    return AnalyticsRead(
        as_of=analytics.as_of,
        time_range=analytics.time_range,
        sport_category=analytics.sport_category,
        analytics_summary=AnalyticsSummary(
            total_events=analytics.games,
            total_game_events=analytics.events,
            average_score=analytics.average_score,
            top_teams=[
                TeamAverage(team_name=str(t[0]), average_score=round(float(t[1]), 3), games=t[2])
                for t in analytics.top_teams
            ],
        ),
        detailed_reports=[
            Report(
                report_id=f"category-{r.category_id}",
                report_name=f"{r.name} ({analytics.time_range})",
                category_id=str(r.category_id),
                metrics=[Metric(metric_name=k, value=v) for k, v in r.metrics.items()],
            )
            for r in analytics.reports
        ],
    )


def _album(row: Row) -> AlbumRating:
    return AlbumRating(
        album_id=str(row[0]),
        title=row[1],
        artist=row[2],
        genre=row[3],
        reviews=row[4],
        average_rating=float(row[5]),
    )


def _genres(genres: list[Row], histogram: list[Row]) -> list[GenreRating]:
    counts: dict[str, list[int]] = {str(g[0]): [0] * 10 for g in genres}
    for genre, halves, n in histogram:
        if genre in counts and 1 <= halves <= 10:
            counts[genre][halves - 1] = int(n)
    return [
        GenreRating(
            genre=str(g[0]),
            albums=int(g[1]),
            reviews=int(g[2]),
            average_rating=float(g[3]),
            distribution=counts[str(g[0])],
        )
        for g in genres
    ]


def _participation(row: Row) -> CompetitionParticipation:
    return CompetitionParticipation(
        competition_id=str(row[0]),
        title=row[1],
        status=row[2],
        start_date=row[3].replace(tzinfo=UTC),
        end_date=row[4].replace(tzinfo=UTC),
        entries=row[5],
        entrants=row[6],
        likes=row[7],
        comments=row[8],
    )


def overview_read(found: Overview) -> OverviewRead:
    return OverviewRead(
        as_of=found.as_of,
        from_=found.first,
        to=found.last,
        daily=DailySeries(days=found.days, **found.series),
        top_albums=[_album(r) for r in found.top_albums],
        genres=_genres(found.genres, found.histogram),
        most_followed=[
            FollowedUser(user_id=str(r[0]), followers=r[1]) for r in found.most_followed
        ],
        competitions=[_participation(r) for r in found.competitions],
        books_of_the_month=[
            BookOfTheMonth(
                month=r[0],
                poll_id=r[1],
                book_id=r[2],
                title=r[3],
                author=r[4],
                votes=r[5],
                total_votes=r[6],
            )
            for r in found.books_of_the_month
        ],
    )


def reviews_read(found: ReviewSummary) -> ReviewsRead:
    return ReviewsRead(
        as_of=found.as_of,
        genre=found.genre,
        genres=_genres(found.genres, found.histogram),
        top_albums=[_album(r) for r in found.top_albums],
    )


def competition_read(found: CompetitionSummary) -> CompetitionRead:
    return CompetitionRead(
        as_of=found.as_of,
        participation=_participation(found.competition),
        likes_by_day=[DayCount(day=r[0], count=r[1]) for r in found.likes_by_day],
        top_entries=[
            EntryStats(
                submission_id=str(r[0]), user_id=str(r[1]), likes=r[2], comments=r[3], place=r[4]
            )
            for r in found.top_entries
        ],
    )
