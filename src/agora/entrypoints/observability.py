"""What every Agora process sets up before it serves: ECS logs (readable on a terminal) and
traces (OTLP, or the local trace store in the data dir)."""

from __future__ import annotations

import os

from agora.platform.config import Settings
from agora.platform.logging import configure_logging
from agora.platform.tracing import TraceSettings, configure_tracing

LOGS_DIR = "logs"


def observe_process(settings: Settings, service: str, *, keep_log: bool = False) -> None:
    """Logs and traces of one process serving `service` (`platform` for the embedded one);
    `keep_log` also appends the JSON lines to `<data dir>/logs/<service>.log` (embedded)."""
    # The cluster launcher names each child (users-2); alone, a process is its service.
    node = os.environ.get("AGORA_INSTANCE") or None
    configure_logging(
        settings.log_level,
        json=settings.log_json,
        service=service,
        node=node,
        file=settings.data_dir.resolve() / LOGS_DIR / f"{service}.log" if keep_log else None,
    )
    if settings.tracing:
        configure_tracing(
            TraceSettings(
                service=service,
                instance=node or service,
                store_dir=settings.data_dir.resolve(),
                otlp_endpoint=settings.otlp_endpoint,
                sample_ratio=settings.trace_sample_ratio,
                max_per_second=settings.trace_max_per_second,
            )
        )
