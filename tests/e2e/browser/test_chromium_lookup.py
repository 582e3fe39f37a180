"""Finding a Chromium for the browser tests, and what happens without one (none is started)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser.chromium import (
    CHROMIUM_VARIABLE,
    INSTALL_HINT,
    REQUIRE_VARIABLE,
    chromium_or_skip,
    find_chromium,
    playwright_browsers,
)


def _binary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_debians_chromium_comes_first(tmp_path: Path) -> None:
    debian = _binary(tmp_path / "usr" / "bin" / "chromium")
    _binary(tmp_path / "cache" / "chromium-1200" / "chrome-linux" / "chrome")
    assert find_chromium(debian, tmp_path / "cache") == debian


def test_else_the_newest_chromium_playwright_installed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _binary(cache / "chromium-999" / "chrome-linux" / "chrome")
    newest = _binary(cache / "chromium-1200" / "chrome-linux64" / "chrome")
    # The headless shell is not the full browser the tests drive.
    _binary(cache / "chromium_headless_shell-1300" / "chrome-linux" / "headless_shell")
    assert find_chromium(tmp_path / "nowhere" / "chromium", cache) == newest


def test_a_file_that_cannot_run_is_no_browser(tmp_path: Path) -> None:
    debian = tmp_path / "chromium"
    debian.write_text("")
    assert find_chromium(debian, tmp_path / "empty") is None


def test_playwrights_own_variable_moves_its_browsers(tmp_path: Path) -> None:
    assert playwright_browsers({"PLAYWRIGHT_BROWSERS_PATH": str(tmp_path)}) == tmp_path
    assert playwright_browsers({"HOME": "/home/ada"}) == Path("/home/ada/.cache/ms-playwright")
    # "0" means "inside the playwright package"; we do not look there, the home folder is next.
    zero = {"PLAYWRIGHT_BROWSERS_PATH": "0", "HOME": "/home/ada"}
    assert playwright_browsers(zero) == Path("/home/ada/.cache/ms-playwright")


def test_without_a_browser_the_test_is_skipped_with_the_install_command(tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception) as skipped:
        chromium_or_skip({}, tmp_path / "no-chromium", tmp_path / "no-cache")
    assert INSTALL_HINT in str(skipped.value)
    assert "playwright install chromium" in str(skipped.value)
    assert str(tmp_path / "no-chromium") in str(skipped.value)


def test_ci_turns_a_missing_browser_into_a_failure(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception) as failed:
        chromium_or_skip({REQUIRE_VARIABLE: "1"}, tmp_path / "no-chromium", tmp_path / "no-cache")
    assert INSTALL_HINT in str(failed.value)
    assert REQUIRE_VARIABLE in str(failed.value)


def test_a_present_browser_is_used_even_when_required(tmp_path: Path) -> None:
    debian = _binary(tmp_path / "chromium")
    assert chromium_or_skip({REQUIRE_VARIABLE: "1"}, debian, tmp_path / "no-cache") == debian


def test_a_browser_named_in_the_environment_is_the_only_one_looked_at(tmp_path: Path) -> None:
    debian = _binary(tmp_path / "chromium")
    chosen = _binary(tmp_path / "elsewhere" / "chrome")
    assert chromium_or_skip({CHROMIUM_VARIABLE: str(chosen)}, debian, tmp_path) == chosen
    with pytest.raises(pytest.skip.Exception) as skipped:
        chromium_or_skip({CHROMIUM_VARIABLE: str(tmp_path / "gone")}, debian, tmp_path)
    assert str(tmp_path / "gone") in str(skipped.value)
