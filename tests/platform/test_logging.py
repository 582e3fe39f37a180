"""Logs as an operator reads them: ECS JSON lines, one access line per request however many layers
it crossed, the request's facts on it, and nothing secret in any line."""

from __future__ import annotations

import enum
import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import structlog

from agora.platform.logging import (
    REDACTED,
    LineLogger,
    configure_logging,
    ecs_formatter,
    redact_text,
)
from tests.support.api import PASSWORD, Api
from tests.support.logcheck import ecs_problems, secrets_in

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def lines() -> Iterator[Lines]:
    """The ECS lines logged so far in the test, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ecs_formatter())
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(x) for x in stream.getvalue().splitlines() if x]
    finally:
        root.removeHandler(handler)


async def test_one_access_line_per_request_with_its_facts_and_no_secret(
    api: Api, lines: Lines
) -> None:
    me = await api.register("logan", email="logan@example.com")
    response = await api.client.get(
        "/api/users/profile", headers={**me.headers, "traceparent": TRACEPARENT}
    )
    assert response.status_code == 200
    logged = lines()
    access = [line for line in logged if line["event.dataset"] == "agora.access"]
    # register, login, profile: the embedded gateway and the users service are one layer each,
    # but each request is one line.
    assert [line["url.path"] for line in access] == [
        "/api/users/register",
        "/api/users/login",
        "/api/users/profile",
    ]
    profile = access[-1]
    assert profile["http.request.method"] == "GET"
    assert profile["http.response.status_code"] == 200
    assert profile["http.request.id"] == response.headers["x-request-id"]
    assert profile["user.id"] == me.id
    assert profile["service.name"] == "gateway"
    assert profile["event.duration"] > 0
    assert profile["trace.id"] == TRACEPARENT.split("-")[1]
    for line in logged:
        assert ecs_problems(line) == [], line
        text = json.dumps(line)
        assert secrets_in(text) == [], text
        assert PASSWORD not in text
        assert me.token not in text


async def test_the_callers_traceparent_is_continued_and_returned(api: Api) -> None:
    response = await api.client.get("/api/users/1", headers={"traceparent": TRACEPARENT})
    returned = response.headers["traceparent"]
    version, trace_id, span_id, flags = returned.split("-")
    assert (version, trace_id, flags) == ("00", TRACEPARENT.split("-")[1], "01")
    assert len(span_id) == 16


def test_secrets_are_dropped_by_key_and_masked_in_text(lines: Lines) -> None:
    jwt = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLWJ5dGVz"
    log = structlog.get_logger("agora.test")
    log.info(
        f"login by ana@example.org with {jwt}",
        password="hunter2-hunter2",
        refresh_token="r3fr3sh",
        headers={"Authorization": f"Bearer {jwt}", "accept": "text/html"},
        stored="$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        note="mail me at someone@example.com",
    )
    (line,) = [x for x in lines() if x.get("log.logger") == "agora.test"]
    text = json.dumps(line)
    assert secrets_in(text) == []
    assert "hunter2" not in text
    assert "r3fr3sh" not in text
    assert line["agora.password"] == REDACTED
    assert line["agora.headers"] == {"Authorization": REDACTED, "accept": "text/html"}
    assert line["message"] == f"login by {REDACTED} with {REDACTED}"
    assert ecs_problems(line) == []


def test_every_kind_of_value_is_masked_and_numbers_kept(lines: Lines) -> None:
    """Text of a str subclass, text inside lists and tuples, and keys seen for the first time are
    masked like plain text; numbers and flags reach the line as they are."""

    class Kind(enum.StrEnum):
        OWNER = "owner ana@example.org"

    log = structlog.get_logger("agora.test")
    log.info(
        "values",
        kind=Kind.OWNER,
        recipients=["bo@example.org", 7],
        pair=("Bearer abcdefghijkl", None),
        count=3,
        ratio=0.5,
        ok=True,
        **{"api-key": "k-123", "fresh_key_with_private_key_in_it": "p"},
    )
    (line,) = [x for x in lines() if x.get("log.logger") == "agora.test"]
    assert line["agora.kind"] == f"owner {REDACTED}"
    assert line["agora.recipients"] == [REDACTED, 7]
    assert line["agora.pair"] == [f"Bearer {REDACTED}", None]
    assert (line["agora.count"], line["agora.ratio"], line["agora.ok"]) == (3, 0.5, True)
    assert line["agora.api-key"] == REDACTED
    assert line["agora.fresh_key_with_private_key_in_it"] == REDACTED


def test_a_line_loggers_line_is_structlogs_line() -> None:
    """The access line, rendered by `LineLogger` in one pass, is the line structlog writes for
    the same event: the same fields, the context's, and the same masking."""
    configure_logging("INFO", json=True, service="users")
    stream = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    stdout = handler.setStream(stream)
    fields: dict[str, Any] = {
        "method": "GET",
        "path": "/users/by-email/ana@example.org",
        "status": 404,
        "client": "127.0.0.1",
        "user_id": None,
        "event.duration": 1234,
    }
    try:
        with structlog.contextvars.bound_contextvars(request_id="r-1", service="users"):
            LineLogger("agora.access").log(logging.INFO, "GET /x 404", **fields)
            structlog.get_logger("agora.access").log(logging.INFO, "GET /x 404", **fields)
    finally:
        handler.setStream(stdout)
    fast, slow = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert fast.pop("@timestamp") <= slow.pop("@timestamp")
    assert fast == slow
    assert fast["url.path"] == f"/users/by-email/{REDACTED}"
    assert fast["http.request.id"] == "r-1"
    assert ecs_problems({**fast, "@timestamp": "2026-01-01T00:00:00Z"}) == []


