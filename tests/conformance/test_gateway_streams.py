"""Gateway mode with streamed answers: a gateway that buffers a stream or drops an event is named.

Each run checks the openai variant's examples (its streamed example asks for two partial images:
three events) through a planted proxy in front of the embedded upstream, which sends a stream's
events `EVENT_INTERVAL_SECONDS` apart. The expected counts come from what both sides logged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from imagegen_spec.conformance.gateway.compare import Kind, Side
from imagegen_spec.conformance.gateway.exchanges import read_log
from imagegen_spec.conformance.gateway.streams import FIELD, events
from imagegen_spec.conformance.results import VariantResult
from tests.conformance import gateways
from tests.conformance.test_gateway_mode import client_log, groups, run

pytestmark = pytest.mark.slow

VARIANT = "openai"
BUFFERED = (Side.RESPONSE, Kind.BUFFERED, FIELD)
DROPPED = (Side.RESPONSE, Kind.EVENTS_DROPPED, FIELD)


def streamed_cases(report_dir: Path) -> int:
    """Client requests that got an event stream of two or more events upstream."""
    upstream = read_log(report_dir / VARIANT / "upstream-exchanges.jsonl")
    return sum(len(events(exchange) or []) >= 2 for exchange in upstream)


def examples(
    passes_event: Callable[[int], bool] | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> VariantResult:
    """The openai examples through a planted gateway (`passes_event`: see PlantedGateway)."""

    def make(upstream: str) -> gateways.PlantedGateway:
        return gateways.PlantedGateway(upstream, passes_event=passes_event)

    return run(make, VARIANT, tmp_path, monkeypatch, "--phases", "examples")


def test_a_gateway_that_passes_events_on_is_neither_buffering_nor_dropping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = examples(lambda index: True, tmp_path, monkeypatch)

    assert streamed_cases(tmp_path) > 0, "the run streamed nothing: the test proves nothing"
    found = groups(result)
    assert BUFFERED not in found and DROPPED not in found, found
    assert result.gateway is not None
    summary = result.gateway.streams
    assert summary.streams >= 1 and summary.events_sent == summary.events_received, summary
    assert summary.too_quick == 0, f"expected every stream spread out enough to judge: {summary}"
    assert summary.client_first_ms, summary
    assert "event streams: " in summary.line()


def test_a_gateway_that_buffers_a_stream_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = examples(None, tmp_path, monkeypatch)

    expected = streamed_cases(tmp_path)
    assert expected > 0, "the run streamed nothing: the test proves nothing"
    found = groups(result)
    assert found.get(BUFFERED) == expected, f"expected {BUFFERED} in {expected} cases: {found}"
    assert DROPPED not in found, found
    assert not result.passed


def test_a_gateway_that_drops_an_event_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = examples(lambda index: index != 1, tmp_path, monkeypatch)

    expected = streamed_cases(tmp_path)
    assert expected > 0, "the run streamed nothing: the test proves nothing"
    found = groups(result)
    assert found.get(DROPPED) == expected, f"expected {DROPPED} in {expected} cases: {found}"
    assert BUFFERED not in found, found
    assert result.gateway is not None
    summary = result.gateway.streams
    assert summary.events_received == summary.events_sent - expected, summary
    received = [len(events(exchange) or []) for exchange in client_log(tmp_path, VARIANT)]
    assert sum(received) == summary.events_received, (received, summary)
    assert not result.passed
