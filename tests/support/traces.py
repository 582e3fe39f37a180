"""A span in the local trace store, as a traced process writes it, for tests of what reads it."""

from __future__ import annotations

from pathlib import Path

from opentelemetry import propagate
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from agora.platform.tracing import JsonLinesSpanExporter

TRACE_ID = "0123456789abcdef0123456789abcdef"
CALLER_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{CALLER_SPAN}-01"


def store_a_span(data_dir: Path, name: str = "GET /api/users/{user_id}") -> None:
    """One span of TRACE_ID, child of the caller's span, in `<data_dir>/traces/`."""
    provider = TracerProvider()
    exporter = JsonLinesSpanExporter(data_dir / "traces" / "test-1.jsonl")
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    parent = propagate.extract({"traceparent": TRACEPARENT})
    with provider.get_tracer("test").start_as_current_span(name, parent):
        pass
    provider.shutdown()
