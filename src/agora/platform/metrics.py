"""Prometheus metrics: every app has its own registry, so one process can host several services."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "HttpMetrics", "render"]

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class HttpMetrics:
    """Request counts, latencies and in-flight requests of one app."""

    def __init__(self, service: str, registry: CollectorRegistry | None = None) -> None:
        self.service = service
        self.registry = registry or CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "agora_http_requests_total",
            "HTTP requests handled, by route template and status.",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "agora_http_request_duration_seconds",
            "Time to handle an HTTP request.",
            ["service", "method", "route"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "agora_http_requests_in_flight",
            "HTTP requests being handled now.",
            ["service"],
            registry=self.registry,
        )
        self.websockets = Gauge(
            "agora_websockets_open",
            "WebSocket connections open now.",
            ["service"],
            registry=self.registry,
        )

        # The series of each (method, route template, status) seen: `labels` takes a lock and
        # builds its key on every call. Route templates are bounded ("unmatched" for the rest).
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            series = (
                self.requests.labels(self.service, method, route, str(status)),
                self.latency.labels(self.service, method, route),
            )
            self._series[key] = series
        series[0].inc()
        series[1].observe(seconds)


def render(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
