"""The stream check and the gateway's stream comparison on made-up streams (no server)."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from PIL import Image

from imagegen_spec.conformance.checks import stream_problems
from imagegen_spec.conformance.gateway.compare import Kind
from imagegen_spec.conformance.gateway.exchanges import Exchange, Request, Response
from imagegen_spec.conformance.gateway.streams import (
    MIN_SPREAD_SECONDS,
    StreamSummary,
    stream_findings,
)
from imagegen_spec.conformance.sse import StreamEvent, parse_events, timed_events
from imagegen_spec.core.events import EventStream
from imagegen_spec.core.request import ImageRequest
from imagegen_spec.core.variant import variant_model

WANTED = ImageRequest(
    prompt="a lighthouse",
    n=1,
    width=64,
    height=48,
    image_format="png",
    transparent=False,
    compression=None,
    response_format="b64_json",
)


def stream() -> EventStream:
    events = variant_model("openai").events
    assert events is not None and events.partial is not None, "openai declares partial images"
    return events


def image(width: int = WANTED.width, height: int = WANTED.height, kind: str = "PNG") -> str:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, format=kind)
    return base64.b64encode(out.getvalue()).decode("ascii")


def event(kind: str, **fields: Any) -> StreamEvent:
    payload = {"type": kind, "b64_json": image(), **fields}
    return StreamEvent(name=kind, data=json.dumps(payload), at=0.0)


def partial(index: int, **fields: Any) -> StreamEvent:
    return event(stream().partial.name, partial_image_index=index, **fields)  # type: ignore[union-attr]


def completed(**fields: Any) -> StreamEvent:
    return event(stream().completed.name, **fields)


def test_a_stream_as_declared_has_no_problem() -> None:
    events = [partial(0), partial(1), completed(size="64x48", output_format="png")]

    assert stream_problems(stream(), events, WANTED, 2) == []


def test_fewer_partial_images_than_asked_are_allowed() -> None:
    assert stream_problems(stream(), [partial(0), completed()], WANTED, 3) == []


@pytest.mark.parametrize(
    ("events", "partial_images", "expected"),
    [
        pytest.param(
            lambda: [partial(0, b64_json=image(16, 16)), completed()],
            1,
            "is 16x16, but 64x48 was requested",
            id="partial-wrong-size",
        ),
        pytest.param(
            lambda: [partial(0, b64_json=image(kind="JPEG")), completed()],
            1,
            "is JPEG, but png was requested",
            id="partial-wrong-format",
        ),
        pytest.param(
            lambda: [partial(0, b64_json="not base64!"), completed()],
            1,
            "is not valid base64",
            id="partial-not-base64",
        ),
        pytest.param(lambda: [partial(0)], 1, "got 0 in 1 events", id="no-completed"),
        pytest.param(
            lambda: [completed(), partial(0)], 1, "comes after the last completed", id="after-end"
        ),
        pytest.param(
            lambda: [partial(0), partial(1), completed()],
            1,
            "2 partial images were sent, but `partial_images` asked for at most 1",
            id="too-many-partials",
        ),
        pytest.param(
            lambda: [partial(1), partial(0), completed()],
            2,
            "are not distinct and rising",
            id="indices-fall",
        ),
        pytest.param(
            lambda: [completed(size="1024x1024")],
            0,
            'names size "1024x1024", but 64x48 was requested',
            id="echoed-size",
        ),
        pytest.param(
            lambda: [StreamEvent(name="x", data="not json", at=0.0), completed()],
            0,
            "does not carry a JSON object",
            id="not-json",
        ),
    ],
)
def test_a_stream_that_breaks_a_rule_says_which(
    events: Any, partial_images: int, expected: str
) -> None:
    problems = stream_problems(stream(), events(), WANTED, partial_images)

    assert any(expected in problem for problem in problems), (
        f"expected a problem saying {expected!r}, got {problems}"
    )


def test_each_of_n_images_gets_its_own_partials_then_its_completed_event() -> None:
    two = ImageRequest(**{**WANTED.__dict__, "n": 2})
    events = [partial(0), partial(1), completed(), partial(0), partial(1), completed()]

    assert stream_problems(stream(), events, two, 2) == []
    assert stream_problems(stream(), events[:3], two, 2), "expected the second image missed"


def test_events_are_timed_by_the_chunk_that_completes_them() -> None:
    body = b"event: a\ndata: 1\n\n: a comment\n\nevent: b\ndata: 2\n"
    chunks = [(1.0, body[:12]), (2.0, body[12:30]), (3.0, body[30:] + b"\n")]

    timed = timed_events(chunks)

    assert [(item.name, item.data, item.at) for item in timed] == [("a", "1", 2.0), ("b", "2", 3.0)]
    assert [item.data for item in parse_events(body)] == ["1"], "an unended event is no event"


FRAME = b"event: e\ndata: {}\n\n"


def exchange(started: float, times: list[float]) -> Exchange:
    body = FRAME * len(times)
    return Exchange(
        request=Request(headers={}, body=b"{}", method="POST", uri="http://x/images/generations"),
        response=Response(
            headers={"content-type": ["text/event-stream"]},
            body=body,
            status=200,
            chunks=tuple((at, len(FRAME)) for at in times),
        ),
        started=started,
        finished=times[-1] if times else started,
        tag="imagegen-0000000000000000",
    )


def kinds(client: Exchange, upstream: Exchange, summary: StreamSummary | None = None) -> set[Kind]:
    return {
        finding.kind for finding in stream_findings(client, upstream, summary or StreamSummary())
    }


def test_events_passed_on_as_they_come_are_no_finding() -> None:
    upstream = exchange(10.0, [10.01, 10.06, 10.11])
    summary = StreamSummary()

    assert kinds(exchange(9.99, [10.012, 10.062, 10.112]), upstream, summary) == set()
    assert (summary.streams, summary.events_sent, summary.events_received) == (1, 3, 3)
    assert summary.client_first_ms == [22.0] and summary.upstream_first_ms == [10.0], summary


def test_events_held_back_and_sent_at_once_are_buffered() -> None:
    upstream = exchange(10.0, [10.01, 10.06, 10.11])

    assert kinds(exchange(9.99, [10.12, 10.12, 10.12]), upstream) == {Kind.BUFFERED}


def test_fewer_events_than_the_upstream_sent_are_dropped() -> None:
    upstream = exchange(10.0, [10.01, 10.06, 10.11])

    assert kinds(exchange(9.99, [10.012, 10.112]), upstream) == {Kind.EVENTS_DROPPED}


def test_events_sent_too_close_together_are_not_judged() -> None:
    close = 10.01 + MIN_SPREAD_SECONDS / 2
    upstream = exchange(10.0, [10.01, close])
    summary = StreamSummary()

    assert kinds(exchange(9.99, [close + 0.01, close + 0.01]), upstream, summary) == set()
    assert summary.too_quick == 1
