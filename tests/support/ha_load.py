"""Writes through the gateway while the HA engines are hurt, and the check that reads them all
back: votes, likes and tweets, each sent exactly once, each acknowledged one found exactly once.

Votes and likes go to distinct (user, poll) and (user, entry) pairs and tweets carry unique text,
so every acknowledged write can be found afterwards and a duplicate would show. A write that was
not acknowledged (a 503 or a cut connection) may or may not have happened, as with any database;
the clients never resend it, so it exists at most once."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from agora.entrypoints.ha.launcher import HALauncher
from agora.entrypoints.operations import grant_admin
from tests.support.api import PASSWORD
from tests.support.waiting import wait_until


@dataclass
class Outcome:
    kind: str
    key: tuple[Any, ...]
    started: float
    finished: float
    status: int  # 0: no answer (the connection was cut)

    @property
    def acknowledged(self) -> bool:
        return 200 <= self.status < 300


Job = tuple[tuple[Any, ...], dict[str, Any]]


@dataclass
class Setup:
    """Users, ballot and entries made once; every test's writes continue the same sequences and
    add to one history, which each test checks in full."""

    gateway: str
    tokens: list[str]
    user_ids: list[int]
    books: list[int]
    competition: str
    submissions: list[str]
    admin_token: str
    outcomes: list[Outcome] = field(default_factory=list)
    jobs: dict[str, Iterator[Job]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.jobs = {"vote": self._votes(), "like": self._likes(), "tweet": self._tweets()}

    def _auth(self, index: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[index]}"}

    def _votes(self) -> Iterator[Job]:
        # Each round moves every voter's one vote to another book.
        for n in itertools.count():
            index = n % len(self.tokens)
            book = self.books[(n // len(self.tokens) + index) % len(self.books)]
            yield (
                (index, book),
                {"url": "/api/vote", "json": {"book_id": book}, "headers": self._auth(index)},
            )

    def _likes(self) -> Iterator[Job]:
        # Liking again is harmless: after one pass the likes repeat.
        pairs = itertools.product(range(len(self.submissions)), range(len(self.tokens)))
        for entry, index in itertools.cycle(pairs):
            if entry == index:  # the entry's author (users may not like their own)
                continue
            submission = self.submissions[entry]
            url = f"/api/competitions/{self.competition}/like/{submission}"
            yield (index, submission), {"url": url, "headers": self._auth(index)}

    def _tweets(self) -> Iterator[Job]:
        for n in itertools.count():
            index = n % len(self.tokens)
            body = {"content": f"tweet {n} during failover"}
            yield (
                (index, body["content"]),
                {"url": "/api/tweets", "json": body, "headers": self._auth(index)},
            )


def _register(http: httpx.Client, name: str) -> tuple[int, str]:
    body = {"username": name, "password": PASSWORD, "email": f"{name}@example.com"}
    assert http.post("/api/users/register", json=body).status_code == 201
    login = http.post("/api/users/login", json={"username": name, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return int(login.json()["user_id"]), str(login.json()["token"])


def make_setup(ha: HALauncher, users: int = 30) -> Setup:
    """An admin, three books on the ballot, a competition with three entries, and voters."""
    gateway = f"http://127.0.0.1:{ha.plan.port}"
    with httpx.Client(base_url=gateway, timeout=30) as http:
        _register(http, "boss")
        asyncio.run(grant_admin(ha.plan.settings, "boss"))
        _, admin = _register_login(http, "boss")
        books = []
        for title in ("Dune", "Emma", "Ulysses"):
            added = http.post(
                "/api/books",
                json={"title": title, "author": "Someone"},
                headers={"Authorization": f"Bearer {admin}"},
            )
            assert added.status_code == 201, added.text
            books.append(int(added.json()["id"]))
        start = datetime.now(UTC)
        created = http.post(
            "/api/competitions",
            json={
                "title": "Failover Fiction",
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(hours=2)).isoformat(),
            },
            headers={"Authorization": f"Bearer {admin}"},
        )
        assert created.status_code == 201, created.text
        competition = str(created.json()["competition_id"])
        voters = [_register(http, f"voter{i}") for i in range(users)]
        submissions = []
        for user_id, token in voters[:3]:
            entry = http.post(
                f"/api/competitions/{competition}/submit",
                json={"title": f"Entry of {user_id}", "content": "Once upon a time."},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert entry.status_code == 201, entry.text
            submissions.append(str(entry.json()["submission_id"]))
    return Setup(
        gateway,
        [t for _, t in voters],
        [u for u, _ in voters],
        books,
        competition,
        submissions,
        admin,
    )


def _register_login(http: httpx.Client, name: str) -> tuple[int, str]:
    login = http.post("/api/users/login", json={"username": name, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return int(login.json()["user_id"]), str(login.json()["token"])


@dataclass
class Writers:
    """Three clients writing through the gateway at a steady rate, each write sent exactly once.

    Votes and likes go to distinct (user, poll) and (user, entry) pairs and tweets carry unique
    text, so every acknowledged write can be found afterwards and a duplicate would show."""

    setup: Setup
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _send(self, http: httpx.Client, kind: str, key: tuple[Any, ...], **request: Any) -> None:
        started = time.monotonic()
        try:
            status = http.post(**request).status_code
        except httpx.HTTPError:
            status = 0
        with self._lock:
            self.setup.outcomes.append(Outcome(kind, key, started, time.monotonic(), status))

    def _run(self, kind: str) -> None:
        with httpx.Client(base_url=self.setup.gateway, timeout=15) as http:
            for key, request in self.setup.jobs[kind]:
                if self._stop.is_set():
                    return
                self._send(http, kind, key, **request)
                time.sleep(0.1)

    def __enter__(self) -> Writers:
        for kind in self.setup.jobs:
            thread = threading.Thread(target=self._run, args=(kind,), daemon=True)
            self._threads.append(thread)
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)

    def outcomes(self, kind: str) -> list[Outcome]:
        with self._lock:
            return [o for o in self.setup.outcomes if o.kind == kind]

    def acknowledged(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes(kind) if o.acknowledged]

    def count(self, kind: str) -> int:
        return len(self.acknowledged(kind))


def check_nothing_lost_or_doubled(setup: Setup) -> None:
    """Read every write so far back through the gateway: each acknowledged one is there exactly
    once, each unacknowledged one at most once."""
    history = list(setup.outcomes)
    odd = [o for o in history if o.status not in {0, 200, 201, 502, 503, 504}]
    assert not odd, f"unexpected answers: {[(o.kind, o.status) for o in odd][:10]}"
    by_kind = {kind: [o for o in history if o.kind == kind] for kind in setup.jobs}
    with httpx.Client(base_url=setup.gateway, timeout=30) as http:
        # Votes: a voter's ballot shows their last acknowledged book, or a book of a later
        # unacknowledged vote; the total counts each voter once.
        per_voter: dict[int, list[Outcome]] = {}
        for outcome in by_kind["vote"]:
            per_voter.setdefault(outcome.key[0], []).append(outcome)
        for index, outcomes in per_voter.items():
            acked = [i for i, o in enumerate(outcomes) if o.acknowledged]
            possible = {o.key[1] for o in outcomes[acked[-1] :]} if acked else None
            status = http.get(
                "/api/vote/status", headers={"Authorization": f"Bearer {setup.tokens[index]}"}
            )
            my_vote = status.json()["my_vote"]
            if possible is not None:
                assert my_vote in possible, f"voter{index}: {my_vote} not in {possible}"
        total = http.get("/api/vote/status").json()["total_votes"]
        voters = {i for i, outcomes in per_voter.items() if any(o.acknowledged for o in outcomes)}
        assert len(voters) <= total <= len(per_voter)
        # Likes: per entry, between the distinct acknowledged and the distinct attempted likers.
        answer = http.get(f"/api/competitions/{setup.competition}/submissions").json()
        likes = {str(s["submission_id"]): int(s["likes"]) for s in answer["submissions"]}
        for submission in setup.submissions:
            tried = [o for o in by_kind["like"] if o.key[1] == submission]
            likers = {o.key[0] for o in tried if o.acknowledged}
            assert len(likers) <= likes[submission] <= len({o.key[0] for o in tried}), submission
        # Tweets: every acknowledged text exactly once in its author's timeline, others at most.
        texts: list[str] = []
        for user_id in setup.user_ids:
            page = http.get(f"/api/tweets/userTimeline/{user_id}", params={"limit": 50}).json()
            texts += [str(t["content"]) for t in page["tweets"]]
        for outcome in by_kind["tweet"]:
            found = texts.count(outcome.key[1])
            if outcome.acknowledged:
                assert found == 1, f"acknowledged {outcome.key[1]!r} found {found} times"
            else:
                assert found <= 1, f"unacknowledged {outcome.key[1]!r} found {found} times"


def wait_for_writes(writers: Writers, after: float, each: int = 3, within: float = 60) -> None:
    """Until `each` writes of every kind started after `after` are acknowledged."""
    wait_until(
        lambda: all(
            sum(1 for o in writers.acknowledged(kind) if o.started >= after) >= each
            for kind in writers.setup.jobs
        ),
        what=f"{each} acknowledged writes of each kind",
        within=within,
        interval=0.2,
    )


def first_success_after(writers: Writers, moment: float) -> float:
    """When writes of every kind were acknowledged again, for requests sent after `moment`."""
    return max(
        min(o.finished for o in writers.acknowledged(kind) if o.started >= moment)
        for kind in writers.setup.jobs
    )
