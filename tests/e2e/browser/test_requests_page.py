"""The admin page of slow and failed requests: an admin finds the request, opens its trace and
reads the waterfall; a member is told the page is not theirs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import expect

from agora.entrypoints.embedded import Platform
from agora.platform.logging import ecs_formatter
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import WAIT_MS, screenshot, sign_up
from tests.support.traces import TRACE_ID, TRACEPARENT, store_a_span


@pytest.fixture
def platform_log(ui_platform: Platform) -> Iterator[Path]:
    """The ECS lines `agora up` keeps in the data dir."""
    path = ui_platform.settings.data_dir.resolve() / "logs" / "platform.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path)
    handler.setFormatter(ecs_formatter())
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    try:
        yield path
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


async def test_an_admin_opens_a_slow_requests_trace(
    open_person: OpenPerson,
    ui_platform: Platform,
    base_url: str,
    platform_log: Path,
    screenshots: Path,
) -> None:
    admin = await open_person("boss")
    await sign_up(admin)  # the first user: an admin
    page = admin.page
    await expect(page.get_by_test_id("user-menu")).to_contain_text("boss", timeout=WAIT_MS)
    async with httpx.AsyncClient(base_url=base_url) as http:
        traced = await http.get("/api/books", headers={"traceparent": TRACEPARENT})
        assert traced.status_code == 200
    store_a_span(ui_platform.settings.data_dir.resolve())

    await page.get_by_test_id("user-menu").click()
    await page.get_by_role("link", name="Slow and failed requests").click()
    await expect(page.get_by_role("heading", name="Slow and failed requests")).to_be_visible(
        timeout=WAIT_MS
    )
    await admin.goto("/admin/requests?slow=0.001")  # every request is slower than a microsecond
    row = page.get_by_test_id("slow-request").filter(has_text="GET /api/books")
    await expect(row).to_contain_text("200", timeout=WAIT_MS)
    await expect(row).to_contain_text(TRACE_ID)
    await row.get_by_role("button", name="Show trace").click()
    waterfall = row.get_by_role("list", name="Spans of the trace")
    await expect(waterfall).to_contain_text("GET /api/users/{user_id}", timeout=WAIT_MS)
    await expect(waterfall.locator(".waterfall-bar")).to_have_count(1)
    await screenshot(page, screenshots, "admin-slow-requests")


async def test_a_member_is_told_the_page_is_for_admins(open_person: OpenPerson) -> None:
    first = await open_person("first")
    await sign_up(first)
    member = await open_person("member")
    await sign_up(member)
    await member.goto("/admin/requests")
    await expect(member.page.get_by_text("Only admins see this page.")).to_be_visible(
        timeout=WAIT_MS
    )
