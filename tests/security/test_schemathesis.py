"""Schemathesis against the embedded platform, in process (ASGI): its coverage, fuzzing and
stateful phases over every operation of the OpenAPI document, anonymously and with an admin's
token. Any 5xx, or any answer the document does not describe (status, content type, body schema,
headers), fails the test. Rate limits are raised so the fuzzer is not throttled into 429s.

Bounded in time: each run stops after `RUN_SECONDS` (about 80 s in all on the CI machine)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
import schemathesis
from schemathesis import engine
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from schemathesis.python import asgi

from agora.entrypoints.embedded import Platform
from agora.platform.config import Settings
from tests.support.api import PASSWORD
from tests.support.platform import FAST_HASHING

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(240),
    # Raised from inside schemathesis's own generation of free-form JSON (`schema(object)`), not
    # from anything of ours; with warnings as errors it turns a random run into a flaky failure.
    pytest.mark.filterwarnings(
        "ignore:Do not use the `random` module inside strategies"
        ":hypothesis.errors.HypothesisDeprecationWarning"
    ),
]

RUN_SECONDS = 35
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)
UNLIMITED = 1_000_000


@dataclass(frozen=True)
class Failure:
    check: str
    method: str
    url: str
    status: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.method} {self.url} -> {self.status}: {self.message}"


@pytest.fixture
def platform() -> Iterator[Platform]:
    """Every service, on SQLite in a scratch directory; schemathesis runs its lifespan (a platform
    starts once, so each run gets its own)."""
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            data_dir=Path(data_dir),
            demo_content=False,
            sports_feed=False,
            write_rate_per_minute=UNLIMITED,
            login_max_failures=UNLIMITED,
            login_account_max_failures=UNLIMITED,
            login_address_max_failures=UNLIMITED,
            **FAST_HASHING,
        )
        yield Platform(settings)
        asgi.shutdown_lifespans()


def _config(headers: dict[str, str] | None = None) -> SchemathesisConfig:
    data: dict[str, Any] = {
        "seed": 11,
        "max-time": RUN_SECONDS,
        "generation": {"max-examples": 5},
        "checks": {"enabled": False, **{check: {"enabled": True} for check in CHECKS}},
        "phases": {
            # The document has no examples; the other three are what the issue asks for.
            "examples": {"enabled": False},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": 20},
        },
    }
    if headers:
        data["headers"] = headers
    return SchemathesisConfig.from_dict(data)


def _run(platform: Platform, config: SchemathesisConfig) -> tuple[list[Failure], set[str]]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", platform.app, config=config)
    failures: list[Failure] = []
    tested: set[str] = set()
    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.FatalError):
            raise AssertionError(f"schemathesis could not run: {event.exception!r}")
        if not isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            continue
        recorder = event.recorder
        for case_id, checks in recorder.checks.items():
            interaction = recorder.interactions.get(case_id)
            if interaction is not None:
                tested.add(f"{interaction.request.method} {interaction.request.uri.split('?')[0]}")
            for check in checks:
                if check.status is not Status.FAILURE:
                    continue
                failures.append(
                    Failure(
                        check=check.name,
                        method=interaction.request.method if interaction else "?",
                        url=interaction.request.uri if interaction else "?",
                        status=(
                            interaction.response.status_code
                            if interaction and interaction.response
                            else None
                        ),
                        message=str(check.failure_info.failure)[:300] if check.failure_info else "",
                    )
                )
    return failures, tested


def _admin_token(platform: Platform) -> str:
    # The same app object as `from_asgi` gets, so the same (already started) lifespan.
    with asgi.get_client(cast(Any, platform.app)) as client:
        body = {"username": "fuzz_admin", "password": PASSWORD}
        registered = client.post("http://testserver/api/users/register", json=body)
        assert registered.status_code == 201, registered.text  # the first user: an admin
        login = client.post("http://testserver/api/users/login", json=body)
        assert login.status_code == 200, login.text
        token: str = login.json()["token"]
        return token


def test_no_5xx_and_no_undocumented_answer_anonymously(platform: Platform) -> None:
    failures, tested = _run(platform, _config())
    assert len(tested) > 50, sorted(tested)
    assert not failures, "\n".join(sorted({str(f) for f in failures}))


def test_no_5xx_and_no_undocumented_answer_as_an_admin(platform: Platform) -> None:
    token = _admin_token(platform)
    failures, tested = _run(platform, _config({"Authorization": f"Bearer {token}"}))
    assert len(tested) > 50, sorted(tested)
    assert not failures, "\n".join(sorted({str(f) for f in failures}))
