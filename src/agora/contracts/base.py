"""The base of every event payload: a pydantic model with its event type as a class constant."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class EventPayload(BaseModel):
    """What an event says. Subclasses set `event_type` (`<producer>.<past-tense verb>`)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]


EVENT_TYPES: dict[str, type[EventPayload]] = {}


def register(cls: type[EventPayload]) -> type[EventPayload]:
    """Class decorator: make an event type known by name (for schema tests and decoding)."""
    if cls.event_type in EVENT_TYPES and EVENT_TYPES[cls.event_type] is not cls:
        raise ValueError(f"event type {cls.event_type} is registered twice")
    EVENT_TYPES[cls.event_type] = cls
    return cls
