"""First visit and repeat visit on a slow mobile link (150 ms round trip, 1.6 Mbps down, 750 kbps
up, emulated by Chromium through the DevTools protocol): a first visit downloads at most 80 KB; a
repeat visit asks for none of the fingerprinted bundle again (it comes from the browser's cache);
and the shell paints from the HTML alone, with every script refused.

How fast the paint is on that link is measured in `bench/first_paint.py`, not asserted here: a
time is what a loaded machine disturbs (docs/performance.md, "First paint")."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, CDPSession, Page, expect

from tests.e2e.browser.ui import DESKTOP, FIRST_PAINT, SLOW_MOBILE, WAIT_MS

# Each script and stylesheet the page loaded, and its bytes on the wire (0: from the cache).
BUNDLE = """() => performance.getEntriesByType('resource')
  .filter((r) => r.initiatorType === 'script' || r.initiatorType === 'link')
  .map((r) => ({ name: r.name, bytes: r.transferSize }))"""


async def _slow_page(page: Page) -> tuple[CDPSession, list[int]]:
    """Emulate the link on this page; the list collects the bytes each response took on the
    wire (headers and compressed body)."""
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.emulateNetworkConditions", SLOW_MOBILE)
    transferred: list[int] = []

    def finished(event: dict[str, Any]) -> None:
        transferred.append(int(event["encodedDataLength"]))

    cdp.on("Network.loadingFinished", finished)
    return cdp, transferred


async def _visit(page: Page, url: str) -> list[dict[str, Any]]:
    """The page's scripts and stylesheets, once it shows its title and the network is idle."""
    await page.goto(url)
    await expect(page.locator("[data-page-title]").first).to_be_visible(timeout=WAIT_MS)
    await page.wait_for_load_state("networkidle")
    bundle: list[dict[str, Any]] = await page.evaluate(BUNDLE)
    return bundle


async def test_a_first_visit_is_small_and_a_repeat_visit_reuses_the_bundle(
    browser: Browser, base_url: str
) -> None:
    context = await browser.new_context(viewport=DESKTOP)
    try:
        url = f"{base_url}/#/bookclub"
        cold_page = await context.new_page()
        _, cold_bytes = await _slow_page(cold_page)
        cold = await _visit(cold_page, url)
        assert sum(cold_bytes) <= 80_000, f"{sum(cold_bytes)} bytes on a first visit"
        assert any(r["name"].endswith(".js") for r in cold), cold
        await cold_page.close()

        # A repeat visit: the fingerprinted bundle comes from the browser's cache, unasked.
        warm_page = await context.new_page()
        _, warm_bytes = await _slow_page(warm_page)
        warm = await _visit(warm_page, url)
        fetched = [r["name"] for r in warm if r["bytes"] > 0]
        assert fetched == [], f"asked again on a repeat visit: {fetched}"
        assert sum(warm_bytes) < sum(cold_bytes) / 2
    finally:
        await context.close()


async def test_the_shell_paints_without_any_script(browser: Browser, base_url: str) -> None:
    """What makes the first paint one round trip: the shell's layout and words are in the HTML,
    so the page paints content with every script refused."""
    context = await browser.new_context(viewport=DESKTOP)
    try:
        page = await context.new_page()
        await page.route("**/*.js", lambda route: route.abort())
        await page.goto(f"{base_url}/#/bookclub")
        paint: float = await page.evaluate(FIRST_PAINT)
        assert paint > 0, "no contentful paint within 5 s without scripts"
        assert (await page.locator("body").inner_text()).strip()
    finally:
        await context.close()
