"""Queries of the competitions service. Repositories flush; they never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import (
    ScalarSelect,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import UnitOfWork, Writes, add_row, dialect_of, insert_ignore
from agora.services.competitions.models import (
    CLOSED,
    OPEN,
    Comment,
    Competition,
    Like,
    Submission,
    Subscription,
)


@dataclass(frozen=True, slots=True)
class Counted:
    """An entry with its like and comment counts, and its place (None while its competition runs;
    a read of a competition past its end gives the place its likes give, before it is recorded)."""

    submission: Submission
    likes: int
    comments: int
    place: int | None


# ---------------------------------------------------------------- competitions


async def get_competition(
    session: AsyncSession, competition_id: int, *, lock: bool = False
) -> Competition | None:
    """One competition; `lock` takes a share lock (PostgreSQL) that a closing UPDATE waits for."""
    if not lock:
        return await session.get(Competition, competition_id)
    query = _SHARED_COMPETITION if dialect_of(session) == "postgresql" else _COMPETITION
    params = {"competition_id": competition_id}
    return (await session.execute(query, params)).scalar_one_or_none()


# The statements of every like, unlike and comment (and their settle check) are built once, with
# their parameters bound at execution: building them cost about a tenth of a like's CPU.
_COMPETITION = select(Competition).where(Competition.id == bindparam("competition_id"))
_SHARED_COMPETITION = _COMPETITION.with_for_update(read=True)


async def add_competition(
    session: AsyncSession,
    *,
    title: str,
    description: str,
    admin_id: int,
    start_date: datetime,
    end_date: datetime,
    allow_multiple_entries: bool,
    now: datetime,
) -> Competition:
    competition = Competition(
        title=title,
        description=description,
        admin_id=admin_id,
        start_date=start_date,
        end_date=end_date,
        allow_multiple_entries=allow_multiple_entries,
        status=OPEN,
        created_at=now,
        closed_at=None,
    )
    return await add_row(session, competition)


async def list_active(session: AsyncSession, now: datetime) -> list[Competition]:
    """Competitions that accept entries now (start <= now < end), ending soonest first."""
    query = (
        select(Competition)
        .where(Competition.start_date <= now, Competition.end_date > now)
        .order_by(Competition.end_date, Competition.id)
    )
    return list((await session.execute(query)).scalars())


async def next_start_after(session: AsyncSession, now: datetime) -> datetime | None:
    """When the next competition that has not started yet starts."""
    result: datetime | None = await session.scalar(
        select(func.min(Competition.start_date)).where(Competition.start_date > now)
    )
    return result


async def list_due_ids(session: AsyncSession, now: datetime) -> list[int]:
    """Open competitions whose end has passed: they must close."""
    query = (
        select(Competition.id)
        .where(Competition.status == OPEN, Competition.end_date <= now)
        .order_by(Competition.end_date, Competition.id)
    )
    return list((await session.execute(query)).scalars())


_IS_DUE = select(Competition.id).where(
    Competition.id == bindparam("competition_id"),
    Competition.status == OPEN,
    Competition.end_date <= bindparam("now"),
)


async def is_due(session: AsyncSession, competition_id: int, now: datetime) -> bool:
    found = await session.scalar(_IS_DUE, {"competition_id": competition_id, "now": now})
    return found is not None


async def mark_closed(session: AsyncSession, competition_id: int, now: datetime) -> bool:
    """The one transition from open to closed, recorded as of the end date (when it closed, however
    late this runs); True for exactly one caller, however many race."""
    result = await session.execute(
        update(Competition)
        .where(
            Competition.id == competition_id,
            Competition.status == OPEN,
            Competition.end_date <= now,
        )
        .values(status=CLOSED, closed_at=Competition.end_date)
        .returning(Competition.id)
    )
    return result.first() is not None


async def delete_competition(session: AsyncSession, competition_id: int) -> bool:
    result = await session.execute(
        delete(Competition).where(Competition.id == competition_id).returning(Competition.id)
    )
    return result.first() is not None


async def count_submissions(session: AsyncSession, competition_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Submission)
            .where(Submission.competition_id == competition_id)
        )
        or 0
    )


# ---------------------------------------------------------------- submissions


def _like_count() -> ScalarSelect[int]:
    return (
        select(func.count())
        .select_from(Like)
        .where(Like.submission_id == Submission.id)
        .correlate(Submission)
        .scalar_subquery()
    )


def _comment_count() -> ScalarSelect[int]:
    return (
        select(func.count())
        .select_from(Comment)
        .where(Comment.submission_id == Submission.id, Comment.deleted_at.is_(None))
        .correlate(Submission)
        .scalar_subquery()
    )


CountedQuery = Select[Submission, int, int]


def _counted_query() -> CountedQuery:
    return select(Submission, _like_count().label("likes"), _comment_count().label("comments"))


_COUNTED_ONE = _counted_query().where(Submission.id == bindparam("submission_id"))


async def _counted(
    session: AsyncSession, query: CountedQuery, params: dict[str, int] | None = None
) -> list[Counted]:
    rows = (await session.execute(query, params)).all()
    return [Counted(row[0], int(row[1]), int(row[2]), row[0].place) for row in rows]


async def add_submission(
    session: AsyncSession,
    *,
    competition_id: int,
    user_id: int,
    single_entry: bool,
    username: str,
    title: str,
    content: str,
    now: datetime,
) -> Submission:
    """Insert an entry; raises `IntegrityError` for a second entry of a `single_entry` user."""
    submission = Submission(
        competition_id=competition_id,
        user_id=user_id,
        # Unique per competition where set: the database holds a user to one entry.
        single_entry_user_id=user_id if single_entry else None,
        username=username,
        title=title,
        content=content,
        created_at=now,
        updated_at=now,
        place=None,
    )
    return await add_row(session, submission)


async def update_submission(
    session: AsyncSession,
    submission: Submission,
    *,
    now: datetime,
    title: str | None = None,
    content: str | None = None,
) -> None:
    """Change the fields given (None leaves a field as it is)."""
    if title is not None:
        submission.title = title
    if content is not None:
        submission.content = content
    submission.updated_at = now
    await session.flush()


async def get_submission(session: AsyncSession, submission_id: int) -> Submission | None:
    return await session.get(Submission, submission_id)


async def get_counted(session: AsyncSession, submission_id: int) -> Counted | None:
    rows = await _counted(session, _COUNTED_ONE, {"submission_id": submission_id})
    return rows[0] if rows else None


async def user_has_entry(session: AsyncSession, competition_id: int, user_id: int) -> bool:
    found = await session.scalar(
        select(Submission.id)
        .where(Submission.competition_id == competition_id, Submission.user_id == user_id)
        .limit(1)
    )
    return found is not None


async def list_submissions(
    session: AsyncSession, competition_id: int, *, limit: int, before: int | None
) -> list[Counted]:
    """One page of a competition's entries, newest first."""
    query = (
        _counted_query()
        .where(Submission.competition_id == competition_id)
        .order_by(Submission.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Submission.id < before)
    return await _counted(session, query)


async def list_user_submissions(
    session: AsyncSession, user_id: int, *, limit: int, before: int | None
) -> list[Counted]:
    query = (
        _counted_query()
        .where(Submission.user_id == user_id)
        .order_by(Submission.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Submission.id < before)
    return await _counted(session, query)


async def rank_submissions(session: AsyncSession, competition_id: int) -> list[Counted]:
    """Every entry of a competition, best first: most likes, then the earlier entry."""
    query = (
        _counted_query()
        .where(Submission.competition_id == competition_id)
        .order_by(_like_count().desc(), Submission.created_at, Submission.id)
    )
    return await _counted(session, query)


async def list_placed(session: AsyncSession, competition_id: int) -> list[Counted]:
    """A closed competition's entries by the place they were given."""
    query = (
        _counted_query()
        .where(Submission.competition_id == competition_id, Submission.place.is_not(None))
        .order_by(Submission.place)
    )
    return await _counted(session, query)


async def set_place(session: AsyncSession, submission_id: int, place: int) -> None:
    await session.execute(
        update(Submission).where(Submission.id == submission_id).values(place=place)
    )


# ---------------------------------------------------------------- likes (hot writes)

# Written from the tables' columns: SQLAlchemy's Core path, without the ORM's compile state and
# entity loading on each execution (as the hot reads, decision 0037).
_COMPETITIONS = cast(Table, Competition.__table__)
_SUBMISSIONS = cast(Table, Submission.__table__)
_LIKES = cast(Table, Like.__table__)
_COMMENTS = cast(Table, Comment.__table__)


@dataclass(frozen=True, slots=True)
class LikeTarget:
    """A competition as a like sees it, with the entry asked for (`submission_id` None: the
    competition has no such entry)."""

    id: int
    status: str
    start_date: datetime
    end_date: datetime
    submission_id: int | None
    author_id: int | None
    title: str | None


_LIKE_TARGET = (
    select(
        _COMPETITIONS.c.id,
        _COMPETITIONS.c.status,
        _COMPETITIONS.c.start_date,
        _COMPETITIONS.c.end_date,
        _SUBMISSIONS.c.id,
        _SUBMISSIONS.c.user_id,
        _SUBMISSIONS.c.title,
    )
    .select_from(
        _COMPETITIONS.outerjoin(
            _SUBMISSIONS,
            and_(
                _SUBMISSIONS.c.id == bindparam("submission_id"),
                _SUBMISSIONS.c.competition_id == _COMPETITIONS.c.id,
            ),
        )
    )
    .where(_COMPETITIONS.c.id == bindparam("competition_id"))
)
# PostgreSQL: a share lock on the competition's row, which a closing UPDATE waits for.
_SHARED_LIKE_TARGET = _LIKE_TARGET.with_for_update(read=True, of=_COMPETITIONS)


async def get_like_target(
    writes: Writes, competition_id: int, submission_id: int
) -> LikeTarget | None:
    """The competition (share-locked) and its entry, in one statement; None: no competition."""
    query = _SHARED_LIKE_TARGET if writes.dialect_name == "postgresql" else _LIKE_TARGET
    params = {"competition_id": competition_id, "submission_id": submission_id}
    rows = await writes.tuples(query, params)
    return None if not rows else LikeTarget(*rows[0])


# Every value bound by name: a plain write fills in nothing (decision 0046).
_LIKE_VALUES = {
    name: bindparam(name, type_=_LIKES.c[name].type)
    for name in ("submission_id", "user_id", "created_at")
}
_ADD_LIKE = {
    "postgresql": postgresql.insert(_LIKES)
    .values(_LIKE_VALUES)
    .on_conflict_do_nothing()
    .returning(_LIKES.c.id),
    "sqlite": sqlite.insert(_LIKES)
    .values(_LIKE_VALUES)
    .on_conflict_do_nothing()
    .returning(_LIKES.c.id),
}


async def add_like(writes: Writes, submission_id: int, user_id: int, now: datetime) -> bool:
    """Insert the like; False when this user already liked this entry."""
    params = {"submission_id": submission_id, "user_id": user_id, "created_at": now}
    return bool(await writes.tuples(_ADD_LIKE[writes.dialect_name], params))


_REMOVE_LIKE = (
    delete(_LIKES)
    .where(
        _LIKES.c.submission_id == bindparam("submission_id"),
        _LIKES.c.user_id == bindparam("user_id"),
    )
    .returning(_LIKES.c.id)
)


async def remove_like(writes: Writes, submission_id: int, user_id: int) -> bool:
    params = {"submission_id": submission_id, "user_id": user_id}
    return bool(await writes.tuples(_REMOVE_LIKE, params))


async def list_liked_ids(
    session: AsyncSession, user_id: int, submission_ids: list[int]
) -> set[int]:
    """Which of these entries the user likes."""
    if not submission_ids:
        return set()
    query = select(Like.submission_id).where(
        Like.user_id == user_id, Like.submission_id.in_(submission_ids)
    )
    return set((await session.execute(query)).scalars())


_COUNT_LIKES = (
    select(func.count())
    .select_from(_LIKES)
    .where(_LIKES.c.submission_id == bindparam("submission_id"))
)
_COUNTS = select(
    _COUNT_LIKES.scalar_subquery(),
    select(func.count())
    .select_from(_COMMENTS)
    .where(
        _COMMENTS.c.submission_id == bindparam("submission_id"),
        _COMMENTS.c.deleted_at.is_(None),
    )
    .scalar_subquery(),
)


async def count_likes(writes: Writes, submission_id: int) -> int:
    return int((await writes.tuples(_COUNT_LIKES, {"submission_id": submission_id}))[0][0])


async def get_counts(unit: UnitOfWork, submission_id: int) -> tuple[int, int]:
    """An entry's like and comment counts (those `Counted` gives), in one statement."""
    params = {"submission_id": submission_id}
    if isinstance(unit, Writes):
        likes, comments = (await unit.tuples(_COUNTS, params))[0]
    else:
        likes, comments = (await unit.execute(_COUNTS, params)).one()
    return int(likes), int(comments)


# ---------------------------------------------------------------- comments


@dataclass(frozen=True, slots=True)
class EntryRef:
    """What a comment needs of the entry it is on: its author and title."""

    author_id: int
    title: str


_ENTRY_REF = select(_SUBMISSIONS.c.user_id, _SUBMISSIONS.c.title).where(
    _SUBMISSIONS.c.id == bindparam("submission_id"),
    _SUBMISSIONS.c.competition_id == bindparam("competition_id"),
)


async def get_entry_ref(writes: Writes, competition_id: int, submission_id: int) -> EntryRef | None:
    """The entry if it is in this competition; None otherwise."""
    params = {"competition_id": competition_id, "submission_id": submission_id}
    rows = await writes.tuples(_ENTRY_REF, params)
    return None if not rows else EntryRef(rows[0][0], rows[0][1])


@dataclass(frozen=True, slots=True)
class ParentRef:
    """What a reply needs of the comment it answers."""

    id: int
    submission_id: int
    root_id: int | None
    user_id: int
    deleted: bool


_PARENT_REF = select(
    _COMMENTS.c.id,
    _COMMENTS.c.submission_id,
    _COMMENTS.c.root_id,
    _COMMENTS.c.user_id,
    _COMMENTS.c.deleted_at.is_not(None),
).where(_COMMENTS.c.id == bindparam("comment_id"))


async def get_parent_ref(writes: Writes, comment_id: int) -> ParentRef | None:
    """The comment a reply answers, or None."""
    rows = await writes.tuples(_PARENT_REF, {"comment_id": comment_id})
    if not rows:
        return None
    id_, submission_id, root_id, user_id, deleted = rows[0]
    return ParentRef(id_, submission_id, root_id, user_id, bool(deleted))


# Every column bound by name: a plain write fills in nothing (decision 0046).
_ADD_COMMENT = (
    insert(_COMMENTS)
    .values(
        {
            name: bindparam(name, type_=_COMMENTS.c[name].type)
            for name in (
                "submission_id",
                "parent_id",
                "root_id",
                "user_id",
                "username",
                "content",
                "created_at",
                "updated_at",
                "deleted_at",
            )
        }
    )
    .returning(_COMMENTS.c.id)
)


async def add_comment(
    writes: Writes,
    *,
    submission_id: int,
    parent_id: int | None,
    root_id: int | None,
    user_id: int,
    username: str,
    content: str,
    now: datetime,
) -> int:
    """Insert a comment; its id."""
    params = {
        "submission_id": submission_id,
        "parent_id": parent_id,
        "root_id": root_id,
        "user_id": user_id,
        "username": username,
        "content": content,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }
    rows = await writes.tuples(_ADD_COMMENT, params)
    return int(rows[0][0])


async def edit_comment(
    session: AsyncSession, comment: Comment, *, content: str, now: datetime
) -> None:
    comment.content = content
    comment.updated_at = now
    await session.flush()


async def blank_comment(session: AsyncSession, comment: Comment, *, now: datetime) -> None:
    """Delete a comment's text; the comment stays as a placeholder so its replies keep their
    thread."""
    comment.content = ""
    comment.deleted_at = now
    comment.updated_at = now
    await session.flush()


async def get_comment(session: AsyncSession, comment_id: int) -> Comment | None:
    return await session.get(Comment, comment_id)


async def list_threads(
    session: AsyncSession, submission_id: int, *, limit: int, after: int | None
) -> tuple[list[Comment], list[Comment]]:
    """A page of top-level comments (oldest first) and every reply in their threads."""
    query = (
        select(Comment)
        .where(Comment.submission_id == submission_id, Comment.parent_id.is_(None))
        .order_by(Comment.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(Comment.id > after)
    roots = list((await session.execute(query)).scalars())
    if not roots:
        return [], []
    replies = await session.execute(
        select(Comment).where(Comment.root_id.in_([r.id for r in roots])).order_by(Comment.id)
    )
    return roots, list(replies.scalars())


# ---------------------------------------------------------------- subscriptions


async def add_subscription(
    session: AsyncSession, competition_id: int, user_id: int, now: datetime
) -> bool:
    result = await session.execute(
        insert_ignore(
            session, Subscription, competition_id=competition_id, user_id=user_id, created_at=now
        ).returning(Subscription.id)
    )
    return result.first() is not None


async def remove_subscription(session: AsyncSession, competition_id: int, user_id: int) -> bool:
    result = await session.execute(
        delete(Subscription)
        .where(Subscription.competition_id == competition_id, Subscription.user_id == user_id)
        .returning(Subscription.id)
    )
    return result.first() is not None


async def list_subscriber_ids(session: AsyncSession, competition_id: int) -> list[int]:
    query = (
        select(Subscription.user_id)
        .where(Subscription.competition_id == competition_id)
        .order_by(Subscription.id)
    )
    return list((await session.execute(query)).scalars())


async def list_user_subscriptions(
    session: AsyncSession, user_id: int, *, limit: int, before: int | None
) -> list[tuple[Subscription, Competition]]:
    query = (
        select(Subscription, Competition)
        .join(Competition, Competition.id == Subscription.competition_id)
        .where(Subscription.user_id == user_id)
        .order_by(Subscription.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Subscription.id < before)
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]
