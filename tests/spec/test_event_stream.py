"""Schemathesis (the project's pinned 4.x) validates each event of openai's streamed 200.

On OpenAPI 3.1 Schemathesis reads the `text/event-stream` media type's `schema` as the schema of
one parsed server-sent event (`event`, `data`, `id`, `retry`) and follows `contentMediaType` /
`contentSchema` into the JSON of `data`. These tests hold the spec to that shape: the spec's own
event examples make a valid stream, and a stream that breaks the spec fails event by event.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.core.failures import Failure, FailureGroup

from imagegen_spec.core.operation import operation
from imagegen_spec.core.specs import spec_path

EVENT_STREAM = "text/event-stream"


def _examples() -> dict[str, dict[str, str]]:
    op = operation("openai")
    media = op.resolve({"$ref": "#" + str(op.response_pointer("200"))})["content"][EVENT_STREAM]
    return {name: example["value"] for name, example in media["examples"].items()}


def _frame(event: str, data: str) -> str:
    return f"event: {event}\ndata: {data}\n\n"


def _validate(stream: str) -> None:
    """Raise Schemathesis's failures for a 200 `text/event-stream` answer with this body."""
    schema = schemathesis.openapi.from_path(str(spec_path("openai")))
    op = schema["/images/generations"]["POST"]
    request = httpx.Request("POST", "http://127.0.0.1/openai/v1/images/generations")
    response = httpx.Response(
        200, content=stream.encode(), headers={"Content-Type": EVENT_STREAM}, request=request
    )
    response.read()
    response.elapsed = datetime.timedelta(0)
    op.validate_response(response)


def _events() -> tuple[dict[str, Any], dict[str, Any]]:
    examples = _examples()
    return json.loads(examples["partialImage"]["data"]), json.loads(examples["completed"]["data"])


def test_the_spec_example_events_make_a_valid_stream() -> None:
    examples = _examples()
    stream = "".join(_frame(e["event"], e["data"]) for e in examples.values())
    _validate(stream)  # raises when Schemathesis finds the stream invalid


def _broken(name: str) -> str:
    partial, completed = _events()
    no_usage = {key: value for key, value in completed.items() if key != "usage"}
    cases = {
        "completed without usage": _frame(completed["type"], json.dumps(no_usage)),
        "partial event named completed": _frame(completed["type"], json.dumps(partial)),
        "size not WIDTHxHEIGHT": _frame(partial["type"], json.dumps({**partial, "size": "big"})),
        "no event line": f"data: {json.dumps(completed)}\n\n",
        "a [DONE] sentinel": _frame(completed["type"], json.dumps(completed)) + "data: [DONE]\n\n",
        "partial index 3": _frame(
            partial["type"], json.dumps({**partial, "partial_image_index": 3})
        ),
    }
    return cases[name]


@pytest.mark.parametrize(
    "name",
    [
        "completed without usage",
        "partial event named completed",
        "size not WIDTHxHEIGHT",
        "no event line",
        "a [DONE] sentinel",
        "partial index 3",
    ],
)
def test_schemathesis_rejects_a_stream_that_breaks_the_spec(name: str) -> None:
    with pytest.raises((Failure, FailureGroup)) as failure:
        _validate(_broken(name))
    found = failure.value.exceptions if isinstance(failure.value, FailureGroup) else [failure.value]
    assert any("SSE event" in str(one) for one in found), (
        f"expected a per-event failure for {name}, got {found}"
    )
