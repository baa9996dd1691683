"""The mock's counters as Prometheus metrics, one registry per app or shared by its workers.

One process (the default) counts in a plain dictionary and hands the values to
prometheus-client only when the metrics path is read (`_InProcessCollector`): a request costs a
dictionary update, not two locked metric increments. With several workers (`--workers N`) the
command line sets `PROMETHEUS_MULTIPROC_DIR` before it starts them, and prometheus-client's
multiprocess mode keeps each worker's values in a file there, written on every request, so that
the metrics path of any worker reports the exact sum over all of them at any moment. Either
way each app counts in a registry of its own (several apps in one process, as in tests, never
mix), and the metric names, labels and types are the same.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge
from prometheus_client import generate_latest as _generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST
REQUESTS = "imagegen_mock_requests"
REQUESTS_HELP = "Requests answered, by variant, route and status."
REQUEST_LABELS = ("variant", "route", "status")
WORKER_REQUESTS = "imagegen_mock_worker_requests"
WORKER_REQUESTS_HELP = (
    "Requests answered by each worker process (labelled pid with several workers)."
)

Route = Literal["operation", "image", "other"]
"""What a request asked for: a variant's operation, a `url` image, or anything else."""

_Key = tuple[str, Route, int]


@dataclass(frozen=True, slots=True)
class RequestCount:
    """Requests of one variant's operation answered with one status."""

    variant: str
    status: int
    count: int


class MockMetrics:
    """Request counters by variant, route and status, and requests per worker process."""

    def __init__(self) -> None:
        """Count in this process (one worker), or in the workers' shared files when they run."""
        self.multiprocess = bool(os.environ.get(MULTIPROCESS_ENV))
        self._registry = CollectorRegistry()
        self._counter: _SharedCounters | _InProcessCollector
        if self.multiprocess:
            MultiProcessCollector(self._registry)  # type: ignore[no-untyped-call]
            self._counter = _SharedCounters()
        else:
            self._counter = _InProcessCollector()
            self._registry.register(self._counter)

    def count(self, variant: str, route: Route, status: int) -> None:
        """Count one answered request."""
        self._counter.count((variant, route, status))

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric (summed over workers)."""
        return _generate_latest(self._registry)

    def operation_counts(self) -> list[RequestCount]:
        """Operation requests by variant and status, sorted (the `/_mock/stats` summary)."""
        counts: dict[tuple[str, int], float] = {}
        for metric in self._registry.collect():
            for sample in metric.samples:
                if sample.name != f"{REQUESTS}_total":
                    continue
                if sample.labels.get("route") != "operation":
                    continue
                key = (sample.labels["variant"], int(sample.labels["status"]))
                counts[key] = counts.get(key, 0.0) + sample.value
        return [
            RequestCount(variant, status, int(count))
            for (variant, status), count in sorted(counts.items())
        ]


class _InProcessCollector(Collector):
    """One process's counts in a dictionary, turned into metrics when they are collected.

    Requests are counted on the event loop's thread only; a scrape copies the dictionary first.
    """

    def __init__(self) -> None:
        self._counts: dict[_Key, int] = {}
        self._created: dict[_Key, float] = {}

    def count(self, key: _Key) -> None:
        counts = self._counts
        if key in counts:
            counts[key] += 1
        else:
            counts[key] = 1
            self._created[key] = time.time()

    def collect(self) -> Iterator[Metric]:
        counts = dict(self._counts)
        requests = CounterMetricFamily(REQUESTS, REQUESTS_HELP, labels=REQUEST_LABELS)
        for (variant, route, status), value in counts.items():
            created = self._created[(variant, route, status)]
            requests.add_metric([variant, route, str(status)], value, created=created)
        yield requests
        yield GaugeMetricFamily(WORKER_REQUESTS, WORKER_REQUESTS_HELP, sum(counts.values()))


class _SharedCounters:
    """prometheus-client's own metrics, whose values live in the multiprocess directory."""

    def __init__(self) -> None:
        self._requests = Counter(REQUESTS, REQUESTS_HELP, REQUEST_LABELS, registry=None)
        self._worker_requests = Gauge(
            WORKER_REQUESTS, WORKER_REQUESTS_HELP, multiprocess_mode="all", registry=None
        )
        self._children: dict[_Key, Counter] = {}

    def count(self, key: _Key) -> None:
        child = self._children.get(key)
        if child is None:
            variant, route, status = key
            child = self._children[key] = self._requests.labels(variant, route, str(status))
        child.inc()
        self._worker_requests.inc()
