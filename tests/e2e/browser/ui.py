"""Helpers for driving the web UI as a person would: sign up, log in, go to a page, take a
screenshot, and wait for live changes with bounded waits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from playwright.async_api import BrowserContext, Locator, Page, ViewportSize, expect

PASSWORD = "correct horse battery staple"
# Bounds every wait on the page: long enough for a loaded 2-core machine, short enough to fail fast.
WAIT_MS = 10_000
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
# A slow mobile link, for Chromium's `Network.emulateNetworkConditions`: 150 ms round trip,
# 1.6 Mbps down, 750 kbps up.
SLOW_MOBILE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
# The page's first contentful paint, in ms since navigation (0 if none within 5 s).
FIRST_PAINT = """() => new Promise((resolve) => {
  const seen = performance.getEntriesByName('first-contentful-paint')[0];
  if (seen) return resolve(seen.startTime);
  setTimeout(() => resolve(0), 5000);
  new PerformanceObserver((list) => {
    const entry = list.getEntriesByName('first-contentful-paint')[0];
    if (entry) resolve(entry.startTime);
  }).observe({ type: 'paint', buffered: true });
})"""


@dataclass
class Person:
    """One person in their own browser context (own cookies and storage), on one page."""

    username: str
    base_url: str
    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)

    async def goto(self, route: str, page: Page | None = None) -> None:
        target = page or self.page
        url = f"{self.base_url}/#{route}"
        if target.url == url:
            await target.reload()  # going to the same address again would not load anything
        else:
            await target.goto(url)
        await expect(target.locator("[data-page-title]").first).to_be_visible(timeout=WAIT_MS)

    async def new_tab(self) -> Page:
        """Another tab of the same browser (shares the session, as tabs do)."""
        page = await self.context.new_page()
        watch_errors(page, self.errors)
        return page

    def field(self, label: str, page: Page | None = None) -> Locator:
        """The field (label, input and its messages) whose label is `label`."""
        target = page or self.page
        return target.locator(".field").filter(has=target.get_by_label(label, exact=True))


def watch_errors(page: Page, sink: list[str]) -> None:
    """Collect uncaught script errors: a page that throws is broken even when it looks fine."""
    page.on("pageerror", lambda error: sink.append(f"{page.url}: {error}"))


async def sign_up(person: Person) -> None:
    page = person.page
    await person.goto("/signup")
    await page.get_by_label("Username", exact=True).fill(person.username)
    await page.get_by_label("Email", exact=True).fill(f"{person.username}@example.com")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_test_id("user-menu")).to_contain_text(person.username, timeout=WAIT_MS)


async def log_in(person: Person) -> None:
    page = person.page
    await person.goto("/login")
    await page.get_by_label("Username or email", exact=True).fill(person.username)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Log in", exact=True).click()
    await expect(page.get_by_test_id("user-menu")).to_contain_text(person.username, timeout=WAIT_MS)


async def screenshot(page: Page, directory: Path, name: str) -> Path:
    """The whole page as a PNG, without the transient toasts (they cover content)."""
    await page.evaluate("document.querySelectorAll('.toast-close').forEach((b) => b.click())")
    await expect(page.locator(".toast")).to_have_count(0, timeout=WAIT_MS)
    await expect(page.locator(".loading")).to_have_count(0, timeout=WAIT_MS)
    path = directory / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


def local_input(moment: datetime) -> str:
    """A value for <input type="datetime-local"> (the browser runs in UTC)."""
    return moment.strftime("%Y-%m-%dT%H:%M")


# The words inside the elements `selector` matches that a line break cuts in two ("Mesa
# Mountai|neers"); `page.evaluate(BROKEN_WORDS, selector)`.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""
