"""Live-socket frames are a contract with the web UI and every other client: each frame type's
JSON schema and an example frame are pinned in `tests/contracts/frames/<direction>.<scope>.<type>
.json`, so a changed frame shape fails here first (as `test_event_schemas.py` does for events).

After an intended, compatible change: `AGORA_UPDATE_SCHEMAS=1 pytest tests/contracts` rewrites the
schemas (a new frame also gets a generated example; check it reads like a real frame).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError

# Each socket's module registers its frames.
import agora.services.competitions.router
import agora.services.discussions.router.chat
import agora.services.notifications.router
import agora.services.sports.router
import agora.services.timeline.router
import agora.services.voting.live  # noqa: F401
from agora.platform.realtime.frames import FRAME_TYPES, ServerFrame

FRAMES = Path(__file__).parent / "frames"
UPDATE = os.environ.get("AGORA_UPDATE_SCHEMAS") == "1"
SERVER_FRAMES = sorted(k for k, cls in FRAME_TYPES.items() if issubclass(cls, ServerFrame))


def _pinned(key: str) -> dict[str, Any]:
    path = FRAMES / f"{key}.json"
    model = FRAME_TYPES[key]
    if UPDATE:
        example = json.loads(path.read_text())["example"] if path.exists() else _example(model)
        pinned = {"example": example, "schema": model.model_json_schema()}
        path.write_text(json.dumps(pinned, indent=2, sort_keys=True) + "\n")
    assert path.exists(), f"no pinned frame {key}; run with AGORA_UPDATE_SCHEMAS=1"
    pinned = json.loads(path.read_text())
    assert isinstance(pinned, dict)
    return pinned


@pytest.mark.parametrize("key", sorted(FRAME_TYPES))
def test_frame_schema_is_pinned(key: str) -> None:
    assert _pinned(key)["schema"] == FRAME_TYPES[key].model_json_schema(), f"{key} changed shape"


@pytest.mark.parametrize("key", sorted(FRAME_TYPES))
def test_the_pinned_example_is_a_frame_of_its_type(key: str) -> None:
    example = _pinned(key)["example"]
    assert example["type"] == key.rsplit(".", 1)[1]
    frame = FRAME_TYPES[key].model_validate(example)
    if isinstance(frame, ServerFrame):
        # What a client receives is the example exactly: nothing added, nothing dropped.
        assert json.loads(frame.encode()) == example


@pytest.mark.parametrize("key", SERVER_FRAMES)
def test_a_server_frame_refuses_a_field_its_model_does_not_know(key: str) -> None:
    example = _pinned(key)["example"]
    with pytest.raises(ValidationError):
        FRAME_TYPES[key].model_validate({**example, "surprise": 1})


@pytest.mark.parametrize("key", SERVER_FRAMES)
def test_a_server_frame_needs_its_required_fields(key: str) -> None:
    model = FRAME_TYPES[key]
    example = _pinned(key)["example"]
    for name, field in model.model_fields.items():
        if field.is_required():
            with pytest.raises(ValidationError):
                model.model_validate({k: v for k, v in example.items() if k != name})


def test_every_pinned_frame_is_registered() -> None:
    pinned = {p.stem for p in FRAMES.glob("*.json")}
    assert pinned == set(FRAME_TYPES)


def test_every_socket_shares_the_realtime_frames() -> None:
    shared = {k for k in FRAME_TYPES if k.split(".")[1] == "realtime"}
    assert shared == {
        "server.realtime.ready",
        "server.realtime.reload",
        "server.realtime.error",
        "server.realtime.pong",
        "client.realtime.ping",
    }


def _example(cls: type[BaseModel]) -> dict[str, Any]:
    """A valid frame built from the model's field types (for a new frame's first example)."""
    return {name: _value(field.annotation) for name, field in cls.model_fields.items()}


def _value(annotation: Any) -> Any:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return args[0]
    if origin is list:
        return [_value(args[0])]
    if origin is dict:
        return {}
    if args:  # `X | None`: an example of X
        return _value(next(a for a in args if a is not type(None)))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _example(annotation)
    examples: dict[Any, Any] = {
        datetime: datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).isoformat().replace("+00:00", "Z"),
        bool: True,
        int: 7,
        float: 1.5,
    }
    return examples.get(annotation, "text")
