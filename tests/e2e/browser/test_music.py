"""Music: the catalog and its search, an album's reviews and summary, writing, editing and deleting
one's review (with the error for a second review), and the album's and genre's live rooms."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import expect

from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import WAIT_MS, screenshot, sign_up


async def test_reviews_their_errors_and_the_live_rooms(
    open_person: OpenPerson, screenshots: Path
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    ben = await open_person("ben")
    await sign_up(ben)

    await ada.goto("/music")
    await ada.page.get_by_role("button", name="Add an album").click()
    await ada.page.get_by_label("Title", exact=True).fill("Kind of Blue")
    await ada.page.get_by_label("Artist", exact=True).fill("Miles Davis")
    await ada.page.get_by_label("Genre", exact=True).fill("Jazz")
    await ada.page.get_by_label("Year", exact=True).fill("1959")
    await ada.page.get_by_role("button", name="Add album").click()
    await expect(ada.page.get_by_role("heading", name="Kind of Blue")).to_be_visible(
        timeout=WAIT_MS
    )

    # Ben searches the catalog and opens the album in two tabs.
    await ben.goto("/music")
    await expect(ben.page.get_by_role("button", name="Add an album")).to_have_count(0)
    await ben.page.get_by_label("Search albums").fill("miles")
    await ben.page.get_by_role("link", name="Kind of Blue").click()
    await expect(ben.page.get_by_role("heading", name="Kind of Blue")).to_be_visible(
        timeout=WAIT_MS
    )
    album_url = ben.page.url
    other_tab = await ben.new_tab()
    await other_tab.goto(album_url)
    await expect(other_tab.get_by_role("group", name="Your rating")).to_be_visible(timeout=WAIT_MS)

    # No rating picked: the message sits by the stars.
    page = ben.page
    await page.get_by_role("button", name="Post review").click()
    await expect(page.get_by_test_id("star-rating").locator(".field-error")).to_have_text(
        "This field is required", timeout=WAIT_MS
    )
    await page.get_by_role("radio", name="4.5 stars").check()
    await page.get_by_label("Your review", exact=True).fill("Timeless.")
    await page.get_by_role("button", name="Post review").click()
    await expect(page.get_by_test_id("my-review")).to_contain_text("Timeless.", timeout=WAIT_MS)
    await expect(page.get_by_test_id("average")).to_have_text("4.5")
    await expect(page.get_by_test_id("reviews")).to_contain_text("ben")

    # The other tab still shows the form: its second review is refused, in words, by the form.
    await other_tab.get_by_role("radio", name="2 stars", exact=True).check()
    await other_tab.get_by_role("button", name="Post review").click()
    await expect(other_tab.locator(".form-error")).to_contain_text(
        "You already reviewed this album", timeout=WAIT_MS
    )
    await other_tab.close()

    await page.get_by_role("button", name="Edit review").click()
    await page.get_by_role("radio", name="3.5 stars").check()
    await page.get_by_role("button", name="Save review").click()
    await expect(page.get_by_test_id("average")).to_have_text("3.5", timeout=WAIT_MS)

    # The album's room: Ada writes, Ben reads it live.
    await ada.page.reload()
    await expect(ada.page.get_by_test_id("average")).to_have_text("3.5", timeout=WAIT_MS)
    ada_message = ada.page.get_by_label("Message", exact=True)
    await expect(ada_message).to_be_visible(timeout=WAIT_MS)
    await expect(page.locator(".presence")).to_contain_text("ada", timeout=WAIT_MS)
    await ada_message.fill("That trumpet on So What!")
    await ada_message.press("Enter")
    await expect(page.get_by_role("log")).to_contain_text(
        "That trumpet on So What!", timeout=WAIT_MS
    )
    await screenshot(page, screenshots, "album")

    await page.get_by_role("button", name="Delete review").click()
    await page.get_by_role("button", name="Yes, delete it").click()
    await expect(page.get_by_text("No reviews yet. Be the first to write one.")).to_be_visible(
        timeout=WAIT_MS
    )
    await expect(page.get_by_test_id("average")).to_have_text("–")

    # The genre's room, reached from the album.
    await page.get_by_role("link", name="Jazz").click()
    await expect(page.get_by_role("heading", name="#jazz")).to_be_visible(timeout=WAIT_MS)
    await ada.goto("/music/genres/jazz")
    ben_message = page.get_by_label("Message", exact=True)
    await expect(ben_message).to_be_visible(timeout=WAIT_MS)
    await expect(ada.page.get_by_label("Message", exact=True)).to_be_visible(timeout=WAIT_MS)
    await expect(page.locator(".presence")).to_contain_text("ada", timeout=WAIT_MS)
    await ben_message.fill("Anyone into hard bop?")
    await ben_message.press("Enter")
    await expect(ada.page.get_by_role("log")).to_contain_text(
        "Anyone into hard bop?", timeout=WAIT_MS
    )
