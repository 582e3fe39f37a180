"""Pieces every service's schemas share: the request-body bases, the seeds' plain success
message, and how a moment is written in a response."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    return False


class RequestBody(BaseModel):
    """A request body. No text in it may hold the NUL character: no database stores it
    (PostgreSQL refuses it in text), so it is a 422 naming the field, not a 500."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: object) -> object:
        if _has_nul(value):
            raise ValueError("must not contain the NUL character (\\u0000)")
        return value


class Strict(RequestBody):
    """A request body that refuses unknown fields: a field the endpoint does not know is a 422
    naming it, not silently dropped."""

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
