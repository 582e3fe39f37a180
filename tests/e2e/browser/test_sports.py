"""Sports: an admin creates a category and a game and records its events; scores move on open
pages without a reload, followers of a team hear of it, and the game has its chatroom."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import expect

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.platform.deps import registered
from agora.services.warehouse.service import WarehouseService
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import PHONE, WAIT_MS, Person, local_input, log_in, screenshot, sign_up


async def record(admin: Person, event_type: str, team: str | None = None) -> None:
    page = admin.page
    await page.get_by_label("What happened", exact=True).select_option(event_type)
    if team is not None:
        await page.get_by_label("Team", exact=True).select_option(label=team)
    await page.get_by_role("button", name="Record event").click()
    await expect(page.get_by_text("Recorded: ")).to_be_visible(timeout=WAIT_MS)


async def test_scores_move_live_and_team_followers_hear_of_them(
    open_person: OpenPerson, clock: ManualClock, ui_platform: Platform, screenshots: Path
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    ben = await open_person("ben")
    await sign_up(ben)

    await ada.goto("/sports")
    page = ada.page
    await page.get_by_role("button", name="New category").click()
    await page.get_by_label("Category name", exact=True).fill("Football")
    await page.get_by_role("button", name="Add category").click()
    await expect(page.get_by_text('"Football" is added.')).to_be_visible(timeout=WAIT_MS)
    await page.get_by_role("button", name="New game").click()
    await page.get_by_label("Category", exact=True).select_option(label="Football")
    await page.get_by_label("Home team", exact=True).fill("Harbour FC")
    await page.get_by_label("Away team", exact=True).fill("Harbour FC")
    await page.get_by_label("Starts", exact=True).fill(local_input(clock.now()))
    await page.get_by_role("button", name="Create game").click()
    await expect(page.locator(".form-error")).to_contain_text(
        "The home team and the away team must be different teams", timeout=WAIT_MS
    )
    await page.get_by_label("Away team", exact=True).fill("Hill United")
    await page.get_by_role("button", name="Create game").click()
    await expect(page.get_by_role("heading", name="Harbour FC v Hill United")).to_be_visible(
        timeout=WAIT_MS
    )
    game_url = page.url

    # Ben watches the game and follows the home team.
    await ben.page.goto(game_url)
    await expect(ben.page.get_by_test_id("score")).to_have_text("0 – 0", timeout=WAIT_MS)
    await expect(ben.page.get_by_role("button", name="Record event")).to_have_count(0)
    await ben.page.get_by_role("button", name="Follow Harbour FC").click()
    await expect(ben.page.get_by_role("button", name="Unfollow Harbour FC")).to_be_visible(
        timeout=WAIT_MS
    )
    await ui_platform.settle()

    await record(ada, "period_start")
    await expect(ben.page.get_by_test_id("scoreboard")).to_contain_text("Live", timeout=WAIT_MS)
    await record(ada, "goal", "Harbour FC")
    await expect(ben.page.get_by_test_id("score")).to_have_text("1 – 0", timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("events")).to_contain_text("Goal for Harbour FC")
    await expect(ben.page.get_by_test_id("unread-count")).to_have_text("1", timeout=WAIT_MS)

    # The game's chatroom.
    ada_message = page.get_by_label("Message", exact=True)
    await expect(ada_message).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.get_by_label("Message", exact=True)).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.locator(".presence")).to_contain_text("ada", timeout=WAIT_MS)
    await ada_message.fill("What a strike!")
    await ada_message.press("Enter")
    await expect(ben.page.get_by_role("log")).to_contain_text("What a strike!", timeout=WAIT_MS)
    await record(ada, "goal", "Hill United")
    await expect(ben.page.get_by_test_id("score")).to_have_text("1 – 1", timeout=WAIT_MS)
    await screenshot(ben.page, screenshots, "game")

    # The sports page: the live card moves too, and the analytics are drawn.
    await ben.goto("/sports")
    card = ben.page.get_by_test_id("score-card").filter(has_text="Harbour FC")
    await expect(card.get_by_test_id("score")).to_have_text("1 – 1", timeout=WAIT_MS)
    await record(ada, "goal", "Harbour FC")
    await expect(card.get_by_test_id("score")).to_have_text("2 – 1", timeout=WAIT_MS)
    # Score news of one game collapses into one unread notification that keeps the latest score.
    await expect(ben.page.get_by_test_id("toasts")).to_contain_text(
        "Harbour FC 2–1 Hill United", timeout=WAIT_MS
    )
    await expect(ben.page.get_by_test_id("unread-count")).to_have_text("1")
    # The analytics come from the warehouse: drawn once its next refresh has run.
    await expect(ben.page.get_by_test_id("analytics-as-of")).to_contain_text("Not computed yet")
    await registered(ui_platform.runtimes["warehouse"].app, WarehouseService).do_refresh()
    await ben.page.reload()
    await expect(ben.page.get_by_role("img", name="Top teams by average score")).to_be_visible(
        timeout=WAIT_MS
    )
    await expect(ben.page.get_by_role("img", name="Top teams by average score")).to_have_attribute(
        "aria-label", "Top teams by average score: Harbour FC 2, Hill United 1"
    )
    await screenshot(ben.page, screenshots, "sports")

    phone = await open_person("ben", viewport=PHONE)
    await log_in(phone)
    await phone.page.goto(game_url)
    await expect(phone.page.get_by_test_id("score")).to_have_text("2 – 1", timeout=WAIT_MS)
    await expect(phone.page.get_by_role("log")).to_contain_text("What a strike!", timeout=WAIT_MS)
    await screenshot(phone.page, screenshots, "game-phone")
