"""JWTs: EdDSA (Ed25519) only. The users service issues; every service verifies with the public key.

Access tokens live 15 minutes. Refresh tokens are JWTs too (`typ: refresh`, with a family id),
stored hashed by the users service, which rotates them on every use. Expiry is checked against the
injected clock. Every check failure is an `Unauthorized`, never anything else.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from agora.platform.auth.principal import Principal
from agora.platform.clock import Clock
from agora.platform.errors import Unauthorized
from agora.platform.ids import parse_id

ALGORITHM = "EdDSA"
_REQUIRED = ["exp", "iat", "iss", "aud", "sub", "typ", "jti"]
_LEEWAY = timedelta(seconds=30)
# Tokens whose signature, issuer and audience were checked, by their exact text. A client sends
# the same access token with every request for its 15 minutes, and a write is checked twice (the
# gateway's rate limit keys it by user, then the service); the Ed25519 check is the costly part.
VERIFIED_TOKENS_CACHED = 4096

TokenType = Literal["access", "refresh", "restore"]


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    jti: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class RefreshClaims:
    user_id: int
    jti: str
    family: str
    expires_at: datetime


class TokenVerifier:
    """Checks signature, algorithm, `exp`, `iat`, `iss`, `aud` and the token type."""

    def __init__(
        self, public_key: Ed25519PublicKey, *, issuer: str, audience: str, clock: Clock
    ) -> None:
        self._key = public_key
        self._issuer = issuer
        self._audience = audience
        self._clock = clock
        # A signature stays valid (or not) for a given text: only successes are kept, and the
        # times, which do change, are checked against the clock on every call.
        self._signed = lru_cache(maxsize=VERIFIED_TOKENS_CACHED)(self._check_signature)

    def _check_signature(self, token: str) -> dict[str, Any]:
        claims: dict[str, Any] = jwt.decode(
            token,
            self._key,
            algorithms=[ALGORITHM],
            audience=self._audience,
            issuer=self._issuer,
            options={
                "require": _REQUIRED,
                # Times are checked in `_decode` against the injected clock.
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
        return claims

    def _decode(self, token: str, expected_type: TokenType) -> dict[str, Any]:
        try:
            # A copy: the cached claims are shared by every request with this token.
            claims = dict(self._signed(token))
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise Unauthorized("Invalid token", code="invalid_token") from exc
        if claims.get("typ") != expected_type:
            raise Unauthorized(f"Not an {expected_type} token", code="invalid_token")
        now = self._clock.now()
        try:
            expires = datetime.fromtimestamp(float(claims["exp"]), tz=now.tzinfo)
            issued = datetime.fromtimestamp(float(claims["iat"]), tz=now.tzinfo)
        except (TypeError, ValueError, OverflowError) as exc:
            raise Unauthorized("Invalid token times", code="invalid_token") from exc
        if expires <= now - _LEEWAY:
            raise Unauthorized("Token expired", code="token_expired")
        if issued > now + _LEEWAY:
            raise Unauthorized("Token issued in the future", code="invalid_token")
        if "nbf" in claims:
            try:
                not_before = datetime.fromtimestamp(float(claims["nbf"]), tz=now.tzinfo)
            except (TypeError, ValueError, OverflowError) as exc:
                raise Unauthorized("Invalid token times", code="invalid_token") from exc
            if not_before > now + _LEEWAY:
                raise Unauthorized("Token not valid yet", code="invalid_token")
        return claims

    @staticmethod
    def _subject(claims: dict[str, Any]) -> int:
        """The user id a token names: an id like any other (a `sub` beyond 64 bits names nobody)."""
        user_id = parse_id(claims["sub"])
        if user_id is None:
            raise Unauthorized("Invalid token subject", code="invalid_token")
        return user_id

    def verify_access(self, token: str) -> Principal:
        claims = self._decode(token, "access")
        try:
            version = claims.get("ver", 0)
            family = claims.get("fam")
            if not isinstance(version, int) or isinstance(version, bool) or version < 0:
                raise ValueError("ver")
            return Principal(
                user_id=self._subject(claims),
                username=str(claims.get("name", "")),
                role=str(claims.get("role", "member")),
                version=version,
                family=None if family is None else str(family),
            )
        except (TypeError, ValueError) as exc:
            raise Unauthorized("Invalid token subject", code="invalid_token") from exc

    def verify_restore(self, token: str) -> tuple[int, str]:
        """The user and the saga a restore token was issued for (an account pending deletion
        whose owner proved their password, and may only cancel the deletion with it)."""
        claims = self._decode(token, "restore")
        return self._subject(claims), str(claims.get("saga", ""))

    def verify_refresh(self, token: str) -> RefreshClaims:
        claims = self._decode(token, "refresh")
        try:
            return RefreshClaims(
                user_id=self._subject(claims),
                jti=str(claims["jti"]),
                family=str(claims["fam"]),
                expires_at=datetime.fromtimestamp(
                    float(claims["exp"]), tz=self._clock.now().tzinfo
                ),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise Unauthorized("Invalid refresh token", code="invalid_token") from exc


class TokenIssuer:
    """Signs access and refresh tokens; only the users service holds one."""

    def __init__(
        self,
        private_key: Ed25519PrivateKey,
        *,
        issuer: str,
        audience: str,
        clock: Clock,
        access_ttl: timedelta = timedelta(minutes=15),
        refresh_ttl: timedelta = timedelta(days=30),
    ) -> None:
        self._key = private_key
        self._issuer = issuer
        self._audience = audience
        self._clock = clock
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl

    def _sign(self, claims: dict[str, Any], ttl: timedelta) -> IssuedToken:
        now = self._clock.now()
        expires = now + ttl
        jti = uuid.uuid4().hex
        payload = {
            **claims,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int(expires.timestamp()),
            "jti": jti,
        }
        token = jwt.encode(payload, self._key, algorithm=ALGORITHM)
        return IssuedToken(token=token, jti=jti, expires_at=expires.replace(microsecond=0))

    def issue_access(self, principal: Principal) -> IssuedToken:
        """An access token for `principal`, carrying its session version and login family."""
        claims: dict[str, Any] = {
            "sub": str(principal.user_id),
            "name": principal.username,
            "role": principal.role,
            "typ": "access",
            "ver": principal.version,
        }
        if principal.family is not None:
            claims["fam"] = principal.family
        return self._sign(claims, self.access_ttl)

    def issue_restore(self, user_id: int, saga_id: str, ttl: timedelta) -> IssuedToken:
        """A token that can only cancel the deletion saga `saga_id` (see `verify_restore`)."""
        return self._sign({"sub": str(user_id), "saga": saga_id, "typ": "restore"}, ttl)

    def issue_refresh(self, user_id: int, family: str) -> IssuedToken:
        return self._sign({"sub": str(user_id), "fam": family, "typ": "refresh"}, self.refresh_ttl)
