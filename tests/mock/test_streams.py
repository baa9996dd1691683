"""Streamed answers (`stream: true`): the stage alone, then over HTTP, in-process and on a port.

Every event is checked against the spec's event schemas (through core.validation) and every
image is decoded with Pillow at the requested size and format.
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from PIL import Image, ImageChops, ImageStat

from imagegen_spec.mock import pipeline
from imagegen_spec.mock.replies import StreamReply
from tests.mock.conftest import (
    ENDPOINTS,
    Event,
    LiveServer,
    Mock,
    assert_valid_stream_event,
    auth_headers,
    parse_events,
)
from tests.mock.test_pipeline import exchange, run
from tests.mock.test_validation import assert_matches_response_schema

OPENAI = "openai"
FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


def assert_valid_event(name: str, body: dict[str, Any]) -> None:
    """Assert that an openai event matches the spec."""
    assert_valid_stream_event(OPENAI, name, body)


def decode(body: dict[str, Any]) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(body["b64_json"], validate=True)))


def stream_reply(body: dict[str, Any], prefer: str | None = None) -> StreamReply:
    """The stream stage's answer to a body (after the preferences stage read `Prefer`)."""
    ex = exchange(OPENAI, headers={"prefer": prefer} if prefer else None)
    assert run(pipeline.preferences, ex) is None
    ex.body = body
    reply = asyncio.run(pipeline.stream(ex))
    assert isinstance(reply, StreamReply), f"expected a stream for {body}, got {reply}"
    return reply


def collect(reply: StreamReply) -> list[Event]:
    async def chunks() -> bytes:
        return b"".join([chunk async for chunk in reply.events])

    return parse_events(asyncio.run(chunks()).decode("utf-8"))


# The stage alone.


def test_the_stream_stage_answers_only_a_streamed_request() -> None:
    for variant, body in [
        (OPENAI, {"prompt": "p"}),
        (OPENAI, {"prompt": "p", "stream": False, "partial_images": 2}),
        (OPENAI, {"prompt": "p", "stream": None}),
        ("dalle", {"prompt": "p"}),
        ("azure", {"prompt": "p", "stream": True}),  # unknown fields are ignored there
    ]:
        ex = exchange(variant)
        ex.body = body
        assert asyncio.run(pipeline.stream(ex)) is None, f"{variant} {body}: no stream expected"
    reply = stream_reply({"prompt": "p", "stream": True})
    assert reply.status == 200 and reply.header("content-type") == "text/event-stream"
    assert reply.cut_after is None


STREAMED = [
    ({"size": "1024x1536"}, (1024, 1536), "png", False),
    (
        {"model": "gpt-image-2", "size": "1536x864", "output_format": "jpeg"},
        (1536, 864),
        "jpeg",
        False,
    ),
    (
        {"background": "transparent", "output_format": "webp", "quality": "low"},
        (1024, 1024),
        "webp",
        True,
    ),
]


@pytest.mark.parametrize(("extra", "size", "image_format", "transparent"), STREAMED)
@pytest.mark.parametrize("partial_images", [0, 1, 3])
def test_the_events_match_the_spec_and_carry_real_images(
    extra: dict[str, Any],
    size: tuple[int, int],
    image_format: str,
    transparent: bool,
    partial_images: int,
) -> None:
    body = {"prompt": "a lighthouse", "stream": True, "partial_images": partial_images, **extra}
    events = collect(stream_reply(body))
    names = [name for name, _ in events]
    assert names == ["image_generation.partial_image"] * partial_images + [
        "image_generation.completed"
    ], f"expected {partial_images} partial images, then the completed event: {names}"
    for index, (name, event) in enumerate(events):
        assert_valid_event(name, event)
        image = decode(event)
        assert (image.size, image.format) == (size, FORMATS[image_format]), name
        assert event["size"] == f"{size[0]}x{size[1]}" and event["output_format"] == image_format
        has_alpha = image.mode == "RGBA" or "transparency" in image.info
        assert has_alpha == transparent, f"{name}: expected transparent={transparent}"
        if name == "image_generation.partial_image":
            assert event["partial_image_index"] == index
    usage = events[-1][1]["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"] > 0


