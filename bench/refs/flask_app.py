"""The seeds' service stack as a yardstick: Flask under gunicorn with psycopg 3, serving the
endpoints that bench/references.py compares, from the same PostgreSQL rows as Agora's services.

Not part of Agora and never imported by it: bench/references.py runs it from a throwaway virtualenv
(`AGORA_REF_*` variables name the databases and the token key). The SQL is what a person writing
this service by hand would write; each handler does what Agora's endpoint does for the same
request (the same rows read or written, a token checked where Agora checks one).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

import jwt
from flask import Flask, Response, request
from psycopg_pool import ConnectionPool

POOL_SIZE = int(os.environ.get("AGORA_REF_POOL", "4"))


def _pool(name: str) -> ConnectionPool:
    dsn = os.environ[f"AGORA_REF_DSN_{name.upper()}"]
    return ConnectionPool(dsn, min_size=POOL_SIZE, max_size=POOL_SIZE, open=True)


users_db = _pool("users")
voting_db = _pool("voting")
timeline_db = _pool("timeline")
with open(os.environ["AGORA_REF_PUBLIC_KEY"], "rb") as key_file:
    PUBLIC_KEY = key_file.read()

app = Flask(__name__)


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, default=_default), status, mimetype="application/json")


def _default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    raise TypeError(type(value))


def _error(status: int, code: str, message: str) -> Response:
    return _json({"status": "error", "code": code, "message": message}, status)


def _user_id() -> int | None:
    """The access token's user, or None when the token is missing or invalid."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(
            header[7:], PUBLIC_KEY, algorithms=["EdDSA"], audience="agora", issuer="agora-users"
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access":
        return None
    return int(claims["sub"])


@app.get("/status")
def status() -> Response:
    return _json({"status": "running"})


@app.get("/users/profile/<int:user_id>")
def profile(user_id: int) -> Response:
    with users_db.connection() as conn:
        row = conn.execute(
            "SELECT id, username, profile_picture, bio, role, created_at,"
            " (SELECT count(*) FROM follows WHERE followee_id = users.id),"
            " (SELECT count(*) FROM follows WHERE follower_id = users.id)"
            " FROM users WHERE id = %s AND deactivated_at IS NULL",
            (user_id,),
        ).fetchone()
    if row is None:
        return _error(404, "user_not_found", f"No user with id {user_id}")
    return _json(
        {
            "user_id": str(row[0]),
            "userId": str(row[0]),
            "username": row[1],
            "profile_picture": row[2],
            "bio": row[3],
            "role": row[4],
            "created_at": row[5],
            "followers_count": row[6],
            "followings_count": row[7],
        }
    )


@app.get("/books")
def books() -> Response:
    with voting_db.connection() as conn:
        poll = conn.execute(
            "SELECT id, month, closes_at FROM polls WHERE status = 'open'"
        ).fetchone()
        if poll is None:
            return _error(404, "no_open_poll", "No poll is open")
        rows = conn.execute(
            "SELECT b.id, b.title, b.author, b.description, count(v.id)"
            " FROM books b JOIN candidates c ON c.book_id = b.id"
            " LEFT JOIN votes v ON v.poll_id = c.poll_id AND v.book_id = c.book_id"
            " WHERE c.poll_id = %s GROUP BY b.id, c.added_at ORDER BY c.added_at, b.id",
            (poll[0],),
        ).fetchall()
    lines = [
        {"id": r[0], "title": r[1], "author": r[2], "description": r[3], "votes": r[4]}
        for r in rows
    ]
    body = {
        "books": lines,
        "poll_id": poll[0],
        "month": poll[1],
        "closes_at": poll[2],
        "total_votes": sum(line["votes"] for line in lines),
    }
    return _json(body)


@app.post("/vote")
def vote() -> Response:
    me = _user_id()
    if me is None:
        return _error(401, "invalid_token", "Invalid token")
    payload = request.get_json(silent=True) or {}
    book_id = payload.get("book_id")
    if not isinstance(book_id, int):
        return _error(422, "validation_failed", "book_id must be an integer")
    with voting_db.connection() as conn, conn.transaction():
        claim = conn.execute(
            "UPDATE polls SET vote_seq = vote_seq + 1 WHERE status = 'open' AND closes_at > now()"
            " RETURNING id, vote_seq"
        ).fetchone()
        if claim is None:
            return _error(409, "poll_closed", "Voting is closed")
        poll_id, seq = claim
        target = conn.execute(
            "SELECT b.id, b.title, c.book_id, v.book_id FROM books b"
            " LEFT JOIN candidates c ON c.book_id = b.id AND c.poll_id = %s"
            " LEFT JOIN votes v ON v.poll_id = %s AND v.user_id = %s WHERE b.id = %s",
            (poll_id, poll_id, me, book_id),
        ).fetchone()
        if target is None or target[2] is None:
            return _error(404, "book_not_found", f"No book with id {book_id}")
        previous = target[3]
        if previous != book_id:
            conn.execute(
                "INSERT INTO votes (poll_id, user_id, book_id, voted_at, seq)"
                " VALUES (%s, %s, %s, now(), %s) ON CONFLICT (poll_id, user_id) DO UPDATE"
                " SET book_id = excluded.book_id, voted_at = excluded.voted_at, seq = excluded.seq",
                (poll_id, me, book_id, seq),
            )
        votes, total = conn.execute(
            "SELECT count(CASE WHEN book_id = %s THEN 1 END), count(*) FROM votes"
            " WHERE poll_id = %s",
            (book_id, poll_id),
        ).fetchone()
    kind = "unchanged" if previous == book_id else ("created" if previous is None else "moved")
    return _json(
        {
            "message": f"Vote recorded for {target[1]}",
            "votes": votes,
            "book_id": book_id,
            "poll_id": poll_id,
            "outcome": kind,
            "previous_book_id": previous if kind == "moved" else None,
            "total_votes": total,
            "seq": seq,
        }
    )


@app.get("/tweets/homeTimeline/<int:user_id>")
def home_timeline(user_id: int) -> Response:
    me = _user_id()
    if me is None:
        return _error(401, "invalid_token", "Invalid token")
    if me != user_id:
        return _error(403, "not_your_timeline", "A home timeline is visible to its owner only")
    limit = min(int(request.args.get("limit", "50")), 100)
    with timeline_db.connection() as conn:
        rows = conn.execute(
            "SELECT id, user_id, username, content, created_at FROM tweets"
            " WHERE user_id = %s OR user_id IN"
            " (SELECT followee_id FROM follows WHERE follower_id = %s AND active)"
            " ORDER BY id DESC LIMIT %s",
            (me, me, limit + 1),
        ).fetchall()
    page = rows[:limit]
    tweets = [
        {
            "tweetId": str(r[0]),
            "userId": str(r[1]),
            "username": r[2],
            "content": r[3],
            "timestamp": r[4],
        }
        for r in page
    ]
    cursor = str(page[-1][0]) if len(rows) > limit else None
    return _json({"tweets": tweets, "next_cursor": cursor})
