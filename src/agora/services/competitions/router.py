"""HTTP and WebSocket endpoints of the competitions service. Thin: parse, call the service, shape
the answer."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, WebSocket

from agora.platform.deps import (
    HUB,
    AdminUser,
    CurrentUser,
    Db,
    DbSession,
    OptionalUser,
    PageCursor,
    PageLimit,
    check_acting_user,
    provided,
    provider,
    websocket_target_found,
)
from agora.platform.http import JSONBody
from agora.platform.ids import IdPath
from agora.platform.realtime import Channel, Hub, position_from_query, serve_channel
from agora.platform.realtime.base import Publication
from agora.platform.realtime.frames import FrameKinds, Position, ServerFrame
from agora.platform.schemas import Message
from agora.services.competitions.models import Comment, Competition
from agora.services.competitions.repository import Counted
from agora.services.competitions.schemas import (
    CommentAccepted,
    CommentCreate,
    CommentPage,
    CommentRead,
    CommentUpdate,
    CompetitionCreate,
    CompetitionCreated,
    CompetitionRead,
    CompetitionSummary,
    LikeResult,
    MySubmission,
    ResultEntry,
    ResultsRead,
    SubmissionAccepted,
    SubmissionCreate,
    SubmissionPage,
    SubmissionRead,
    SubmissionUpdate,
    SubscriptionItem,
)
from agora.services.competitions.service import (
    CommentNode,
    CompetitionsService,
    closed_at_of,
    competition_channel,
    status_of,
)

Competitions = Annotated[CompetitionsService, Depends(provider(CompetitionsService))]
PUBLIC_LIST_MAX_AGE = 30
Limit = PageLimit
Cursor = PageCursor
Before = Annotated[
    str | None,
    Query(max_length=32, description="Only items older than this id (the last id of a page)"),
]

router = APIRouter(prefix="/competitions", tags=["competitions"])
profile_router = APIRouter(prefix="/users", tags=["competitions"])


def _read(
    competition: Competition, submissions: int, competitions: CompetitionsService
) -> dict[str, object]:
    now = competitions.clock.now()
    return {
        "competition_id": str(competition.id),
        "title": competition.title,
        "description": competition.description,
        "admin_id": str(competition.admin_id),
        "start_date": competition.start_date,
        "end_date": competition.end_date,
        "created_at": competition.created_at,
        "status": status_of(competition, now),
        "allow_multiple_entries": competition.allow_multiple_entries,
        "closed_at": closed_at_of(competition, now),
        "submission_count": submissions,
    }


def _submission(entry: Counted, liked: set[int] | None = None) -> SubmissionRead:
    s = entry.submission
    return SubmissionRead(
        submission_id=str(s.id),
        competition_id=str(s.competition_id),
        user_id=str(s.user_id),
        username=s.username,
        title=s.title,
        content=s.content,
        created_at=s.created_at,
        updated_at=s.updated_at,
        likes=entry.likes,
        comments=entry.comments,
        place=entry.place,
        liked_by_me=None if liked is None else s.id in liked,
    )


def _comment(node: CommentNode) -> CommentRead:
    c = node.comment
    deleted = c.deleted_at is not None
    return CommentRead(
        comment_id=str(c.id),
        submission_id=str(c.submission_id),
        parent_comment_id=str(c.parent_id) if c.parent_id is not None else None,
        user_id=None if deleted else str(c.user_id),
        username=None if deleted else c.username,
        content=c.content,
        created_at=c.created_at,
        updated_at=c.updated_at,
        edited=c.updated_at > c.created_at and not deleted,
        deleted=deleted,
        replies=[_comment(reply) for reply in node.replies],
    )


def _single_comment(comment: Comment) -> CommentRead:
    return _comment(CommentNode(comment, []))


# ---------------------------------------------------------------- competitions


@router.get(
    "",
    summary="Competitions accepting entries now (seed 001)",
    response_model=list[CompetitionSummary],
)
async def list_active(competitions: Competitions, me: OptionalUser) -> JSONBody:
    active = await competitions.list_active()
    holds_until = active.holds_until
    response = JSONBody(active.items)
    # The same list for everyone: shared caches (the gateway's) may keep it until it changes.
    seconds = PUBLIC_LIST_MAX_AGE
    if holds_until is not None:
        seconds = min(seconds, int((holds_until - competitions.clock.now()).total_seconds()))
    if me is None and seconds > 0:
        # Shared caches (the gateway's, which drops it on every change) may keep it; a browser,
        # which nobody can tell about a change, asks again each time.
        response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
    return response


@router.post("", status_code=201, summary="Create a competition (admins)")
async def create_competition(
    body: CompetitionCreate, db: DbSession, competitions: Competitions, me: AdminUser
) -> CompetitionCreated:
    competition = await competitions.do_create_competition(db, me, body)
    return CompetitionCreated.model_validate(_read(competition, 0, competitions))


@router.get("/{id}", summary="A competition's details (seed 001), with its status")
async def get_competition(id: IdPath, db: DbSession, competitions: Competitions) -> CompetitionRead:
    competition, submissions = await competitions.get_competition(db, id)
    return CompetitionRead.model_validate(_read(competition, submissions, competitions))


@router.delete("/{id}", summary="Delete a competition with its entries (admins)")
async def delete_competition(
    id: IdPath, db: DbSession, competitions: Competitions, me: AdminUser
) -> Message:
    await competitions.do_delete_competition(db, me, id)
    return Message(message="Competition deleted")


@router.get(
    "/{id}/results",
    summary="Places, once the competition has ended",
    responses={409: {"description": "The competition has not ended yet (`results_not_ready`)"}},
)
async def results(id: IdPath, db: DbSession, competitions: Competitions) -> ResultsRead:
    competition, placed = await competitions.get_results(db, id)
    return ResultsRead(
        competition_id=str(competition.id),
        title=competition.title,
        closed_at=competition.closed_at or competition.end_date,
        results=[
            ResultEntry(
                place=entry.place or 0,
                submission_id=str(entry.submission.id),
                user_id=str(entry.submission.user_id),
                username=entry.submission.username,
                title=entry.submission.title,
                likes=entry.likes,
            )
            for entry in placed
        ],
    )


# ---------------------------------------------------------------- submissions


@router.post("/{id}/submit", status_code=201, summary="Submit an entry while it is open (seed 001)")
async def submit(
    id: IdPath, body: SubmissionCreate, db: DbSession, competitions: Competitions, me: CurrentUser
) -> SubmissionAccepted:
    check_acting_user(me, body.user_id, field="user_id")
    submission = await competitions.do_submit(db, me, id, body)
    return SubmissionAccepted(submission_id=str(submission.id))


@router.get("/{id}/submissions", summary="A competition's entries with like and comment counts")
async def list_submissions(
    id: IdPath,
    db: DbSession,
    competitions: Competitions,
    me: OptionalUser,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> SubmissionPage:
    page = await competitions.list_submissions(db, id, limit=limit, cursor=cursor)
    liked = await competitions.list_liked(db, me, page.items)
    return SubmissionPage(
        submissions=[_submission(r, liked) for r in page.items], next_cursor=page.next_cursor
    )


@router.get("/{id}/submissions/{submission_id}", summary="One entry with its counts")
async def get_submission(
    id: IdPath, submission_id: IdPath, db: DbSession, competitions: Competitions, me: OptionalUser
) -> SubmissionRead:
    entry = await competitions.get_submission(db, id, submission_id)
    return _submission(entry, await competitions.list_liked(db, me, [entry]))


@router.patch(
    "/{id}/submissions/{submission_id}", summary="Edit my entry while the competition is open"
)
async def update_submission(
    id: IdPath,
    submission_id: IdPath,
    body: SubmissionUpdate,
    db: DbSession,
    competitions: Competitions,
    me: CurrentUser,
) -> SubmissionRead:
    entry = await competitions.do_update_submission(db, me, id, submission_id, body)
    return _submission(entry, await competitions.list_liked(db, me, [entry]))


# ---------------------------------------------------------------- live counts


class CountsFrame(Position, scope="competitions"):
    """An entry's like and comment counts after someone liked, unliked or commented on it."""

    type: Literal["counts"] = "counts"
    submission_id: str
    likes: int
    comments: int


