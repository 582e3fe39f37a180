"""Who is making the request, as the access token says."""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "admin"
MEMBER = "member"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated user."""

    user_id: int
    username: str
    role: str = MEMBER

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN
