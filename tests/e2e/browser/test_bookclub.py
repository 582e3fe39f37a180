"""The bookclub: candidates with live counts, moving a vote, closing the poll, the lobby, and the
lobbies of earlier months."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Locator, Page, expect

from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import PHONE, WAIT_MS, Person, log_in, screenshot, sign_up


def votes_of(page: Page, title: str) -> Locator:
    return page.get_by_test_id("candidate").filter(has_text=title).locator(".votes")


async def add_book(admin: Person, title: str, author: str) -> None:
    page = admin.page
    await page.get_by_label("Title", exact=True).fill(title)
    await page.get_by_label("Author", exact=True).fill(author)
    await page.get_by_role("button", name="Add book").click()
    await expect(page.get_by_text(f'"{title}" is on the ballot.')).to_be_visible(timeout=WAIT_MS)


async def test_votes_move_live_and_the_lobby_talks_live(
    open_person: OpenPerson, screenshots: Path
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    ben = await open_person("ben")
    await sign_up(ben)

    await ada.goto("/bookclub")
    await ada.page.get_by_role("button", name="Add a book").click()
    await add_book(ada, "Piranesi", "Susanna Clarke")
    await add_book(ada, "Middlemarch", "George Eliot")
    await ben.goto("/bookclub")
    await expect(votes_of(ben.page, "Piranesi")).to_have_text("0 votes", timeout=WAIT_MS)

    # Ada votes; Ben sees the count move without reloading.
    await ada.page.get_by_role("button", name="Vote for Piranesi").click()
    await expect(votes_of(ben.page, "Piranesi")).to_have_text("1 vote", timeout=WAIT_MS)
    # Ada moves her vote: one count goes down as the other goes up.
    await ada.page.get_by_role("button", name="Vote for Middlemarch").click()
    await expect(votes_of(ben.page, "Middlemarch")).to_have_text("1 vote", timeout=WAIT_MS)
    await expect(votes_of(ben.page, "Piranesi")).to_have_text("0 votes", timeout=WAIT_MS)
    await expect(ada.page.get_by_role("button", name="You vote for Middlemarch")).to_be_visible()
    await ben.page.get_by_role("button", name="Vote for Middlemarch").click()
    await expect(votes_of(ada.page, "Middlemarch")).to_have_text("2 votes", timeout=WAIT_MS)
    await expect(ada.page.get_by_test_id("total-votes")).to_contain_text("2 votes so far")
    # Counts move, rows do not: the ballot keeps the order the books joined it in.
    await expect(ada.page.get_by_test_id("candidate").first).to_contain_text("Piranesi")

    # Ben sees no admin controls; Ada closes the poll.
    await expect(ben.page.get_by_role("button", name="Close the poll")).to_have_count(0)
    await ada.page.get_by_role("button", name="Close the poll").click()
    await ada.page.get_by_role("button", name="Yes, close the poll").click()
    for person in (ada, ben):
        await expect(person.page.get_by_test_id("book-of-the-month")).to_contain_text(
            "Middlemarch", timeout=WAIT_MS
        )

    # The book's lobby: Ada chats, Ben reads it live.
    ada_chat = ada.page.get_by_label("Message", exact=True)
    await expect(ada_chat).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.get_by_label("Message", exact=True)).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.locator(".presence")).to_contain_text("ada", timeout=WAIT_MS)
    await ada_chat.fill("Who has started chapter one?")
    await ada_chat.press("Enter")
    await expect(ben.page.get_by_role("log")).to_contain_text(
        "Who has started chapter one?", timeout=WAIT_MS
    )

    # Ben starts a thread, Ada replies in it.
    await ben.page.get_by_role("button", name="Start a thread").click()
    await ben.page.get_by_label("Thread title", exact=True).fill("Dorothea's choices")
    await ben.page.get_by_label("What do you want to say?", exact=True).fill("Was she wrong?")
    await ben.page.get_by_role("button", name="Post thread").click()
    await expect(ben.page.get_by_role("heading", name="Dorothea's choices")).to_be_visible(
        timeout=WAIT_MS
    )
    await ada.goto("/bookclub")
    await ada.page.get_by_role("link", name="Dorothea's choices").click()
    await ada.page.get_by_label("Your reply", exact=True).fill("Not wrong, young.")
    await ada.page.get_by_role("button", name="Post reply").click()
    await expect(ada.page.get_by_test_id("replies")).to_contain_text(
        "Not wrong, young.", timeout=WAIT_MS
    )
    # Ben, still on his thread, sees the reply and the count without reloading.
    await expect(ben.page.get_by_test_id("replies")).to_contain_text(
        "Not wrong, young.", timeout=WAIT_MS
    )
    await expect(ben.page.get_by_role("heading", name="1 reply")).to_be_visible()

    await ada.goto("/bookclub")
    await expect(ada.page.get_by_role("log")).to_contain_text(
        "Who has started chapter one?", timeout=WAIT_MS
    )
    await expect(ada.page.get_by_test_id("threads")).to_contain_text("Dorothea's choices")
    await screenshot(ada.page, screenshots, "bookclub")

    phone = await open_person("ben", viewport=PHONE)
    await log_in(phone)
    await phone.goto("/bookclub")
    await expect(phone.page.get_by_test_id("book-of-the-month")).to_be_visible(timeout=WAIT_MS)
    await expect(phone.page.get_by_role("log")).to_contain_text("chapter one", timeout=WAIT_MS)
    await screenshot(phone.page, screenshots, "bookclub-phone")

    # Next month: Orlando wins. Middlemarch's lobby and its thread stay one click away.
    await ada.goto("/bookclub")
    await ada.page.get_by_role("button", name="Add a book").click()
    await add_book(ada, "Orlando", "Virginia Woolf")
    await ada.page.get_by_role("button", name="Vote for Orlando").click()
    await expect(votes_of(ada.page, "Orlando")).to_have_text("1 vote", timeout=WAIT_MS)
    await ada.page.get_by_role("button", name="Close the poll").click()
    await ada.page.get_by_role("button", name="Yes, close the poll").click()
    await expect(ada.page.get_by_test_id("book-of-the-month")).to_contain_text(
        "Orlando", timeout=WAIT_MS
    )
    earlier = ada.page.get_by_test_id("past-lobby").filter(has_text="Middlemarch")
    await expect(earlier).to_be_visible(timeout=WAIT_MS)
    await earlier.locator("summary").click()
    await earlier.get_by_role("link", name="Dorothea's choices").click()
    await expect(ada.page.get_by_test_id("replies")).to_contain_text(
        "Not wrong, young.", timeout=WAIT_MS
    )