class _CompetitionCounts(Channel):
    kinds = FrameKinds(CountsFrame)

    def frame(self, publication: Publication, *, replayed: bool) -> ServerFrame:
        return self.kinds.parse(publication)


@router.websocket("/{id}/live")
async def competition_live(websocket: WebSocket, id: IdPath) -> None:
    """The entries' like and comment counts as they change (public, like the entries), through
    `serve_channel`: `counts` frames with `offset` and `epoch`; reconnect with `since` and `epoch`
    to get the missed ones first (or a `reload` frame). An unknown competition closes with 4404,
    a malformed id with 4400."""
    competitions = provided(websocket, CompetitionsService)
    if not await websocket_target_found(
        websocket, lambda session: competitions.access_competition(session, id)
    ):
        return
    await websocket.accept()
    since, bad_since = position_from_query(websocket)
    hub: Hub = provided(websocket, HUB)
    channel = _CompetitionCounts(competition_channel(id))
    await serve_channel(websocket, channel, hub=hub, since=since, bad_since=bad_since)


# ---------------------------------------------------------------- likes


@router.post("/{id}/like/{submission_id}", summary="Like an entry (repeating it is harmless)")
async def like(
    id: IdPath, submission_id: IdPath, competitions: Competitions, me: CurrentUser
) -> LikeResult:
    _, likes = await competitions.do_like(me, id, submission_id)
    return LikeResult(
        message="Like added", submission_id=str(submission_id), likes=likes, liked=True
    )


