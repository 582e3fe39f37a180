"""Competitions: an admin opens one, entries are submitted and edited, liked (the like shows as
pressed in every browser of the liker) and discussed in threads, the author's bell rings, and the
results come out with places."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.async_api import expect

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import WAIT_MS, local_input, log_in, screenshot, sign_up


async def test_entries_likes_threaded_comments_and_results(
    open_person: OpenPerson,
    clock: ManualClock,
    ui_platform: Platform,
    screenshots: Path,
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    ben = await open_person("ben")
    await sign_up(ben)

    # The admin opens a competition; members have no such button.
    await ben.goto("/competitions")
    await expect(ben.page.get_by_text("No competition is open right now.")).to_be_visible()
    await expect(ben.page.get_by_role("button", name="New competition")).to_have_count(0)
    await ada.goto("/competitions")
    await ada.page.get_by_role("button", name="New competition").click()
    page = ada.page
    # Messages in the person's words: an empty field is "required", dates by their labels.
    await page.get_by_role("button", name="Create competition").click()
    await expect(ada.field("Title").locator(".field-error")).to_have_text(
        "This field is required", timeout=WAIT_MS
    )
    await page.get_by_label("Title", exact=True).fill("Winter stories")
    await page.get_by_label("Description", exact=True).fill("Up to 1000 words about snow.")
    await page.get_by_label("Opens", exact=True).fill(local_input(clock.now() - timedelta(hours=1)))
    await page.get_by_label("Closes", exact=True).fill(
        local_input(clock.now() - timedelta(hours=2))
    )
    await page.get_by_role("button", name="Create competition").click()
    await expect(ada.field("Closes").locator(".field-error")).to_have_text(
        "Closes must be after Opens", timeout=WAIT_MS
    )
    await page.get_by_label("Closes", exact=True).fill(local_input(clock.now() + timedelta(days=1)))
    await page.get_by_role("button", name="Create competition").click()
    await expect(page.get_by_role("heading", name="Winter stories")).to_be_visible(timeout=WAIT_MS)
    competition_url = page.url

    # Ben finds it, enters, and fixes his title.
    await ben.goto("/competitions")
    await ben.page.get_by_role("link", name="Winter stories").click()
    await ben.page.get_by_label("Entry title", exact=True).fill("First snow")
    await ben.page.get_by_label("Your entry", exact=True).fill("The flakes came down slowly.")
    await ben.page.get_by_role("button", name="Submit entry").click()
    entry = ben.page.get_by_test_id("entry").filter(has_text="First snow")
    await expect(entry).to_be_visible(timeout=WAIT_MS)
    await entry.get_by_role("button", name="Edit entry").click()
    await entry.get_by_label("Entry title", exact=True).fill("The first snow")
    await entry.get_by_role("button", name="Save changes").click()
    await expect(ben.page.get_by_test_id("entry").first.get_by_role("heading")).to_have_text(
        "The first snow", timeout=WAIT_MS
    )
    await expect(ben.page.get_by_test_id("bell")).to_have_attribute("data-unread", "false")

    # Ada likes Ben's entry: Ben's bell lights up, live.
    await page.goto(competition_url)
    await page.reload()
    ada_entry = page.get_by_test_id("entry").filter(has_text="The first snow")
    await ada_entry.get_by_test_id("like").click()
    await expect(ada_entry.get_by_test_id("likes")).to_have_text("1", timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("unread-count")).to_have_text("1", timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("bell")).to_have_attribute("data-unread", "true")
    # Ben's open page counts the like at once.
    await expect(ben.page.get_by_test_id("entry").first.get_by_test_id("likes-count")).to_have_text(
        "♥ 1 like", timeout=WAIT_MS
    )

    # Ada's like belongs to her account: in another browser it shows as pressed too.
    ada_elsewhere = await open_person("ada")
    await log_in(ada_elsewhere)
    await ada_elsewhere.page.goto(competition_url)
    elsewhere_like = (
        ada_elsewhere.page.get_by_test_id("entry")
        .filter(has_text="The first snow")
        .get_by_test_id("like")
    )
    await expect(elsewhere_like).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
    await expect(elsewhere_like.get_by_test_id("likes")).to_have_text("1")
    await ada_elsewhere.context.close()

    # A comment and a threaded reply.
    await ada_entry.get_by_role("button", name="Comments (0)").click()
    await ada_entry.get_by_label("Add a comment", exact=True).fill("Lovely opening.")
    await ada_entry.get_by_role("button", name="Comment", exact=True).click()
    await expect(ada_entry.get_by_test_id("comment")).to_contain_text(
        "Lovely opening.", timeout=WAIT_MS
    )
    await expect(ben.page.get_by_test_id("unread-count")).to_have_text("2", timeout=WAIT_MS)
    await ben.page.reload()
    ben_entry = ben.page.get_by_test_id("entry").first
    await ben_entry.get_by_role("button", name="Comments (1)").click()
    await ben_entry.get_by_role("button", name="Reply to ada").click()
    await ben_entry.get_by_label("Reply to ada", exact=True).fill("Thank you!")
    await ben_entry.get_by_role("button", name="Reply", exact=True).click()
    nested = ben_entry.locator(".comment-tree .comment-tree .comment")
    await expect(nested).to_contain_text("Thank you!", timeout=WAIT_MS)

    # The competition ends: the results rank the entries, and Ben hears his place.
    clock.advance(2 * 86_400)
    await ui_platform.settle()
    await page.reload()
    await expect(page.get_by_test_id("results")).to_contain_text("The first snow", timeout=WAIT_MS)
    await expect(page.get_by_label("Place 1")).to_be_visible()
    await ben.page.reload()
    await expect(ben.page.get_by_test_id("results")).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("unread-count")).to_have_text("3", timeout=WAIT_MS)
    await page.get_by_test_id("entry").first.get_by_role("button", name="Comments (2)").click()
    await expect(page.locator(".comment-tree .comment-tree")).to_contain_text(
        "Thank you!", timeout=WAIT_MS
    )
    await screenshot(page, screenshots, "competition")

    await ben.page.get_by_test_id("bell").click()
    notices = ben.page.get_by_test_id("notification")
    await expect(notices).to_have_count(3, timeout=WAIT_MS)
    await expect(notices.first).to_contain_text("1st")
    await screenshot(ben.page, screenshots, "notifications")
    await ben.page.get_by_role("button", name="Mark all as read").click()
    await expect(ben.page.get_by_test_id("bell")).to_have_attribute(
        "data-unread", "false", timeout=WAIT_MS
    )
