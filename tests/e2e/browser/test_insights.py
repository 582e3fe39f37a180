"""Insights: an admin sees the community's activity as charts drawn from the warehouse, on a
desktop and on a phone; members do not; the sports analytics say when they were computed."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, expect

from agora.entrypoints.demo import seed_demo
from agora.entrypoints.embedded import Platform
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import PHONE, WAIT_MS, Person, screenshot


async def _log_in(person: Person, password: str) -> Page:
    page = person.page
    await person.goto("/login")
    await page.get_by_label("Username or email", exact=True).fill(person.username)
    await page.get_by_label("Password", exact=True).fill(password)
    await page.get_by_role("button", name="Log in", exact=True).click()
    await expect(page.get_by_test_id("user-menu")).to_contain_text(person.username, timeout=WAIT_MS)
    return page


async def test_an_admin_sees_the_community_in_charts(
    open_person: OpenPerson, ui_platform: Platform, screenshots: Path
) -> None:
    accounts = await seed_demo(ui_platform)  # and loads the warehouse once
    assert accounts is not None
    passwords = {a.username: a.password for a in accounts}

    admin = await open_person("agora")
    page = await _log_in(admin, passwords["agora"])
    await page.get_by_role("link", name="Insights").click()
    await expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible(
        timeout=WAIT_MS
    )
    await expect(page.get_by_test_id("as-of")).to_contain_text("As of", timeout=WAIT_MS)
    stats = page.locator(".stat")
    await expect(stats.filter(has_text="votes")).to_contain_text("5")
    await expect(stats.filter(has_text="entries")).to_contain_text("2")
    # Time series, bars and a distribution, each an SVG with its numbers in words.
    for name in ("Members, day by day", "Activity, day by day"):
        await expect(page.get_by_role("img", name=name)).to_be_visible()
    albums = page.get_by_role("img", name="Best-rated albums")
    await expect(albums).to_contain_text("Kind of Blue")
    await expect(page.get_by_role("img", name="Reviews by rating")).to_be_visible()
    await expect(page.get_by_role("img", name="Competition participation")).to_be_visible()
    await expect(page.locator("svg.chart path")).to_have_count(6)  # 2 + 4 lines
    await screenshot(page, screenshots, "insights-desktop")

    # A shorter period is asked of the server and drawn again.
    await page.get_by_label("Period").select_option(label="Last 7 days")
    members = page.get_by_role("img", name="Members, day by day")
    await expect(members).to_have_attribute(
        "aria-label", re.compile("2026-06-09 to 2026-06-15: .*new members 6"), timeout=WAIT_MS
    )

    # A refresh on demand reports what it moved.
    await page.get_by_test_id("refresh").click()
    await expect(page.get_by_text("Refreshed: 0 rows changed")).to_be_visible(timeout=WAIT_MS)

    # The sports page reads the same warehouse and says when.
    await page.get_by_role("link", name="Sports").click()
    await expect(page.get_by_test_id("analytics-as-of")).to_contain_text("As of", timeout=WAIT_MS)

    # A genre's page shows how its albums are rated, from the same warehouse.
    await admin.goto("/music/genres/rock")
    await expect(page.get_by_role("img", name="Reviews of rock albums by stars")).to_be_visible(
        timeout=WAIT_MS
    )

    # On a phone the charts stack and stay readable.
    phone = await open_person("agora", viewport=PHONE)
    phone_page = await _log_in(phone, passwords["agora"])
    await phone.goto("/insights")
    await expect(phone_page.get_by_role("img", name="Best-rated albums")).to_be_visible(
        timeout=WAIT_MS
    )
    width = await phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    await screenshot(phone_page, screenshots, "insights-phone")

    # A member is told the page is not for them.
    mira = await open_person("mira")
    member_page = await _log_in(mira, passwords["mira"])
    await expect(member_page.get_by_role("link", name="Insights")).to_have_count(0)
    await mira.goto("/insights")
    await expect(member_page.get_by_text("Insights are for admins.")).to_be_visible(timeout=WAIT_MS)
