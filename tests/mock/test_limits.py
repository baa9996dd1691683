"""Limits: body size cap, no traversal through image URLs, stats."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from imagegen_spec.mock.config import MockConfig
from tests.mock.conftest import ENDPOINTS, Mock, auth_headers, in_process
from tests.mock.test_validation import assert_matches_response_schema


@pytest.fixture
def small_mock() -> Iterator[Mock]:
    yield from in_process(MockConfig(max_body_bytes=2048))


def test_body_over_the_cap_gets_413_in_provider_shape(small_mock: Mock, variant: str) -> None:
    response = small_mock.generate(variant, {"prompt": "x" * 3000})
    assert response.status_code == 413, response.text
    assert_matches_response_schema(variant, 413, response.json())
    assert "2048" in response.text, "the 413 should name the limit"


def test_streamed_body_over_the_cap_gets_413(small_mock: Mock) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"prompt": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}'

    response = small_mock.client.post(
        ENDPOINTS["dalle"],
        content=chunks(),
        headers={**auth_headers("dalle"), "content-type": "application/json"},
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "image_id", ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a" * 300, ""]
)
def test_no_traversal_through_image_ids(mock: Mock, image_id: str) -> None:
    response = mock.client.get(f"/_mock/images/{image_id}")
    assert response.status_code == 404
    assert b"root:" not in response.content


def test_stats_count_requests(mock: Mock) -> None:
    mock.generate("dalle", {"prompt": "p"})
    mock.generate("dalle", {"prompt": "p", "n": 0})
    counts = mock.client.get("/_mock/stats").json()["requests"]
    assert {"variant": "dalle", "status": 200, "count": 1} in counts
    assert {"variant": "dalle", "status": 400, "count": 1} in counts
