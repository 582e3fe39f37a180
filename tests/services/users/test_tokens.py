"""Token handling: every attack is a 401, never a 500; refresh tokens rotate and a reuse kills
the family."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agora.platform.auth.keys import PRIVATE_NAME, PUBLIC_NAME, load_private_key, load_public_key
from agora.platform.clock import ManualClock
from tests.support.api import Account, Api


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(account: Account, clock: ManualClock, **changes: Any) -> dict[str, Any]:
    now = int(clock.now().timestamp())
    claims: dict[str, Any] = {
        "sub": str(account.id),
        "name": account.username,
        "role": "admin",
        "typ": "access",
        "iss": "agora-users",
        "aud": "agora",
        "iat": now,
        "exp": now + 900,
        "jti": "forged",
    }
    claims.update(changes)
    return claims


async def _profile_status(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/api/users/profile", headers={"Authorization": f"Bearer {token}"})


async def _assert_rejected(client: httpx.AsyncClient, token: str) -> None:
    response = await _profile_status(client, token)
    assert response.status_code == 401, response.text
    assert response.json()["status"] == "error"
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_valid_token_works(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    assert (await _profile_status(client, alice.token)).status_code == 200


async def test_no_token_or_a_malformed_header_is_401(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/users/profile")).status_code == 401
    for header in ("Basic YWxpY2U6cHc=", "Bearer", "Bearer    ", "token abc"):
        response = await client.get("/api/users/profile", headers={"Authorization": header})
        assert response.status_code == 401, header
    await _assert_rejected(client, "not.a.jwt")
    await _assert_rejected(client, "garbage")


async def test_alg_none_is_rejected(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    alice = await api.register("alice")
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(_claims(alice, clock)).encode())
    await _assert_rejected(client, f"{header}.{payload}.")


async def test_hs256_signed_with_the_public_key_is_rejected(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, tmp_path: Path
) -> None:
    alice = await api.register("alice")
    public_pem = (tmp_path / "keys" / PUBLIC_NAME).read_bytes()
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(_claims(alice, clock)).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    await _assert_rejected(client, f"{header}.{payload}.{_b64(signature)}")


async def test_a_token_signed_by_another_key_is_rejected(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    alice = await api.register("alice")
    stranger = Ed25519PrivateKey.generate()
    token = jwt.encode(_claims(alice, clock), stranger, algorithm="EdDSA")
    await _assert_rejected(client, token)


async def test_an_expired_token_is_rejected(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    alice = await api.register("alice")
    clock.advance(14 * 60)
    assert (await _profile_status(client, alice.token)).status_code == 200
    clock.advance(2 * 60)
    response = await _profile_status(client, alice.token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"


async def test_wrong_audience_issuer_or_type_is_rejected(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, tmp_path: Path
) -> None:
    alice = await api.register("alice")
    key = load_private_key(tmp_path / "keys" / PRIVATE_NAME)
    for changes in ({"aud": "someone-else"}, {"iss": "evil"}, {"typ": "refresh"}, {"sub": "x"}):
        await _assert_rejected(client, jwt.encode(_claims(alice, clock, **changes), key, "EdDSA"))
    missing_exp = _claims(alice, clock)
    del missing_exp["exp"]
    await _assert_rejected(client, jwt.encode(missing_exp, key, "EdDSA"))
    future = _claims(alice, clock, iat=int(clock.now().timestamp()) + 3600)
    await _assert_rejected(client, jwt.encode(future, key, "EdDSA"))


async def test_a_refresh_token_is_not_an_access_token(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    await _assert_rejected(client, alice.refresh_token)


async def test_refresh_rotates_and_the_new_pair_works(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    response = await client.post("/api/users/refresh", json={"refresh_token": alice.refresh_token})
    assert response.status_code == 200
    pair = response.json()
    assert pair["refresh_token"] != alice.refresh_token
    assert (await _profile_status(client, pair["token"])).status_code == 200
    again = await client.post("/api/users/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 200


async def test_reusing_a_spent_refresh_token_revokes_the_whole_family(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    alice = await api.register("alice")
    rotated = await client.post("/api/users/refresh", json={"refresh_token": alice.refresh_token})
    newest = rotated.json()["refresh_token"]
    # An attacker replays the spent token, after the grace window for two tabs refreshing at once
    # (tests/security/test_refresh_race.py).
    clock.advance(seconds=11)
    replay = await client.post("/api/users/refresh", json={"refresh_token": alice.refresh_token})
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "token_reused"
    # The legitimate newest token of that family is dead too.
    after = await client.post("/api/users/refresh", json={"refresh_token": newest})
    assert after.status_code == 401
    # Another login (another family) is unaffected.
    other = await api.login("alice")
    ok = await client.post("/api/users/refresh", json={"refresh_token": other.refresh_token})
    assert ok.status_code == 200


async def test_refresh_rejects_expired_and_forged_tokens(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    alice = await api.register("alice")
    forged = jwt.encode(
        _claims(alice, clock, typ="refresh", fam="f", jti="unknown"),
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
    )
    for token in (alice.token, forged, "junk"):
        response = await client.post("/api/users/refresh", json={"refresh_token": token})
        assert response.status_code == 401
    clock.advance(31 * 86_400)
    expired = await client.post("/api/users/refresh", json={"refresh_token": alice.refresh_token})
    assert expired.status_code == 401


async def test_logout_ends_the_login(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    response = await client.post("/api/users/logout", json={"refresh_token": alice.refresh_token})
    assert response.status_code == 200
    after = await client.post("/api/users/refresh", json={"refresh_token": alice.refresh_token})
    assert after.status_code == 401


async def test_tokens_carry_the_role_and_expire_in_fifteen_minutes(
    api: Api, tmp_path: Path
) -> None:
    alice = await api.register("alice")
    public = load_public_key(tmp_path / "keys" / PUBLIC_NAME)
    claims = jwt.decode(
        alice.token, public, algorithms=["EdDSA"], audience="agora", options={"verify_exp": False}
    )
    assert claims["role"] == "admin"
    assert claims["exp"] - claims["iat"] == 900
    assert jwt.get_unverified_header(alice.token)["alg"] == "EdDSA"