def test_each_partial_image_shows_more_of_the_final_one() -> None:
    body = {"prompt": "a red fox", "stream": True, "partial_images": 3, "size": "1024x1024"}
    images = [decode(event).convert("RGB") for _, event in collect(stream_reply(body))]
    final = images[-1]
    distances = [
        sum(ImageStat.Stat(ImageChops.difference(image, final)).mean) for image in images[:-1]
    ]
    assert distances == sorted(distances, reverse=True) and len(set(distances)) == 3, (
        f"expected each partial image closer to the final one, mean distances {distances}"
    )
    assert distances[-1] > 0, "expected the last partial image to differ from the final one"


def test_a_stream_of_several_images_gives_each_its_partials_and_completed_event() -> None:
    body = {"prompt": "a red fox", "stream": True, "partial_images": 1, "n": 2, "size": "1024x1024"}
    names = [name.rsplit(".", 1)[1] for name, _ in collect(stream_reply(body))]
    assert names == ["partial_image", "completed", "partial_image", "completed"], names


@pytest.mark.parametrize(("cut", "partial_images", "cut_after"), [(0, 2, 0), (1, 2, 1), (9, 2, 2)])
def test_a_cut_never_lets_the_completed_event_through(
    cut: int, partial_images: int, cut_after: int
) -> None:
    body = {"prompt": "p", "stream": True, "partial_images": partial_images}
    reply = stream_reply(body, prefer=f"stream-cut={cut}")
    assert reply.cut_after == cut_after, f"stream-cut={cut} of {partial_images + 1} events"


@pytest.mark.parametrize("value", ["x", "-1", "1.5", "", "²"])
def test_a_stream_cut_that_is_no_count_is_refused(value: str) -> None:
    reply = run(pipeline.preferences, exchange(OPENAI, headers={"prefer": f"stream-cut={value}"}))
    assert reply is not None and reply.status == 400, value
    assert reply.body["error"]["code"] == "invalid_value"
    assert f"stream-cut={value}" in reply.body["error"]["message"]


# Over HTTP, in-process.


def test_a_streamed_answer_over_http(mock: Mock) -> None:
    body = {"prompt": "a lighthouse", "stream": True, "partial_images": 2, "size": "1536x1024"}
    response = mock.generate(OPENAI, body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/event-stream"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-request-id"].startswith("req_")
    assert "content-length" not in response.headers, "a stream is sent in chunks"
    events = parse_events(response.text)
    assert [name for name, _ in events][-1] == "image_generation.completed"
    for name, event in events:
        assert_valid_event(name, event)
    assert mock.app.stats[(OPENAI, 200)] == 1


@pytest.mark.parametrize("status", [400, 401, 413, 429, 500, 503])
def test_a_forced_error_on_a_stream_is_the_declared_json_error(mock: Mock, status: int) -> None:
    body = {"prompt": "p", "stream": True, "partial_images": 2}
    response = mock.generate(OPENAI, body, headers={"Prefer": f"code={status}"})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert_matches_response_schema(OPENAI, status, response.json())


def test_errors_found_before_the_stream_are_json(mock: Mock) -> None:
    for body, param in [
        ({"prompt": "p", "stream": True, "partial_images": 4}, "partial_images"),
        ({"prompt": "p", "stream": True, "size": "1000x1000"}, "size"),
        ({"prompt": "p", "stream": "yes"}, "stream"),
    ]:
        response = mock.generate(OPENAI, body)
        assert response.status_code == 400, f"{body}: {response.text[:200]}"
        assert response.json()["error"]["param"] == param
    refused = mock.generate(OPENAI, {"prompt": "forbidden", "stream": True})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "moderation_blocked"


def test_a_delay_holds_the_stream_back(mock: Mock) -> None:
    started = time.perf_counter()
    response = mock.generate(
        OPENAI, {"prompt": "p", "stream": True}, headers={"Prefer": "delay=150"}
    )
    assert time.perf_counter() - started >= 0.15
    assert [name for name, _ in parse_events(response.text)] == ["image_generation.completed"]


