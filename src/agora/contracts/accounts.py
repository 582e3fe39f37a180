"""`AccountData`: what the users service may ask every service about one user's data during the
account sagas (deletion with a grace period, data export). In process in the embedded topology,
over each service's internal HTTP endpoint in the cluster.

Each call carries the saga's id; a service applies each (saga, action) once, however often it is
asked, and answers the same outcome again.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict


class AccountAction(StrEnum):
    HIDE = "hide"
    RESTORE = "restore"
    ERASE = "erase"


# The services that hold a user's data, in the order the deletion saga hides and erases it
# (restore runs the other way). The users service's own part runs last on erase.
ACCOUNT_DATA_SERVICES: tuple[str, ...] = (
    "notifications",
    "sports",
    "timeline",
    "reviews",
    "competitions",
    "discussions",
    "voting",
    "users",
)


class AccountDataRequest(BaseModel):
    """One action on one user's data, under one saga."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user_id: int
    saga_id: str


class AccountDataOutcome(BaseModel):
    """What one action did: how many rows it touched; `replayed` when it had been applied
    before and this call changed nothing."""

    model_config = ConfigDict(frozen=True)

    service: str
    action: AccountAction
    rows: int
    replayed: bool = False


class AccountDataExport(BaseModel):
    """A user's data in one service: one list of records per kind (each a file in the archive)."""

    model_config = ConfigDict(frozen=True)

    service: str
    files: dict[str, list[dict[str, Any]]]


class AccountData(Protocol):
    """One service's part in the account sagas."""

    service: str

    async def hide(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        """Take the user's content out of every read and every count, keeping it to restore."""
        ...

    async def restore(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        """Put back exactly what `hide` took under this saga."""
        ...

    async def erase(self, user_id: int, saga_id: str) -> AccountDataOutcome:
        """Delete the user's personal data for good (anonymising what others' content needs)."""
        ...

    async def export(self, user_id: int) -> AccountDataExport:
        """The user's data in this service."""
        ...
