"""Fixtures of the browser tests: the embedded platform with every service on fresh SQLite
databases behind a real server, a Chromium driven by Playwright, and people in it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, ViewportSize, async_playwright

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from tests.e2e.browser.chromium import chromium_or_skip
from tests.e2e.browser.ui import DESKTOP, Person, watch_errors
from tests.support.databases import DatabaseFactory
from tests.support.live import live_server
from tests.support.platform import running_platform

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ALL_SERVICES = (
    "users",
    "voting",
    "discussions",
    "competitions",
    "reviews",
    "timeline",
    "sports",
    "notifications",
    "warehouse",
)

OpenPerson = Callable[..., Awaitable[Person]]


@pytest.fixture
def clock() -> ManualClock:
    """Mid-month, so moving the clock a day never closes the month's poll by itself."""
    return ManualClock(datetime(2026, 6, 15, 9, 0, tzinfo=UTC))


@pytest.fixture
async def ui_platform(
    database_factory: DatabaseFactory, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[Platform]:
    async with running_platform(
        database_factory, "sqlite", tmp_path, services=ALL_SERVICES, clock=clock
    ) as platform:
        yield platform


@pytest.fixture
async def base_url(ui_platform: Platform) -> AsyncIterator[str]:
    async with live_server(ui_platform.app) as hostport:
        yield f"http://{hostport}"


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Session-scoped, so it is resolved before any platform starts: a test without a browser is
    skipped (or failed) at once."""
    return chromium_or_skip()


@pytest.fixture
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        # launch() starts from a fresh temporary profile each time.
        chromium = await playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
def screenshots(artifacts_dir: Path) -> Path:
    path = artifacts_dir / "screenshots"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
async def open_person(browser: Browser, base_url: str) -> AsyncIterator[OpenPerson]:
    """Opens a person's own browser context (another person = another context)."""
    people: list[Person] = []

    async def open_one(username: str, viewport: ViewportSize | None = None) -> Person:
        context = await browser.new_context(
            viewport=viewport or DESKTOP, timezone_id="UTC", locale="en-GB"
        )
        page = await context.new_page()
        person = Person(username, base_url, context, page)
        watch_errors(page, person.errors)
        people.append(person)
        return person

    yield open_one
    errors = [error for person in people for error in person.errors]
    for person in people:
        await person.context.close()
    assert errors == [], errors
