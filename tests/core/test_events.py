"""What `core.events` reads of a spec's event stream, and the specs it refuses."""

from __future__ import annotations

import copy

import pytest

from imagegen_spec.core.events import (
    EVENT_TYPE_FIELD,
    PARTIAL_IMAGES_FIELD,
    STREAM_FIELD,
    EventStream,
    stream_media_pointer,
)
from imagegen_spec.core.operation import Operation, operation


def _renamed(field: str) -> Operation:
    """The openai operation with the request property `field` renamed (`stream` -> `sse`...)."""
    real = operation("openai")
    spec = copy.deepcopy(real.spec)
    request = spec["components"]["schemas"]["CreateImageRequest"]
    request["properties"][f"{field}_renamed"] = request["properties"].pop(field)
    return Operation(variant="openai", spec=spec, path=real.path, method=real.method)


def test_the_openai_spec_s_stream_is_read() -> None:
    stream = EventStream.of(operation("openai"))
    assert stream is not None, "expected openai's 200 text/event-stream to be read"
    assert stream.partial is not None, "expected openai's partial-image event"


@pytest.mark.parametrize("field", [STREAM_FIELD, PARTIAL_IMAGES_FIELD])
def test_a_stream_whose_request_lacks_its_field_is_refused(field: str) -> None:
    with pytest.raises(ValueError, match=f"no '{field}' property") as raised:
        EventStream.of(_renamed(field))
    assert "text/event-stream" in str(raised.value), raised.value


def test_the_event_name_field_and_media_pointer_are_the_spec_s() -> None:
    op = operation("openai")
    stream = EventStream.of(op)
    media = stream_media_pointer(op)

    assert stream is not None, "expected openai's event stream"
    assert media == f"{op.response_pointer('200')}/content/text~1event-stream", media
    assert EVENT_TYPE_FIELD in stream.completed.properties, stream.completed.properties
    assert stream_media_pointer(operation("dalle")) is None, "dalle declares no event stream"
