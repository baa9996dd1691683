"""The mock's counters as Prometheus metrics, one registry per app or shared by its workers.

With several workers (`--workers N`) the command line sets `PROMETHEUS_MULTIPROC_DIR` before it
starts them, and prometheus-client's multiprocess mode keeps each worker's values in a file
there; the metrics path of any worker then reports the sum over all of them. Without it each
app counts in a registry of its own (several apps in one process, as in tests, never mix).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge
from prometheus_client import generate_latest as _generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST

Route = Literal["operation", "image", "other"]
"""What a request asked for: a variant's operation, a `url` image, or anything else."""


@dataclass(frozen=True, slots=True)
class RequestCount:
    """Requests of one variant's operation answered with one status."""

    variant: str
    status: int
    count: int


class MockMetrics:
    """Request counters by variant, route and status, and requests per worker process."""

    def __init__(self) -> None:
        """Count in this app's own registry, or in the workers' shared files when they run."""
        self.multiprocess = bool(os.environ.get(MULTIPROCESS_ENV))
        self._registry = CollectorRegistry()
        owner = None if self.multiprocess else self._registry
        if self.multiprocess:
            MultiProcessCollector(self._registry)  # type: ignore[no-untyped-call]
        self._requests = Counter(
            "imagegen_mock_requests",
            "Requests answered, by variant, route and status.",
            ["variant", "route", "status"],
            registry=owner,
        )
        self._worker_requests = Gauge(
            "imagegen_mock_worker_requests",
            "Requests answered by each worker process (labelled pid with several workers).",
            multiprocess_mode="all",
            registry=owner,
        )
        self._children: dict[tuple[str, Route, int], Counter] = {}

    def count(self, variant: str, route: Route, status: int) -> None:
        """Count one answered request."""
        key = (variant, route, status)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self._requests.labels(variant, route, str(status))
        child.inc()
        self._worker_requests.inc()

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric (summed over workers)."""
        return _generate_latest(self._registry)

    def operation_counts(self) -> list[RequestCount]:
        """Operation requests by variant and status, sorted (the `/_mock/stats` summary)."""
        counts: dict[tuple[str, int], float] = {}
        for metric in self._registry.collect():
            for sample in metric.samples:
                if sample.name != "imagegen_mock_requests_total":
                    continue
                if sample.labels.get("route") != "operation":
                    continue
                key = (sample.labels["variant"], int(sample.labels["status"]))
                counts[key] = counts.get(key, 0.0) + sample.value
        return [
            RequestCount(variant, status, int(count))
            for (variant, status), count in sorted(counts.items())
        ]
