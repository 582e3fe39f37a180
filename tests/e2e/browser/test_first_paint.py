"""First paint on a slow mobile link (150 ms round trip, 1.6 Mbps down, 750 kbps up, emulated by
Chromium through the DevTools protocol): the app shell paints within 1 s on a first visit and
0.5 s on a repeat visit, and a first visit downloads at most 80 KB."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, CDPSession, Page, expect

from tests.e2e.browser.ui import DESKTOP, WAIT_MS

SLOW_MOBILE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
FCP = """() => new Promise((resolve) => {
  const seen = performance.getEntriesByName('first-contentful-paint')[0];
  if (seen) return resolve(seen.startTime);
  new PerformanceObserver((list) => {
    const entry = list.getEntriesByName('first-contentful-paint')[0];
    if (entry) resolve(entry.startTime);
  }).observe({ type: 'paint', buffered: true });
})"""


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


async def _visit(page: Page, url: str) -> float:
    await page.goto(url)
    await expect(page.locator("[data-page-title]").first).to_be_visible(timeout=WAIT_MS)
    fcp: float = await page.evaluate(FCP)
    return fcp


async def test_the_shell_paints_fast_on_a_slow_link_cold_and_warm(
    browser: Browser, base_url: str
) -> None:
    context = await browser.new_context(viewport=DESKTOP)
    try:
        url = f"{base_url}/#/bookclub"
        cold_page = await context.new_page()
        _, cold_bytes = await _slow_page(cold_page)
        # The shell is in the HTML itself: its layout shows before any script runs.
        cold = await _visit(cold_page, url)
        await cold_page.wait_for_load_state("networkidle")
        assert cold <= 1000, f"first contentful paint {cold:.0f} ms on a first visit"
        assert sum(cold_bytes) <= 80_000, f"{sum(cold_bytes)} bytes on a first visit"
        await cold_page.close()

        # A repeat visit: the fingerprinted bundle comes from the browser's cache, unasked.
        warm_page = await context.new_page()
        _, warm_bytes = await _slow_page(warm_page)
        warm = await _visit(warm_page, url)
        assert warm <= 500, f"first contentful paint {warm:.0f} ms on a repeat visit"
        assert sum(warm_bytes) < sum(cold_bytes) / 2
    finally:
        await context.close()
