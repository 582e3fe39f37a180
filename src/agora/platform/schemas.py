"""Pieces every service's schemas share: the strict request base, the seeds' plain success
message, and how a moment is written in a response."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A request body: a field the endpoint does not know is a 422 naming it, not silently
    dropped."""

    model_config = ConfigDict(extra="forbid")


class Message(BaseModel):
    """A write that returns nothing else: `{"status": "success", "message": ...}`."""

    status: Literal["success"] = "success"
    message: str


def iso(moment: datetime | None) -> str | None:
    """A UTC moment as responses and frames write it (`...Z`)."""
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")
