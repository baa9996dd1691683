import pytest

from imagegen_spec.bench.conformance import ConformanceError, engine_seconds


def test_engine_time_comes_from_the_engine_finished_event() -> None:
    events = [
        {"EngineStarted": {"id": "1", "timestamp": 10.0}},
        {"EngineFinished": {"id": "2", "timestamp": 12.5, "running_time": 2.25}},
    ]
    assert engine_seconds(events) == 2.25, "Schemathesis' own running_time, not wall time"


def test_a_stream_without_the_engine_finishing_is_refused() -> None:
    with pytest.raises(ConformanceError, match="EngineFinished"):
        engine_seconds([{"EngineStarted": {"id": "1", "timestamp": 10.0}}])
