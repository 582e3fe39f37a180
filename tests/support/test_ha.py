"""The HA tests' guard: skip with the install command where the engines are missing, fail
instead in CI (AGORA_REQUIRE_HA=1), as the browser tests do with AGORA_REQUIRE_BROWSER."""

from __future__ import annotations

import pytest

from tests.support import ha


def test_missing_engines_skip_with_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ha, "missing_engines", lambda: ["/usr/bin/patroni"])
    monkeypatch.delenv(ha.REQUIRE_VARIABLE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y patroni"):
        ha.require_engines()


def test_missing_engines_fail_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ha, "missing_engines", lambda: ["/usr/bin/patroni"])
    monkeypatch.setenv(ha.REQUIRE_VARIABLE, "1")
    with pytest.raises(pytest.fail.Exception, match="AGORA_REQUIRE_HA=1"):
        ha.require_engines()


def test_installed_engines_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ha, "missing_engines", list)
    monkeypatch.setenv(ha.REQUIRE_VARIABLE, "1")
    ha.require_engines()
