"""The profile page's "Delete my account" and the restore flow on the login page, and "Download
my data", in headless Chromium."""

from __future__ import annotations

from playwright.async_api import expect

from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import PASSWORD, WAIT_MS, sign_up

SAGA_MS = 30_000


async def test_delete_my_account_then_restore_it_on_login(open_person: OpenPerson) -> None:
    await sign_up(await open_person("admin"))
    person = await open_person("leaver")
    await sign_up(person)
    page = person.page
    await person.goto("/profile")
    deletion = page.get_by_role("form", name="Delete my account")
    await expect(page.get_by_text("Threads and comments others answered")).to_be_visible(
        timeout=WAIT_MS
    )
    await deletion.get_by_label("Your password").fill(PASSWORD)
    await deletion.get_by_label("Grace period (days)").fill("7")
    await deletion.get_by_role("button", name="Delete my account").click()
    # Not without the confirmation.
    await expect(deletion.locator(".field-error")).to_have_text(
        "Tick the box to confirm", timeout=WAIT_MS
    )
    await deletion.get_by_label("I understand what will be deleted").check()
    await deletion.get_by_role("button", name="Delete my account").click()
    await expect(page.get_by_text("Your account is scheduled for deletion on")).to_be_visible(
        timeout=WAIT_MS
    )
    await expect(page.get_by_test_id("user-menu")).to_have_count(0)

    await person.goto("/login")
    await page.get_by_label("Username or email", exact=True).fill("leaver")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Log in", exact=True).click()
    region = page.get_by_role("region", name="Account scheduled for deletion")
    await expect(region).to_contain_text("hidden", timeout=SAGA_MS)
    await region.get_by_role("button", name="Restore my account").click()
    # Restored, then logged in with the same credentials.
    await expect(page.get_by_test_id("user-menu")).to_contain_text("leaver", timeout=SAGA_MS)


async def test_download_my_data(open_person: OpenPerson) -> None:
    person = await open_person("keeper")
    await sign_up(person)
    page = person.page
    await person.goto("/profile")
    await page.get_by_role("button", name="Download my data").click()
    button = page.get_by_role("button", name="Download the archive")
    await expect(button).to_be_visible(timeout=SAGA_MS)
    async with page.expect_download() as waiting:
        await button.click()
    download = await waiting.value
    assert download.suggested_filename.endswith(".zip")
