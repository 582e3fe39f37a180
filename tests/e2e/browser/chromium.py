"""Which Chromium the browser tests drive: `AGORA_CHROMIUM` if set, else Debian's, else one
Playwright installed. With none, the tests are skipped with the command that installs one, unless
`AGORA_REQUIRE_BROWSER=1` (CI) makes a missing browser a failure."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from tests.support import requirements

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = (
    "install one with `.venv/bin/playwright install chromium` "
    "(or Debian's, as root: `apt-get install chromium`)"
)
REQUIRE_VARIABLE = "AGORA_REQUIRE_BROWSER"
CHROMIUM_VARIABLE = "AGORA_CHROMIUM"


def playwright_browsers(environ: Mapping[str, str]) -> Path:
    """Where `playwright install` puts browsers (its own variable may move them)."""
    configured = environ.get("PLAYWRIGHT_BROWSERS_PATH", "")
    if configured and configured != "0":
        return Path(configured)
    return Path(environ.get("HOME", str(Path.home()))) / ".cache" / "ms-playwright"


def _revision(path: Path) -> int:
    found = re.search(r"-(\d+)$", path.name)
    return int(found.group(1)) if found else -1


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_chromium(debian: Path, browsers: Path | None) -> Path | None:
    """Debian's Chromium, else the newest full Chromium in Playwright's browser folder (when one is
    given), else None."""
    if _executable(debian):
        return debian
    if browsers is None:
        return None
    # Playwright keeps one `chromium-<revision>` folder per browser build it installed; the binary
    # sits in `chrome-linux/` (or `chrome-linux64/` in newer builds).
    for revision in sorted(browsers.glob("chromium-*"), key=_revision, reverse=True):
        for binary in sorted(revision.glob("chrome-linux*/chrome")):
            if _executable(binary):
                return binary
    return None


def missing_message(debian: Path, browsers: Path | None) -> str:
    where = f"at {debian}" if browsers is None else f"at {debian} or under {browsers}"
    return f"no Chromium found {where}: {INSTALL_HINT}"


def chromium_or_skip(
    environ: Mapping[str, str] | None = None,
    debian: Path = DEBIAN_CHROMIUM,
    browsers: Path | None = None,
) -> Path:
    """The Chromium to launch; skips the test without one, or fails it when the environment says a
    browser is required."""
    env = os.environ if environ is None else environ
    folder: Path | None = browsers if browsers is not None else playwright_browsers(env)
    chosen = env.get(CHROMIUM_VARIABLE)
    if chosen:
        # A browser named explicitly is the only one looked at (another build, or none at all).
        debian, folder = Path(chosen), None
    found = find_chromium(debian, folder)
    if found is not None:
        return found
    requirements.missing(
        missing_message(debian, folder), require_variable=REQUIRE_VARIABLE, environ=env
    )
