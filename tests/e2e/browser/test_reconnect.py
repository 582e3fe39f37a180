"""A live connection that the server drops comes back by itself, says so, and catches up on what
happened while it was away."""

from __future__ import annotations

import asyncio

from playwright.async_api import Page, expect

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


# Keeps every WebSocket the page opens (window.sockets), so a test can drop them from the browser.
KEEP_SOCKETS = """(() => {
  window.sockets = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.sockets.push(this);
    }
  };
})();"""
# Records the text of every toast shown, however briefly.
RECORD_TOASTS = """() => {
  window.toastTexts = [];
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.classList.contains('toast')) {
          window.toastTexts.push(node.textContent);
        }
      }
    }
  }).observe(document.querySelector('[data-testid=toasts]'), { childList: true });
}"""
RECONNECTED = "Reconnected — you are live again."
# Closes the open sockets one after another, `gap` ms apart, as a flaky network would.
DROP_SOCKETS_ONE_BY_ONE = """async (gap) => {
  const open = window.sockets.filter((ws) => ws.readyState === WebSocket.OPEN);
  for (const ws of open) {
    ws.close(3000, 'dropped by the test');
    await new Promise((resolve) => setTimeout(resolve, gap));
  }
  return open.length;
}"""


async def _reconnected_toasts(page: Page) -> int:
    texts: list[str] = await page.evaluate("window.toastTexts")
    return sum(RECONNECTED in text for text in texts)


async def test_one_reconnect_is_said_once(open_person: OpenPerson, ui_platform: Platform) -> None:
    ada = await open_person("ada")
    await ada.context.add_init_script(script=KEEP_SOCKETS)
    await sign_up(ada)
    await ada.goto("/bookclub")
    indicator = ada.page.get_by_test_id("connection")
    await expect(indicator).to_have_text("Live", timeout=WAIT_MS)
    # The bookclub page keeps more than one socket: the poll's and the bell's.
    assert (
        await ada.page.evaluate(
            "window.sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length"
        )
        >= 2
    )
    await ada.page.evaluate(RECORD_TOASTS)

    # The server drops every socket at once: they come back, and the person is told once.
    await ui_platform.hub.close()
    await expect(ada.page.get_by_test_id("toasts")).to_contain_text(RECONNECTED, timeout=WAIT_MS)
    await expect(indicator).to_have_attribute("data-state", "live", timeout=WAIT_MS)
    await asyncio.sleep(3)  # long enough for a second message to have come
    assert await _reconnected_toasts(ada.page) == 1

    # The browser loses its sockets one after another (the second while the first is coming
    # back): still one outage, one message.
    await ada.page.evaluate("document.querySelectorAll('.toast-close').forEach((b) => b.click())")
    dropped = await ada.page.evaluate(DROP_SOCKETS_ONE_BY_ONE, 700)
    assert dropped >= 2
    await expect(ada.page.get_by_test_id("toasts")).to_contain_text(RECONNECTED, timeout=WAIT_MS)
    await expect(indicator).to_have_attribute("data-state", "live", timeout=WAIT_MS)
    await asyncio.sleep(3)
    assert await _reconnected_toasts(ada.page) == 2


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
    # The answer is stored a moment after it arrives.
    await ada.page.wait_for_function(
        "(first) => JSON.parse(localStorage['agora.session']).token !== first",
        arg=first,
        timeout=WAIT_MS,
    )
    await expect(indicator).to_have_attribute("data-state", "live", timeout=WAIT_MS)

    # The bell's socket is back with the new token: a follow reaches Ada live.
    await ben.goto("/timeline")
    await ben.page.get_by_label("Username starts with").fill("ada")
    await ben.page.get_by_role("button", name="Find").click()
    # (The search's answer, not the "Who to follow" card beside it, which may offer Ada too.)
    await (
        ben.page.get_by_role("region", name="Find people")
        .get_by_role("button", name="Follow ada")
        .click()
    )
    await expect(ada.page.get_by_test_id("unread-count")).to_have_text("1", timeout=WAIT_MS)
    await expect(ada.page.get_by_test_id("user-menu")).to_contain_text("ada")
