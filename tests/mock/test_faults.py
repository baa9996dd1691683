"""Faults on demand: Prefer: code=NNN, latency per request and server-wide, random failures."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from imagegen_spec.core.operation import Operation, operation
from imagegen_spec.core.specs import variants
from imagegen_spec.core.variant import Responses
from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from tests.mock.conftest import Mock, in_process
from tests.mock.test_validation import assert_matches_response_schema


def declared_error_statuses(variant: str) -> list[int]:
    return [int(status) for status in operation(variant).statuses if int(status) >= 400]


def test_every_variant_declares_the_faults_clients_test(variant: str) -> None:
    assert {401, 413, 429, 500, 503} <= set(declared_error_statuses(variant))


@pytest.mark.parametrize(
    ("variant", "status"),
    [(variant, status) for variant in variants() for status in declared_error_statuses(variant)],
)
def test_prefer_code_returns_the_declared_error(mock: Mock, variant: str, status: int) -> None:
    response = mock.generate(variant, {"prompt": "p"}, headers={"Prefer": f"code={status}"})
    assert response.status_code == status, response.text
    assert_matches_response_schema(variant, status, response.json())
    if status == 429:
        assert int(response.headers["retry-after"]) >= 0, "429 must carry Retry-After"


def test_prefer_undeclared_code_is_a_clear_error(mock: Mock) -> None:
    response = mock.generate("dalle", {"prompt": "p"}, headers={"Prefer": "code=418"})
    assert response.status_code == 400
    assert "code=418" in response.json()["error"]["message"]


@pytest.mark.parametrize("delay", ["inf", "nan", "-5", "soon", "60001"])
def test_prefer_delay_out_of_range_is_a_clear_error(mock: Mock, delay: str) -> None:
    started = time.perf_counter()
    response = mock.generate("dalle", {"prompt": "p"}, headers={"Prefer": f"delay={delay}"})
    assert time.perf_counter() - started < 5, "an out-of-range delay must not be honoured"
    assert response.status_code == 400
    assert f"delay={delay}" in response.json()["error"]["message"]


def test_failure_rate_needs_a_declared_5xx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Responses, "__init__", _responses_without_5xx)
    with pytest.raises(ValueError, match="declares no 5xx"):
        create_app(MockConfig(failure_rate=0.5, variants=("dalle",)))


_original_init = Responses.__init__


def _responses_without_5xx(self: Responses, op: Operation) -> None:
    _original_init(self, op)
    self.server_error_statuses = []


def test_prefer_success_code_is_a_normal_request(mock: Mock) -> None:
    response = mock.generate("dalle", {"prompt": "p"}, headers={"Prefer": "code=200"})
    assert response.status_code == 200


def test_prefer_delay_adds_latency(mock: Mock) -> None:
    started = time.perf_counter()
    response = mock.generate("dalle", {"prompt": "p"}, headers={"Prefer": "delay=200"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed >= 0.2, f"expected at least 200 ms, took {elapsed * 1000:.0f} ms"


@pytest.fixture
def slow_mock() -> Iterator[Mock]:
    yield from in_process(MockConfig(latency_ms=150))


def test_server_wide_latency(slow_mock: Mock) -> None:
    started = time.perf_counter()
    slow_mock.generate("dalle", {"prompt": "p"})
    assert time.perf_counter() - started >= 0.15


@pytest.fixture
def failing_mock() -> Iterator[Mock]:
    yield from in_process(MockConfig(failure_rate=0.5, seed=7))


def test_failure_rate_fails_about_that_share_with_declared_5xx(failing_mock: Mock) -> None:
    statuses = [failing_mock.generate("dalle", {"prompt": "p"}).status_code for _ in range(200)]
    failures = [status for status in statuses if status >= 500]
    assert 60 <= len(failures) <= 140, f"expected about half of 200 to fail, got {len(failures)}"
    assert set(failures) <= {500, 503}, "random failures must be declared 5xx statuses"
    assert set(statuses) - set(failures) == {200}


def test_failure_rate_is_repeatable_with_a_seed() -> None:
    def run() -> list[int]:
        generator = in_process(MockConfig(failure_rate=0.3, seed=3))
        mock = next(generator)
        try:
            return [mock.generate("dalle", {"prompt": "p"}).status_code for _ in range(30)]
        finally:
            generator.close()

    assert run() == run()


@pytest.mark.parametrize(
    "settings",
    [{"failure_rate": 1.5}, {"latency_ms": -1}, {"max_body_bytes": 0}, {"variants": ("nope",)}],
)
def test_bad_settings_are_rejected(settings: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(settings))):
        MockConfig(**settings)  # type: ignore[arg-type]
