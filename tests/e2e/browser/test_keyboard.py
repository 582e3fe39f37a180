"""The UI by keyboard alone: signing up, skipping to the content, the user menu, adding a book and
voting, with a visible focus ring on whatever has focus."""

from __future__ import annotations

from playwright.async_api import Locator, expect

from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import PASSWORD, WAIT_MS


async def outline_of(locator: Locator) -> str:
    return str(await locator.evaluate("(el) => getComputedStyle(el).outlineStyle"))


async def test_everything_on_the_way_works_by_keyboard(open_person: OpenPerson) -> None:
    person = await open_person("keys")
    page = person.page
    await person.goto("/signup")
    await page.get_by_label("Username", exact=True).focus()
    await page.keyboard.type("keys")
    await page.keyboard.press("Tab")
    await page.keyboard.type("keys@example.com")
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("user-menu")).to_contain_text("keys", timeout=WAIT_MS)

    # The first Tab reaches "Skip to content", which moves focus to the page's heading.
    await person.goto("/bookclub")
    await page.locator("body").focus()
    await page.keyboard.press("Tab")
    skip = page.get_by_role("button", name="Skip to content")
    await expect(skip).to_be_focused()
    await expect(skip).to_be_in_viewport()
    assert await outline_of(skip) == "solid"
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Bookclub", level=1)).to_be_focused()

    # The user menu is a plain disclosure (no `aria-haspopup` promising arrow keys): it opens
    # with Enter, its links are next in the Tab order, and Escape closes it, giving focus back.
    menu = page.get_by_test_id("user-menu")
    assert await menu.get_attribute("aria-haspopup") is None
    await menu.focus()
    await page.keyboard.press("Enter")
    await expect(menu).to_have_attribute("aria-expanded", "true")
    await expect(page.get_by_role("link", name="Your profile")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(menu).to_have_attribute("aria-expanded", "false")
    await expect(menu).to_be_focused()

    # Add a book and vote for it without the mouse.
    add = page.get_by_role("button", name="Add a book")
    await add.focus()
    assert await outline_of(add) == "solid"
    await page.keyboard.press("Enter")
    await page.get_by_label("Title", exact=True).focus()
    await page.keyboard.type("Piranesi")
    await page.keyboard.press("Tab")
    await page.keyboard.type("Susanna Clarke")
    await page.keyboard.press("Enter")
    vote = page.get_by_role("button", name="Vote for Piranesi")
    await expect(vote).to_be_visible(timeout=WAIT_MS)
    await vote.focus()
    await page.keyboard.press("Space")
    # The focus stays on the button, now saying whom I vote for.
    await expect(page.get_by_role("button", name="You vote for Piranesi")).to_be_focused(
        timeout=WAIT_MS
    )