def test_an_exception_quoting_a_secret_is_masked(lines: Lines) -> None:
    try:
        raise ValueError("no account for carol@example.net")
    except ValueError:
        structlog.get_logger("agora.test").exception("lookup_failed")
    (line,) = [x for x in lines() if x.get("log.logger") == "agora.test"]
    assert line["error.type"] == "ValueError"
    assert "carol@" not in json.dumps(line)
    assert REDACTED in line["error.stack_trace"]
    assert ecs_problems(line) == []


def test_the_checks_catch_what_they_look_for() -> None:
    # The suite-wide audit is only as good as these: each must see what it is for.
    assert secrets_in('{"message": "bob@example.com"}') == ["email"]
    assert secrets_in("eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiI0MiJ9.sig") == ["token"]
    assert secrets_in("$argon2id$v=19$m=1024") == ["password hash"]
    assert ecs_problems({"message": "x"})  # no timestamp, level, service
    bad = {
        "@timestamp": "2026-01-01T00:00:00Z",
        "log.level": "info",
        "message": "m",
        "service.name": "s",
        "ecs.version": "8.11.0",
        "event.dataset": "agora.access",
        "duration_ms": 3,
        "trace.id": "nope",
    }
    problems = ecs_problems(bad)
    assert any("duration_ms" in p for p in problems)
    assert any("trace.id" in p for p in problems)
    assert any("http.request.id" in p for p in problems)
    assert redact_text("plain words stay") == "plain words stay"


def test_a_terminal_gets_readable_lines_and_no_json(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json=False, service="platform")
    try:
        structlog.get_logger("agora.access").info("GET /api/books 200", status=200)
        structlog.get_logger("agora.platform").info("platform_started", services=["users"])
        structlog.get_logger("agora.users").info("user_registered", user_id=3)
        structlog.get_logger("agora.users").warning("login_throttled", user_id=3)
        out = capsys.readouterr().out
    finally:
        configure_logging("INFO", json=True)
        logging.getLogger().handlers[0].setLevel(logging.WARNING)
    assert "platform_started" in out
    assert "login_throttled" in out
    assert "GET /api/books" not in out  # a line per request shows at DEBUG only
    assert "user_registered" not in out
    assert not any(line.lstrip().startswith("{") for line in out.splitlines())


def test_httpx_says_only_what_went_wrong() -> None:
    """A line per HTTP request httpx makes (each process's discovery poll, once a second) is not
    written; its warnings are."""
    configure_logging("INFO", json=True, service="edge")
    stream = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    stdout = handler.setStream(stream)
    try:
        logging.getLogger("httpx").info('HTTP Request: GET http://127.0.0.1:1/services "200 OK"')
        logging.getLogger("httpx").warning("connection pool is full")
        logging.getLogger("agora.edge").info("edge_servers")
    finally:
        handler.setStream(stdout)
    messages = [json.loads(x)["message"] for x in stream.getvalue().splitlines()]
    assert messages == ["connection pool is full", "edge_servers"]
