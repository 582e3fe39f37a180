"""The envelope every event travels in."""

from __future__ import annotations

import builtins
import uuid
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from agora.contracts.base import EventPayload

P = TypeVar("P", bound=EventPayload)


class Event(BaseModel):
    """One domain event: who produced it, when, in which request, and what it says."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    type: str
    producer: str
    occurred_at: datetime
    request_id: str | None = None
    # W3C trace context of the span that wrote the event: its consumers' spans are children of it.
    traceparent: str | None = None
    payload: dict[str, Any]

    def parse(self, payload_type: builtins.type[P]) -> P:
        """The payload as its contract model."""
        if payload_type.event_type != self.type:
            raise TypeError(f"event {self.type} is not a {payload_type.event_type}")
        return payload_type.model_validate(self.payload)

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_json(cls, data: bytes | str) -> Event:
        return cls.model_validate_json(data)
