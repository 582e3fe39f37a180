"""Who is making the request, as the access token says."""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "admin"
MEMBER = "member"
FEEDER = "feeder"  # may create games and post game events (a live-score feed), nothing else
SYSTEM = "system"  # the platform itself (the saga coordinator calling a service), never a person


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated user. `version` and `family` say which of the user's sessions the token
    belongs to (`platform.auth.sessions` decides whether it is still in force)."""

    user_id: int
    username: str
    role: str = MEMBER
    version: int = 0
    family: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_feeder(self) -> bool:
        return self.role in (ADMIN, FEEDER)
