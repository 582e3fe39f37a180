"""Settings validation, password hashing and token round trips."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from pydantic import ValidationError

from agora.platform.auth.keys import (
    ensure_keypair,
    generate_keypair,
    load_private_key,
    load_public_key,
)
from agora.platform.auth.passwords import PasswordHasher
from agora.platform.auth.principal import Principal
from agora.platform.auth.tokens import TokenIssuer, TokenVerifier
from agora.platform.clock import ManualClock
from agora.platform.config import Settings, Topology
from agora.platform.errors import Unauthorized


def test_cluster_settings_refuse_to_start_without_keys() -> None:
    with pytest.raises(ValidationError, match="AGORA_JWT_PUBLIC_KEY_FILE"):
        Settings(topology=Topology.CLUSTER)


def test_unknown_services_are_refused() -> None:
    with pytest.raises(ValidationError, match="unknown services"):
        Settings(services=["users", "teleport"])


def test_settings_come_from_agora_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AGORA_PORT", "9100")
    monkeypatch.setenv("AGORA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AGORA_DATABASE_URLS__USERS", "postgresql+asyncpg://u@h/users_db")
    settings = Settings()
    assert settings.port == 9100
    assert settings.database_url_for("users") == "postgresql+asyncpg://u@h/users_db"
    assert (
        settings.database_url_for("voting")
        == f"sqlite+aiosqlite:///{(tmp_path / 'voting.db').resolve()}"
    )


def test_database_url_template_and_cluster_defaults(tmp_path: Path) -> None:
    keys = generate_keypair(tmp_path)
    settings = Settings(
        topology=Topology.CLUSTER,
        jwt_public_key_file=keys[1],
        database_url="postgresql+asyncpg://postgres@db/agora_{service}",
    )
    assert settings.database_url_for("voting") == "postgresql+asyncpg://postgres@db/agora_voting"
    assert settings.bus_backend == "redis"
    assert settings.cache_backend == "redis"
    plain = Settings(topology=Topology.CLUSTER, jwt_public_key_file=keys[1])
    assert (
        plain.database_url_for("users")
        == "postgresql+asyncpg://postgres@127.0.0.1:5432/agora_users"
    )


async def test_passwords_hash_with_argon2id_and_verify() -> None:
    hasher = PasswordHasher(time_cost=1, memory_kib=1024, parallelism=1)
    stored = await hasher.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$")
    assert await hasher.verify(stored, "correct horse battery staple")
    assert not await hasher.verify(stored, "wrong")
    assert not await hasher.verify(None, "anything")
    assert not await hasher.verify("not-a-hash", "anything")
    stronger = PasswordHasher(time_cost=2, memory_kib=2048, parallelism=1)
    assert stronger.needs_rehash(stored)


def test_keypair_is_made_once_and_private_key_is_private(tmp_path: Path) -> None:
    private_path, public_path = ensure_keypair(tmp_path / "keys")
    assert ensure_keypair(tmp_path / "keys") == (private_path, public_path)
    assert private_path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        generate_keypair(tmp_path / "keys")


def test_tokens_round_trip_and_expire(tmp_path: Path) -> None:
    private_path, public_path = generate_keypair(tmp_path)
    clock = ManualClock()
    issuer = TokenIssuer(load_private_key(private_path), issuer="i", audience="a", clock=clock)
    verifier = TokenVerifier(load_public_key(public_path), issuer="i", audience="a", clock=clock)
    issued = issuer.issue_access(Principal(user_id=7, username="x", role="admin"))
    assert issued.expires_at == clock.now() + timedelta(minutes=15)
    principal = verifier.verify_access(issued.token)
    assert principal == Principal(user_id=7, username="x", role="admin")
    refresh = issuer.issue_refresh(7, "family")
    claims = verifier.verify_refresh(refresh.token)
    assert (claims.user_id, claims.family, claims.jti) == (7, "family", refresh.jti)
    with pytest.raises(Unauthorized):
        verifier.verify_access(refresh.token)
    with pytest.raises(Unauthorized):
        verifier.verify_refresh(issued.token)
    clock.advance(15 * 60 + 31)
    with pytest.raises(Unauthorized, match="expired"):
        verifier.verify_access(issued.token)


def test_a_token_checked_before_is_checked_again_for_its_type_and_times(tmp_path: Path) -> None:
    """Verified tokens are remembered by their text (their signature holds forever): another
    token, a token signed by another key, and the time checks are never answered from memory."""
    private_path, public_path = generate_keypair(tmp_path / "one")
    other_private, _ = generate_keypair(tmp_path / "two")
    clock = ManualClock()
    verifier = TokenVerifier(load_public_key(public_path), issuer="i", audience="a", clock=clock)
    token = _signed(private_path, clock, sub="7")
    assert verifier.verify_access(token).user_id == 7
    assert verifier.verify_access(token).user_id == 7
    forged = _signed(other_private, clock, sub="7")
    assert forged.split(".")[:2] == token.split(".")[:2]  # the same claims, another signature
    with pytest.raises(Unauthorized, match="Invalid token"):
        verifier.verify_access(forged)
    with pytest.raises(Unauthorized, match="Not an refresh"):
        verifier.verify_refresh(token)
    clock.advance(600 + 31)
    with pytest.raises(Unauthorized, match="expired"):
        verifier.verify_access(token)


def _signed(private_path: Path, clock: ManualClock, **claims: object) -> str:
    """A token signed with the real key, carrying exactly the claims a forger chose."""
    now = int(clock.now().timestamp())
    payload = {"iss": "i", "aud": "a", "iat": now, "exp": now + 600, "jti": "j", "typ": "access"}
    key = load_private_key(private_path)
    return jwt.encode({**payload, **claims}, key, algorithm="EdDSA")


def test_a_token_not_valid_yet_is_refused_until_its_nbf(tmp_path: Path) -> None:
    private_path, public_path = generate_keypair(tmp_path)
    clock = ManualClock()
    verifier = TokenVerifier(load_public_key(public_path), issuer="i", audience="a", clock=clock)
    later = int(clock.now().timestamp()) + 300
    token = _signed(private_path, clock, sub="7", nbf=later)
    with pytest.raises(Unauthorized, match="not valid yet"):
        verifier.verify_access(token)
    clock.advance(300)
    assert verifier.verify_access(token).user_id == 7
    issuer = TokenIssuer(load_private_key(private_path), issuer="i", audience="a", clock=clock)
    issued = issuer.issue_access(Principal(user_id=7, username="x", role="member"))
    assert jwt.decode(issued.token, options={"verify_signature": False})["nbf"] == int(
        clock.now().timestamp()
    )


@pytest.mark.parametrize("subject", ["9" * 25, "0", "-1", "²", "abc"])
def test_a_subject_that_is_not_an_id_is_refused(tmp_path: Path, subject: str) -> None:
    private_path, public_path = generate_keypair(tmp_path)
    clock = ManualClock()
    verifier = TokenVerifier(load_public_key(public_path), issuer="i", audience="a", clock=clock)
    with pytest.raises(Unauthorized, match="subject"):
        verifier.verify_access(_signed(private_path, clock, sub=subject))
