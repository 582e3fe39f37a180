"""HTTP and WebSocket endpoints of the voting service. Thin: parse, call the service, shape the
answer.

Endpoints that change the open poll first settle the poll cycle (`Settled`), so a poll past its
deadline is closed (and the next one opened) before anyone votes on it. Reads never write: they
show a poll past its deadline as closed until the deadline job records it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request, Response, WebSocket

from agora.platform.auth.principal import Principal
from agora.platform.deps import (
    AdminUser,
    CurrentUser,
    Db,
    DbReads,
    DbSession,
    OptionalUser,
    PageCursor,
    PageLimit,
    provided,
    provider,
    registered,
)
from agora.platform.http import LeanArgs, LeanRead, ModelJSON
from agora.platform.ids import IdPath
from agora.platform.reads import Reads
from agora.services.voting.live import LiveSession
from agora.services.voting.models import OPEN, Book, Nomination
from agora.services.voting.repository import BallotBook
from agora.services.voting.schemas import (
    BookAdded,
    BookCreate,
    BookList,
    BookOfTheMonth,
    BookRead,
    CandidateRead,
    DeadlineUpdate,
    NominationDecided,
    NominationPage,
    NominationRead,
    PollClosedRead,
    PollCloseRequest,
    PollDetail,
    PollPage,
    PollRead,
    RejectRequest,
    VoteCreate,
    VoteResult,
    VoteStatus,
    WinnerRead,
)
from agora.services.voting.service import BallotView, PollView, VotingService


async def _settled(request: Request) -> VotingService:
    service = provided(request, VotingService)
    await service.do_settle()
    return service


async def _poll_exists(request: Request) -> VotingService:
    service = provided(request, VotingService)
    await service.do_settle(close_due=False)
    return service


Voting = Annotated[VotingService, Depends(provider(VotingService))]
Settled = Annotated[VotingService, Depends(_settled)]
Limit = PageLimit
Cursor = PageCursor

router = APIRouter(tags=["voting"])


def _cacheable(response: Response, seconds: int) -> None:
    """Let the gateway keep an anonymous list briefly (it drops it on any write to this service
    and on this service's events); never past the poll's deadline."""
    if seconds > 0:
        # Shared caches (the gateway's, which drops it on every change) may keep it; a browser,
        # which nobody can tell about a change, asks again each time.
        response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"


def _book_fields(book: Book | BallotBook, votes: int) -> dict[str, Any]:
    """A book in `BookRead`'s shape."""
    return {
        "id": book.id,
        "title": book.title,
        "author": book.author,
        "description": book.description,
        "votes": votes,
    }


def _book(book: Book, votes: int) -> BookRead:
    return BookRead(**_book_fields(book, votes))


def _poll(view: PollView) -> PollRead:
    poll, winner = view.poll, view.winner
    return PollRead(
        id=poll.id,
        poll_id=poll.id,
        month=poll.month,
        status="open" if view.status == OPEN else "closed",
        opens_at=poll.opens_at,
        closes_at=poll.closes_at,
        closed_at=view.closed_at,
        close_reason=view.close_reason,
        total_votes=view.total_votes,
        winner=(
            WinnerRead(
                book_id=winner.id,
                title=winner.title,
                author=winner.author,
                description=winner.description,
                votes=view.winner_votes,
            )
            if winner is not None
            else None
        ),
    )


def _detail(view: BallotView) -> PollDetail:
    poll = _poll(view.view)
    return PollDetail(
        poll=poll,
        poll_id=poll.id,
        month=poll.month,
        status=poll.status,
        closes_at=poll.closes_at,
        candidates=[
            CandidateRead(
                id=line.book.id,
                book_id=line.book.id,
                title=line.book.title,
                author=line.book.author,
                description=line.book.description,
                votes=line.votes,
            )
            for line in view.lines
        ],
        total_votes=view.total_votes,
        my_vote=view.my_vote,
    )


def _nomination(nomination: Nomination) -> NominationRead:
    return NominationRead(
        id=nomination.id,
        title=nomination.title,
        author=nomination.author,
        description=nomination.description,
        status=nomination.status,  # type: ignore[arg-type]
        user_id=nomination.user_id,
        username=nomination.username,
        created_at=nomination.created_at,
        decided_at=nomination.decided_at,
        reason=nomination.reason,
        book_id=nomination.book_id,
        poll_id=nomination.poll_id,
    )


# ---------------------------------------------------------------- books


@router.get(
    "/books",
    summary="The current poll's candidate books with live vote counts",
    response_model=BookList,
)
async def list_books(reads: DbReads, voting: Voting) -> ModelJSON:
    return await _books_body(reads, voting)


async def _lean_books(app: FastAPI, reads: Reads, args: LeanArgs) -> ModelJSON:
    # What `list_books` answers, below FastAPI's request handling (decisions 0037, 0044).
    return await _books_body(reads, registered(app, VotingService))


async def _books_body(reads: Reads, voting: VotingService) -> ModelJSON:
    view = await voting.get_current_ballot(reads, None)
    # A hot read: in `BookList`'s shape, rendered once (decision 0034).
    response = ModelJSON(
        {
            "books": [_book_fields(line.book, line.votes) for line in view.lines],
            "poll_id": view.poll.id,
            "month": view.poll.month,
            "closes_at": view.poll.closes_at,
            "total_votes": view.total_votes,
        }
    )
    _cacheable(response, voting.cache_seconds(view.poll.closes_at))
    return response


@router.post("/books", status_code=201, summary="Add a candidate to the current poll (admins)")
async def add_book(body: BookCreate, db: DbSession, voting: Settled, me: AdminUser) -> BookAdded:
    poll, book = await voting.do_add_book(db, me, body)
    return BookAdded(
        id=book.id,
        title=book.title,
        author=book.author,
        description=book.description,
        votes=0,
        poll_id=poll.id,
    )


@router.get("/books/of-the-month", summary="The book the newest closed poll chose")
async def book_of_the_month(db: DbSession, voting: Voting) -> BookOfTheMonth:
    chosen = await voting.get_book_of_the_month(db)
    book = chosen.book
    return BookOfTheMonth(
        id=book.id,
        book_id=book.id,
        title=book.title,
        author=book.author,
        description=book.description,
        votes=chosen.votes,
        month=chosen.poll.month,
        poll_id=chosen.poll.id,
        selected_at=chosen.selected_at,
    )


# ---------------------------------------------------------------- nominations


@router.get(
    "/books/nominations",
    summary="Nominations: admins see everyone's pending ones, members their own",
)
async def list_nominations(
    db: DbSession,
    voting: Voting,
    me: CurrentUser,
    status: Annotated[
        Literal["pending", "approved", "rejected", "withdrawn", "all"] | None,
        Query(description="Only nominations in this state (admins: default `pending`)"),
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> NominationPage:
    page = await voting.list_nominations(db, me, status=status, limit=limit, cursor=cursor)
    return NominationPage(
        nominations=[_nomination(n) for n in page.items], next_cursor=page.next_cursor
    )


@router.post(
    "/books/nominations",
    status_code=201,
    summary="Nominate a book for the ballot (at most 3 waiting per member)",
)
async def nominate(
    body: BookCreate, db: DbSession, voting: Settled, me: CurrentUser
) -> NominationRead:
    return _nomination(await voting.do_nominate(db, me, body))


@router.post(
    "/books/nominations/{nomination_id}/approve",
    summary="Approve a nomination: the book joins the current poll (admins)",
)
async def approve_nomination(
    nomination_id: IdPath, db: DbSession, voting: Settled, me: AdminUser
) -> NominationDecided:
    nomination, book = await voting.do_approve(db, me, nomination_id)
    return NominationDecided(
        message=f'"{book.title}" is now a candidate',
        nomination=_nomination(nomination),
        book=_book(book, 0),
    )


@router.post("/books/nominations/{nomination_id}/reject", summary="Reject a nomination (admins)")
async def reject_nomination(
    nomination_id: IdPath,
    db: DbSession,
    voting: Voting,
    me: AdminUser,
    body: Annotated[RejectRequest | None, Body()] = None,
) -> NominationDecided:
    reason = body.reason if body is not None else None
    nomination = await voting.do_reject(db, me, nomination_id, reason)
    return NominationDecided(message="Nomination rejected", nomination=_nomination(nomination))


@router.delete(
    "/books/nominations/{nomination_id}", summary="Withdraw my nomination while it waits"
)
async def withdraw_nomination(
    nomination_id: IdPath, db: DbSession, voting: Voting, me: CurrentUser
) -> NominationDecided:
    nomination = await voting.do_withdraw(db, me, nomination_id)
    return NominationDecided(message="Nomination withdrawn", nomination=_nomination(nomination))


# ---------------------------------------------------------------- votes


@router.post(
    "/vote",
    summary="Vote for a candidate; voting again for another book moves the vote",
)
async def vote(body: VoteCreate, db: Db, voting: Settled, me: CurrentUser) -> VoteResult:
    # A plain write opened here, not a `DbSession` dependency (decision 0046).
    async with db.writes() as writes:
        outcome = await voting.do_vote(writes, me, body)
    return VoteResult(
        message=outcome.message,
        votes=outcome.votes,
        book_id=outcome.book.id,
        poll_id=outcome.poll_id,
        outcome=outcome.kind,
        previous_book_id=outcome.previous_book_id,
        total_votes=outcome.total_votes,
        seq=outcome.seq,
    )


@router.get(
    "/vote/status",
    summary="Votes per candidate of the current poll",
    response_model=VoteStatus,
)
async def vote_status(reads: DbReads, voting: Voting, me: OptionalUser) -> ModelJSON:
    return await _status_body(reads, voting, me)


async def _lean_vote_status(app: FastAPI, reads: Reads, args: LeanArgs) -> ModelJSON:
    # What `vote_status` answers, below FastAPI's request handling (decisions 0037, 0039, 0044).
    return await _status_body(reads, registered(app, VotingService), args.principal)


async def _status_body(reads: Reads, voting: VotingService, me: Principal | None) -> ModelJSON:
    view = await voting.get_current_ballot(reads, me)
    # A hot read: in `VoteStatus`'s shape, rendered once (decision 0034).
    response = ModelJSON(
        {
            "status": [
                {"book_id": line.book.id, "title": line.book.title, "votes": line.votes}
                for line in view.lines
            ],
            "poll_id": view.poll.id,
            "month": view.poll.month,
            "total_votes": view.total_votes,
            "my_vote": view.my_vote,
        }
    )
    if me is None:
        _cacheable(response, voting.cache_seconds(view.poll.closes_at))
    return response


# The voting service's reads answered below FastAPI for plain requests (decisions 0037, 0039).
LEAN_READS = [LeanRead(list_books, _lean_books), LeanRead(vote_status, _lean_vote_status)]


@router.websocket("/vote/live")
async def vote_live(websocket: WebSocket) -> None:
    """Live counts of the open poll (`ticket` or `token` optional; `poll_id`, `since`, `epoch` to
    resume). A malformed `poll_id` closes with 4400, an unknown one with 4404."""
    service = provided(websocket, VotingService)
    await LiveSession(websocket, service).run()


# ---------------------------------------------------------------- polls


@router.get("/polls/current", summary="The open poll: candidates, counts, my vote, deadline")
async def current_poll(reads: DbReads, voting: Voting, me: OptionalUser) -> PollDetail:
    return _detail(await voting.get_current_ballot(reads, me))


@router.patch("/polls/current", summary="Move the open poll's deadline (admins)")
async def set_deadline(
    body: DeadlineUpdate, db: DbSession, voting: Settled, me: AdminUser
) -> PollRead:
    return _poll(await voting.do_set_deadline(db, me, body.closes_at))


@router.post(
    "/polls/current/close",
    summary="Close the open poll now: pick the book of the month, open next month's poll (admins)",
)
async def close_poll(
    db: DbSession,
    voting: Annotated[VotingService, Depends(_poll_exists)],
    me: AdminUser,
    body: Annotated[PollCloseRequest | None, Body()] = None,
) -> PollClosedRead:
    outcome = await voting.do_close(db, me, body.poll_id if body is not None else None)
    closed = _poll(outcome.closed)
    winner = closed.winner
    message = (
        f'"{winner.title}" is the book of the month for {closed.month}'
        if winner is not None
        else f"The {closed.month} poll closed without votes"
    )
    return PollClosedRead(message=message, poll=closed, next_poll=_poll(outcome.next_poll))


@router.get("/polls", summary="Poll history, newest first, with each poll's winner")
async def list_polls(
    db: DbSession, voting: Voting, limit: Limit = 50, cursor: Cursor = None
) -> PollPage:
    page = await voting.list_polls(db, limit=limit, cursor=cursor)
    return PollPage(polls=[_poll(v) for v in page.items], next_cursor=page.next_cursor)


@router.get("/polls/{poll_id}", summary="One poll with its candidates and (final) counts")
async def get_poll(poll_id: IdPath, db: DbSession, voting: Voting, me: OptionalUser) -> PollDetail:
    return _detail(await voting.get_ballot(db, me, poll_id))
