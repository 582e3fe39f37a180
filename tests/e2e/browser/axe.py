"""axe-core, the accessibility engine, from its npm package (`webui/package.json`): installed with
`npm ci` on first use when `make webui` has not run, then run in the page through the DevTools
protocol (so the page's Content-Security-Policy, which allows no injected script, is not in the
way)."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from playwright.async_api import Page

WEBUI = Path(__file__).resolve().parents[3] / "webui"
AXE = WEBUI / "node_modules" / "axe-core" / "axe.min.js"
# What fails a page: axe's two worst impacts, over WCAG 2.1 A and AA and axe's best practices.
FAILING = ("critical", "serious")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\\s+/g, ' ')}`),
  }));
}"""


@cache
def axe_source() -> str:
    """axe.min.js, installing the npm package first if needed (once, even with several workers)."""
    with open(WEBUI / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not AXE.is_file():
            npm = shutil.which("npm")
            assert npm is not None, "axe-core comes from npm: install Node.js and npm"
            subprocess.run(  # noqa: S603 - npm from PATH, fixed arguments
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=WEBUI,
                check=True,
                capture_output=True,
                timeout=300,
            )
    return AXE.read_text(encoding="utf-8")


async def violations(page: Page) -> list[dict[str, Any]]:
    """The page's critical and serious violations, each with the nodes it concerns."""
    if not await page.evaluate("typeof window.axe === 'object'"):
        await page.evaluate(axe_source())
    found: list[dict[str, Any]] = await page.evaluate(RUN, TAGS)
    return [v for v in found if v["impact"] in FAILING]
