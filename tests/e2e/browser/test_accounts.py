"""Signing up, logging in and out, the session across reloads and token expiry, the profile."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import expect

from agora.platform.clock import ManualClock
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import PASSWORD, WAIT_MS, screenshot, sign_up


async def test_sign_up_shows_each_field_error_beside_its_field(open_person: OpenPerson) -> None:
    first = await open_person("first")
    await sign_up(first)
    person = await open_person("second")
    page = person.page
    await person.goto("/signup")
    await page.get_by_label("Username", exact=True).fill("No Way")
    await page.get_by_label("Email", exact=True).fill("not-an-email")
    await page.get_by_label("Password", exact=True).fill("short")
    await page.get_by_role("button", name="Create account").click()

    username = person.field("Username")
    await expect(username.locator(".field-error")).to_have_text(
        "Must be 3 to 32 characters of lowercase letters, digits and underscores", timeout=WAIT_MS
    )
    await expect(person.field("Password").locator(".field-error")).to_have_text(
        "Use at least 12 characters"
    )
    await expect(person.field("Email").locator(".field-error")).to_have_text(
        "Enter a valid email address"
    )
    await expect(page.get_by_label("Username", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    await expect(page.get_by_label("Username", exact=True)).to_be_focused()
    await expect(page.locator("body")).not_to_contain_text('"status"')

    # A name someone already has is refused by the server, next to the field again.
    await page.get_by_label("Username", exact=True).fill("first")
    await page.get_by_label("Email", exact=True).fill("second@example.com")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await expect(username.locator(".field-error")).to_have_text(
        "Already registered", timeout=WAIT_MS
    )

    await page.get_by_label("Username", exact=True).fill("second")
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_test_id("user-menu")).to_contain_text("second", timeout=WAIT_MS)


async def test_a_wrong_password_is_said_in_words(open_person: OpenPerson) -> None:
    person = await open_person("reader")
    await sign_up(person)
    page = person.page
    await page.get_by_test_id("user-menu").click()
    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible(
        timeout=WAIT_MS
    )
    await person.goto("/login")
    await page.get_by_label("Username or email", exact=True).fill("reader")
    await page.get_by_label("Password", exact=True).fill("not the password at all")
    await page.get_by_role("button", name="Log in", exact=True).click()
    await expect(page.locator(".form-error")).to_have_text(
        "Invalid username, email or password", timeout=WAIT_MS
    )


async def test_the_session_outlives_reloads_and_expired_tokens_until_logout(
    open_person: OpenPerson, clock: ManualClock
) -> None:
    person = await open_person("keeper")
    await sign_up(person)
    page = person.page
    await page.reload()
    await expect(page.get_by_test_id("user-menu")).to_contain_text("keeper", timeout=WAIT_MS)
    first_refresh = await page.evaluate("JSON.parse(localStorage['agora.session']).refresh_token")

    # The access token expires; two tabs and several parallel requests each meet a 401. One
    # refresh must serve them all: a refresh token spent twice would end the session.
    clock.advance(16 * 60)
    second = await person.new_tab()
    await person.goto("/profile")
    await person.goto("/profile", page=second)
    await expect(page.get_by_role("heading", name="keeper")).to_be_visible(timeout=WAIT_MS)
    await expect(second.get_by_role("heading", name="keeper")).to_be_visible(timeout=WAIT_MS)
    rotated = await page.evaluate("JSON.parse(localStorage['agora.session']).refresh_token")
    assert rotated != first_refresh
    await page.reload()
    await second.reload()
    await expect(page.get_by_test_id("user-menu")).to_contain_text("keeper", timeout=WAIT_MS)
    await expect(second.get_by_test_id("user-menu")).to_contain_text("keeper", timeout=WAIT_MS)

    await page.get_by_test_id("user-menu").click()
    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible(
        timeout=WAIT_MS
    )
    await page.reload()
    await expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible(
        timeout=WAIT_MS
    )
    # The other tab hears of it too.
    await expect(second.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible(
        timeout=WAIT_MS
    )


async def test_the_profile_page_edits_bio_and_notification_preferences(
    open_person: OpenPerson, screenshots: Path
) -> None:
    person = await open_person("writer")
    await sign_up(person)
    page = person.page
    await person.goto("/profile")
    await page.get_by_label("Bio", exact=True).fill("I read on trains.")
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_text("Your profile is saved.")).to_be_visible(timeout=WAIT_MS)

    await page.get_by_label("Picture URL", exact=True).fill("not a url")
    await page.get_by_role("button", name="Save profile").click()
    await expect(person.field("Picture URL").locator(".field-error")).to_have_text(
        "Must be an http(s) URL, or empty to remove the picture", timeout=WAIT_MS
    )
    await page.get_by_label("Picture URL", exact=True).fill("")

    await page.get_by_label("New followers", exact=True).uncheck()
    await page.get_by_role("button", name="Save preferences").click()
    await expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible(
        timeout=WAIT_MS
    )
    await page.reload()
    await expect(page.get_by_label("Bio", exact=True)).to_have_value(
        "I read on trains.", timeout=WAIT_MS
    )
    await expect(page.get_by_label("New followers", exact=True)).not_to_be_checked()
    await expect(page.get_by_label("Likes on my entries", exact=True)).to_be_checked()
    await screenshot(page, screenshots, "profile")
