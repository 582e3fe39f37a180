"""Event schemas are a contract between services: each type's JSON schema is pinned in
`tests/contracts/schemas/`, so a change that would break a consumer fails here first.

After an intended, compatible change: `AGORA_UPDATE_SCHEMAS=1 pytest tests/contracts`.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel

import agora.contracts.events  # noqa: F401  (registers every event type)
from agora.contracts.base import EVENT_TYPES, EventPayload
from agora.platform.bus.event import Event

SCHEMAS = Path(__file__).parent / "schemas"
UPDATE = os.environ.get("AGORA_UPDATE_SCHEMAS") == "1"


def _schema(cls: type[EventPayload]) -> dict[str, object]:
    return {"event_type": cls.event_type, "payload": cls.model_json_schema()}


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_event_schema_is_pinned(event_type: str) -> None:
    path = SCHEMAS / f"{event_type}.json"
    current = _schema(EVENT_TYPES[event_type])
    if UPDATE:
        path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    assert path.exists(), f"no pinned schema for {event_type}; run with AGORA_UPDATE_SCHEMAS=1"
    assert json.loads(path.read_text()) == current, f"{event_type} changed its schema"


def test_every_pinned_schema_has_an_event_type() -> None:
    pinned = {p.stem for p in SCHEMAS.glob("*.json")}
    assert pinned == set(EVENT_TYPES)


def test_event_types_are_named_producer_dot_past_tense() -> None:
    for event_type in EVENT_TYPES:
        producer, _, verb = event_type.partition(".")
        assert producer, event_type
        assert verb.split("_")[-1].endswith("ed"), event_type


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_an_example_survives_the_bus_round_trip(event_type: str) -> None:
    cls = EVENT_TYPES[event_type]
    example = _example(cls)
    event = Event(
        type=event_type,
        producer=event_type.split(".")[0],
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        payload=example.model_dump(mode="json"),
    )
    assert Event.from_json(event.to_json()).parse(cls) == example


def _example(cls: type[BaseModel]) -> BaseModel:
    """A valid instance built from the schema's field types (nested models and lists too)."""
    return cls.model_validate(
        {name: _value(field.annotation) for name, field in cls.model_fields.items()}
    )


def _value(annotation: Any) -> Any:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return args[0]
    if origin is list:
        return ["like"] if args[0] is str else [_value(args[0])]
    if args:  # `X | None`: an example of X
        return _value(next(a for a in args if a is not type(None)))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _example(annotation).model_dump(mode="json")
    examples: dict[Any, Any] = {
        datetime: datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        bool: True,
        int: 7,
        float: 1.5,
    }
    return examples.get(annotation, "text")
