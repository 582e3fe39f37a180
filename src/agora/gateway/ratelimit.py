"""Write rate limits at the gateway: per user (from the access token) or, when anonymous, per client
address. Answers carry `X-RateLimit-*`; a refusal is a 429 with `Retry-After`. If the limiter's
store is down, the gateway lets requests through and says so in its log and metrics (failing open
keeps the platform usable; login has its own throttle in the users service).

The token a write is counted by is verified here (signature, expiry, issuer, audience), so the
gateway's access line names its user (`user.id`) at no extra cost. Reads are not verified at the
gateway (the owning service does it): their gateway line has no `user.id`, never an unverified
one."""

from __future__ import annotations

import math

import structlog
from prometheus_client import CollectorRegistry, Counter
from starlette.types import ASGIApp, Scope

from agora.platform.auth.tokens import TokenVerifier
from agora.platform.errors import RateLimited, Unauthorized, error_response
from agora.platform.logging import note_user
from agora.platform.ratelimit import RateLimit, RateLimiter, RateLimiterUnavailable

log = structlog.get_logger("agora.gateway.ratelimit")

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class WriteRateLimiter:
    """Counts writes per user or address and refuses those over the limit."""

    def __init__(
        self,
        limiter: RateLimiter,
        verifier: TokenVerifier,
        limit: RateLimit,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.limiter = limiter
        self.verifier = verifier
        self.limit = limit
        self.fail_open = Counter(
            "agora_gateway_ratelimit_fail_open_total",
            "Writes let through because the rate-limit store was unavailable.",
            registry=registry,
        )

    def key(self, scope: Scope) -> str:
        header = _header(scope, b"authorization")
        if header and header.lower().startswith("bearer "):
            try:
                user_id = self.verifier.verify_access(header[7:].strip()).user_id
            except Unauthorized:
                pass  # the service will refuse the token; count the write against the address
            else:
                note_user(user_id)  # verified: the access line may name the user
                return f"writes:user:{user_id}"
        client = scope.get("client")
        return f"writes:addr:{client[0] if client else 'unknown'}"

    async def check(self, scope: Scope) -> tuple[ASGIApp | None, list[tuple[bytes, bytes]]]:
        """(a response that refuses the request, or None; headers to add to the answer)."""
        if scope.get("method") not in WRITE_METHODS:
            return None, []
        try:
            state = await self.limiter.hit(self.key(scope), self.limit)
        except RateLimiterUnavailable:
            self.fail_open.inc()
            log.warning("rate_limiter_unavailable_failing_open")
            return None, []
        reset = str(max(0, math.ceil(state.reset_after)))
        headers = [
            (b"x-ratelimit-limit", str(state.limit).encode()),
            (b"x-ratelimit-remaining", str(state.remaining).encode()),
            (b"x-ratelimit-reset", reset.encode()),
        ]
        if state.allowed:
            return None, headers
        error = RateLimited(
            f"Too many writes; at most {self.limit.amount} per {self.limit.seconds} seconds",
            retry_after=state.reset_after,
        )
        error.headers.update({k.decode(): v.decode() for k, v in headers})
        return error_response(error), []
