"""A live connection that the server drops comes back by itself, says so, and catches up on what
happened while it was away."""

from __future__ import annotations

from playwright.async_api import expect

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import WAIT_MS, sign_up

# Records every state the connection indicator shows, however briefly.
RECORD_STATES = """() => {
  const indicator = document.querySelector('[data-testid=connection]');
  window.connectionStates = [];
  new MutationObserver(() => window.connectionStates.push(indicator.dataset.state)).observe(
    indicator, { attributes: true, childList: true, subtree: true, characterData: true });
}"""


async def test_a_dropped_socket_reconnects_and_catches_up(
    open_person: OpenPerson, ui_platform: Platform
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    ben = await open_person("ben")
    await sign_up(ben)
    await ada.goto("/bookclub")
    await ada.page.get_by_role("button", name="Add a book").click()
    await ada.page.get_by_label("Title", exact=True).fill("Piranesi")
    await ada.page.get_by_label("Author", exact=True).fill("Susanna Clarke")
    await ada.page.get_by_role("button", name="Add book").click()
    await expect(ada.page.get_by_role("button", name="Vote for Piranesi")).to_be_visible(
        timeout=WAIT_MS
    )

    await ben.goto("/bookclub")
    indicator = ben.page.get_by_test_id("connection")
    await expect(indicator).to_have_text("Live", timeout=WAIT_MS)
    await ben.page.evaluate(RECORD_STATES)

    # The server ends every live subscription (as a hub restart would): sockets close.
    await ui_platform.hub.close()
    await ada.page.get_by_role("button", name="Vote for Piranesi").click()

    votes = ben.page.get_by_test_id("candidate").filter(has_text="Piranesi").locator(".votes")
    await expect(votes).to_have_text("1 vote", timeout=WAIT_MS)
    await expect(indicator).to_have_text("Live", timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("toasts")).to_contain_text(
        "Reconnected — you are live again.", timeout=WAIT_MS
    )
    states = await ben.page.evaluate("window.connectionStates")
    assert "reconnecting" in states, states
    assert states[-1] == "live", states

    # And it keeps working: the next change arrives live.
    await ben.page.get_by_role("button", name="Vote for Piranesi").click()
    await expect(ada.page.get_by_test_id("candidate").locator(".votes")).to_have_text(
        "2 votes", timeout=WAIT_MS
    )


async def test_a_socket_refused_for_an_expired_token_refreshes_it_and_comes_back(
    open_person: OpenPerson, ui_platform: Platform, clock: ManualClock
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    ben = await open_person("ben")
    await sign_up(ben)
    await ada.goto("/timeline")
    indicator = ada.page.get_by_test_id("connection")
    await expect(indicator).to_have_text("Live", timeout=WAIT_MS)
    first = await ada.page.evaluate("JSON.parse(localStorage['agora.session']).token")

    # The access token expires while the sockets are up; then they drop. Reconnecting with the
    # old token is refused (4401): the page refreshes the token once and connects again. Nothing
    # else on the page asks the API meanwhile, so only the sockets can have refreshed it.
    clock.advance(16 * 60)
    async with ada.page.expect_response(
        lambda response: response.url.endswith("/api/users/refresh"), timeout=WAIT_MS
    ) as refreshed:
        await ui_platform.hub.close()
    assert (await refreshed.value).status == 200
    assert await ada.page.evaluate("JSON.parse(localStorage['agora.session']).token") != first
    await expect(indicator).to_have_attribute("data-state", "live", timeout=WAIT_MS)

    # The bell's socket is back with the new token: a follow reaches Ada live.
    await ben.goto("/timeline")
    await ben.page.get_by_label("Username starts with").fill("ada")
    await ben.page.get_by_role("button", name="Find").click()
    await ben.page.get_by_role("button", name="Follow ada").click()
    await expect(ada.page.get_by_test_id("unread-count")).to_have_text("1", timeout=WAIT_MS)
    await expect(ada.page.get_by_test_id("user-menu")).to_contain_text("ada")
