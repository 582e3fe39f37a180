"""Responses of the warehouse. The sports analytics keep seed 004's envelope and fields (with
`as_of` added); the other analytics use the same `{"status": "success", "data": ...}` envelope."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    """The sports seed's success envelope, which every analytics answer uses."""

    status: Literal["success"] = "success"
    data: T


# ---------------------------------------------------------------- refresh


class TableStats(BaseModel):
    read: int
    inserted: int
    updated: int
    deleted: int


class RunRead(BaseModel):
    """One ETL run: when, how long, and per warehouse table what moved."""

    run_id: int
    started_at: datetime
    finished_at: datetime
    seconds: float
    rows_read: int
    rows_changed: int
    erased_users: int
    tables: dict[str, TableStats]
    watermarks: dict[str, dict[str, str | int | None]]


# ---------------------------------------------------------------- sports (seed 004)


class TeamAverage(BaseModel):
    team_name: str
    average_score: float
    games: int


class AnalyticsSummary(BaseModel):
    """`total_events`: games played (the seed calls games "events"); `average_score`: points a
    team scores in a game, on average; `top_teams`: the best such averages."""

    total_events: int
    total_game_events: int
    average_score: float
    top_teams: list[TeamAverage]


class Metric(BaseModel):
    metric_name: str
    value: float


class Report(BaseModel):
    report_id: str
    report_name: str
    category_id: str
    metrics: list[Metric]


class AnalyticsRead(BaseModel):
    as_of: datetime | None
    time_range: str
    sport_category: str | None
    analytics_summary: AnalyticsSummary
    detailed_reports: list[Report]


# ---------------------------------------------------------------- overview (admins)


class AlbumRating(BaseModel):
    album_id: str
    title: str
    artist: str
    genre: str
    reviews: int
    average_rating: float


class GenreRating(BaseModel):
    genre: str
    albums: int
    reviews: int
    average_rating: float
    # Reviews per rating, from 0.5 to 5 stars in half-star steps (ten counts).
    distribution: list[int]


class FollowedUser(BaseModel):
    user_id: str
    followers: int


class CompetitionParticipation(BaseModel):
    competition_id: str
    title: str
    status: str
    start_date: datetime
    end_date: datetime
    entries: int
    entrants: int
    likes: int
    comments: int


class BookOfTheMonth(BaseModel):
    month: str
    poll_id: int
    book_id: int
    title: str
    author: str
    votes: int
    total_votes: int


class DailySeries(BaseModel):
    """One count per day of `days`, per series."""

    days: list[date]
    active_users: list[int]
    new_users: list[int]
    posts: list[int]
    reviews: list[int]
    votes: list[int]
    entries: list[int]
    likes: list[int]
    chat_messages: list[int]


class OverviewRead(BaseModel):
    as_of: datetime | None
    from_: date = Field(alias="from")
    to: date
    daily: DailySeries
    top_albums: list[AlbumRating]
    genres: list[GenreRating]
    most_followed: list[FollowedUser]
    competitions: list[CompetitionParticipation]
    books_of_the_month: list[BookOfTheMonth]

    model_config = ConfigDict(populate_by_name=True)


# ---------------------------------------------------------------- public summaries


class ReviewsRead(BaseModel):
    as_of: datetime | None
    genre: str | None
    genres: list[GenreRating]
    top_albums: list[AlbumRating]


class DayCount(BaseModel):
    day: date
    count: int


class EntryStats(BaseModel):
    submission_id: str
    user_id: str
    likes: int
    comments: int
    place: int | None


class CompetitionRead(BaseModel):
    as_of: datetime | None
    participation: CompetitionParticipation
    likes_by_day: list[DayCount]
    top_entries: list[EntryStats]