def test_a_cut_stream_in_process_ends_without_the_completed_event(mock: Mock) -> None:
    body = {"prompt": "p", "stream": True, "partial_images": 3}
    response = mock.generate(OPENAI, body, headers={"Prefer": "stream-cut=2"})
    names = [name for name, _ in parse_events(response.text)]
    assert names == ["image_generation.partial_image"] * 2, names
    whole = mock.generate(OPENAI, {"prompt": "p"}, headers={"Prefer": "stream-cut=0"})
    assert whole.status_code == 200 and whole.json()["data"], "a JSON answer has no stream to cut"


# On a real port.


@pytest.fixture
def uvicorn_errors() -> Iterator[list[logging.LogRecord]]:
    """What uvicorn logs as errors (after the logger's own filters) during a test."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect(logging.ERROR)
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_a_cut_stream_drops_the_connection(
    live: LiveServer, uvicorn_errors: list[logging.LogRecord]
) -> None:
    body = {"prompt": "p", "stream": True, "partial_images": 3, "size": "1024x1024"}
    headers = {**auth_headers(OPENAI), "Prefer": "stream-cut=2"}
    chunks: list[bytes] = []
    with (
        httpx2.Client(base_url=live.base_url, timeout=30) as client,
        client.stream("POST", ENDPOINTS[OPENAI], json=body, headers=headers) as response,
    ):
        assert response.status_code == 200
        with pytest.raises(httpx2.RemoteProtocolError):
            chunks.extend(response.iter_bytes())
    received = b"".join(chunks)
    names = [name for name, _ in parse_events(received.decode("utf-8"))]
    assert names == ["image_generation.partial_image"] * 2, names
    assert not uvicorn_errors, f"a deliberate cut is not a server error: {uvicorn_errors}"
    complete = httpx2.post(
        live.base_url + ENDPOINTS[OPENAI], json=body, headers=auth_headers(OPENAI), timeout=30
    )
    assert parse_events(complete.text)[-1][0] == "image_generation.completed"


def test_the_json_answer_echoes_the_settings_and_reports_usage(mock: Mock) -> None:
    body = {
        "prompt": "a sticker",
        "size": "1024x1536",
        "quality": "high",
        "background": "transparent",
        "output_format": "webp",
    }
    response = mock.generate(OPENAI, body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert_matches_response_schema(OPENAI, 200, answer)
    echoed = {name: answer[name] for name in ("size", "quality", "background", "output_format")}
    assert echoed == {name: body[name] for name in echoed}
    usage = answer["usage"]
    assert usage["output_tokens_details"]["image_tokens"] == usage["output_tokens"] > 0
    image = decode(answer["data"][0])
    assert (image.size, image.format, image.mode) == ((1024, 1536), "WEBP", "RGBA")


def test_the_json_answer_with_every_default_matches_the_spec(mock: Mock) -> None:
    response = mock.generate(OPENAI, {"prompt": "an otter"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert_matches_response_schema(OPENAI, 200, answer)
    assert answer["size"] == "1024x1024" and decode(answer["data"][0]).size == (1024, 1024)


def test_a_gpt_image_2_size_is_made_at_that_size(mock: Mock) -> None:
    body = {"prompt": "a road", "model": "gpt-image-2", "size": "2048x1152"}
    response = mock.generate(OPENAI, body)
    assert response.status_code == 200, response.text
    assert decode(response.json()["data"][0]).size == (2048, 1152)


def test_a_stream_cut_that_is_no_count_gets_each_variants_validation_error(
    mock: Mock, variant: str
) -> None:
    response = mock.generate(variant, {"prompt": "p"}, headers={"Prefer": "stream-cut=soon"})
    status = mock.app.runtimes[variant].responses.validation_status
    assert response.status_code == status, response.text
    assert_matches_response_schema(variant, status, response.json())
    assert "stream-cut=soon" in response.text
