"""Redis URLs: one server, or a master named by Redis Sentinel."""

from __future__ import annotations

import pytest

from agora.platform.redis_connect import parse_sentinel_url, safe_url


def test_a_plain_url_is_no_sentinel_target() -> None:
    assert parse_sentinel_url("redis://127.0.0.1:6379/0") is None


def test_a_sentinel_url_names_its_sentinels_master_and_database() -> None:
    target = parse_sentinel_url("redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2:26380/main/2")
    assert target is not None
    assert target.sentinels == [("10.0.0.1", 26379), ("10.0.0.2", 26380)]
    assert (target.master, target.db, target.password) == ("main", 2, "s3cret")


def test_a_sentinel_url_without_a_master_is_refused() -> None:
    with pytest.raises(ValueError, match="names no master"):
        parse_sentinel_url("redis+sentinel://127.0.0.1:26379")


def test_a_logged_url_hides_its_password() -> None:
    assert "s3cret" not in safe_url("redis+sentinel://:s3cret@10.0.0.1:26379/main")
