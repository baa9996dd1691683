"""The mock's counters: one process counts in a dictionary, exposed as prometheus-client's own.

With several workers the counts live in prometheus-client's multiprocess files (see
test_workers.py, which reads them summed over two real workers).
"""

from __future__ import annotations

import re

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from imagegen_spec.mock.app import RequestIds
from imagegen_spec.mock.metrics import MULTIPROCESS_ENV, MockMetrics, RequestCount

COUNTS = [("dalle", "operation", 200)] * 3 + [("azure", "operation", 401), ("", "other", 404)]
CREATED = re.compile(r"^imagegen_mock_requests_created\{.*$\n?", re.MULTILINE)


def reference_exposition() -> str:
    """What prometheus-client's own Counter and Gauge expose for COUNTS."""
    registry = CollectorRegistry()
    requests = Counter(
        "imagegen_mock_requests",
        "Requests answered, by variant, route and status.",
        ["variant", "route", "status"],
        registry=registry,
    )
    workers = Gauge(
        "imagegen_mock_worker_requests",
        "Requests answered by each worker process (labelled pid with several workers).",
        registry=registry,
    )
    for variant, route, status in COUNTS:
        requests.labels(variant, route, str(status)).inc()
        workers.inc()
    return generate_latest(registry).decode()


def test_one_process_exposes_what_prometheus_clients_own_metrics_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(MULTIPROCESS_ENV, raising=False)
    metrics = MockMetrics()
    assert not metrics.multiprocess
    for variant, route, status in COUNTS:
        metrics.count(variant, route, status)  # type: ignore[arg-type]
    exposed = metrics.exposition().decode()
    # The `_created` samples are timestamps: compare that they exist, not their values.
    assert len(CREATED.findall(exposed)) == 3, exposed
    assert CREATED.sub("", exposed) == CREATED.sub("", reference_exposition())
    assert metrics.operation_counts() == [
        RequestCount("azure", 401, 1),
        RequestCount("dalle", 200, 3),
    ]


def test_apps_in_one_process_count_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MULTIPROCESS_ENV, raising=False)
    first, second = MockMetrics(), MockMetrics()
    first.count("dalle", "operation", 200)
    assert second.operation_counts() == [], "expected a second app to count nothing yet"


def test_request_ids_are_unique_and_look_like_openais() -> None:
    ids = RequestIds()
    drawn = [ids.next() for _ in range(10_000)] + [RequestIds().next() for _ in range(100)]
    assert len(set(drawn)) == len(drawn), "expected no id twice (within an app or across apps)"
    assert all(re.fullmatch(r"req_[0-9a-f]{32}", found) for found in drawn), drawn[:3]