@router.delete("/{id}/like/{submission_id}", summary="Take my like back (repeating it is harmless)")
async def unlike(
    id: IdPath, submission_id: IdPath, competitions: Competitions, me: CurrentUser
) -> LikeResult:
    _, likes = await competitions.do_unlike(me, id, submission_id)
    return LikeResult(
        message="Like removed", submission_id=str(submission_id), likes=likes, liked=False
    )


# ---------------------------------------------------------------- comments


@router.post(
    "/{id}/comment/{submission_id}",
    status_code=201,
    summary="Comment on an entry, or reply with `parent_comment_id` (seed 001)",
)
async def comment(
    id: IdPath,
    submission_id: IdPath,
    body: CommentCreate,
    db: Db,
    competitions: Competitions,
    me: CurrentUser,
) -> CommentAccepted:
    check_acting_user(me, body.user_id, field="user_id")
    # A plain write opened here, not a `DbSession` dependency (decision 0046).
    async with db.writes() as writes:
        comment_id = await competitions.do_comment(writes, me, id, submission_id, body)
    return CommentAccepted(comment_id=str(comment_id))


async def _threads(
    id: int,
    submission_id: int,
    db: DbSession,
    competitions: CompetitionsService,
    limit: int,
    cursor: str | None,
) -> CommentPage:
    page = await competitions.list_comments(db, id, submission_id, limit=limit, cursor=cursor)
    return CommentPage(comments=[_comment(t) for t in page.items], next_cursor=page.next_cursor)


@router.get(
    "/{id}/submissions/{submission_id}/comments",
    summary="An entry's comments as threads, oldest first",
)
async def list_comments(
    id: IdPath,
    submission_id: IdPath,
    db: DbSession,
    competitions: Competitions,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> CommentPage:
    return await _threads(id, submission_id, db, competitions, limit, cursor)


@router.get(
    "/{id}/comment/{submission_id}",
    summary="The same threads at the path comments are posted to",
)
async def list_comments_at_post_path(
    id: IdPath,
    submission_id: IdPath,
    db: DbSession,
    competitions: Competitions,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> CommentPage:
    return await _threads(id, submission_id, db, competitions, limit, cursor)


@router.patch("/{id}/comments/{comment_id}", summary="Edit my comment")
async def update_comment(
    id: IdPath,
    comment_id: IdPath,
    body: CommentUpdate,
    db: DbSession,
    competitions: Competitions,
    me: CurrentUser,
) -> CommentRead:
    updated = await competitions.do_update_comment(db, me, id, comment_id, body.content)
    return _single_comment(updated)


@router.delete("/{id}/comments/{comment_id}", summary="Delete my comment (its replies stay)")
async def delete_comment(
    id: IdPath, comment_id: IdPath, db: DbSession, competitions: Competitions, me: CurrentUser
) -> Message:
    await competitions.do_delete_comment(db, me, id, comment_id)
    return Message(message="Comment deleted")


# ---------------------------------------------------------------- the user's side (seed 001)


@profile_router.get("/profile/submissions", summary="My entries, newest first (seed 001)")
async def my_submissions(
    db: DbSession,
    competitions: Competitions,
    me: CurrentUser,
    limit: Limit = 50,
    before: Before = None,
) -> list[MySubmission]:
    rows = await competitions.list_my_submissions(db, me, limit=limit, before=before)
    return [
        MySubmission(
            submission_id=str(r.submission.id),
            competition_id=str(r.submission.competition_id),
            title=r.submission.title,
            content=r.submission.content,
            created_at=r.submission.created_at,
            likes=r.likes,
            comments=r.comments,
            place=r.place,
        )
        for r in rows
    ]


@profile_router.get(
    "/profile/subscriptions", summary="Competitions I subscribed to, newest first (seed 001)"
)
async def my_subscriptions(
    db: DbSession,
    competitions: Competitions,
    me: CurrentUser,
    limit: Limit = 50,
    before: Before = None,
) -> list[SubscriptionItem]:
    rows = await competitions.list_my_subscriptions(db, me, limit=limit, before=before)
    return [
        SubscriptionItem(
            subscription_id=str(s.id),
            competition_id=str(c.id),
            title=c.title,
            description=c.description,
            start_date=c.start_date,
            end_date=c.end_date,
            subscribed_at=s.created_at,
        )
        for s, c in rows
    ]


@profile_router.post(
    "/subscribe/{id}", summary="Hear about new entries in a competition (seed 001)"
)
async def subscribe(
    id: IdPath, db: DbSession, competitions: Competitions, me: CurrentUser
) -> Message:
    await competitions.do_subscribe(db, me, id)
    return Message(message="Subscription successful")


@profile_router.delete("/subscribe/{id}", summary="Stop hearing about a competition")
async def unsubscribe(
    id: IdPath, db: DbSession, competitions: Competitions, me: CurrentUser
) -> Message:
    removed = await competitions.do_unsubscribe(db, me, id)
    return Message(message="Unsubscribed" if removed else "Was not subscribed")
