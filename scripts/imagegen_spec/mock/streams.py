"""The event stream of a streamed request: partial images, then the final image, as SSE.

A request with `stream: true`, where the spec declares a `text/event-stream` 200
(`core.events`), is answered with server-sent events, each framed as

    event: <type>
    data: <the event's JSON object on one line>

(a blank line ends each event). For each image: `partial_images` partial events, then the
completed event with the usage. A partial image is the final picture drawn in coarse squares
(`ImageSpec.block`), each one finer than the one before: the first in squares of an eighth of
the shorter side, each next one four times finer. It has the final image's size, format and
background, and renders as cheaply (prepared once per size and level, off the event loop until
then). Events are made one at a time, as they are sent, so the first one leaves at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

from imagegen_spec.core.events import EVENT_STREAM
from imagegen_spec.core.request import ImageRequest
from imagegen_spec.core.variant import Variant
from imagegen_spec.mock.images import ImageSpec
from imagegen_spec.mock.replies import Headers, encode_json
from imagegen_spec.mock.responses import event_body, image_specs

STREAM_HEADERS: Headers = (("content-type", EVENT_STREAM), ("cache-control", "no-cache"))
"""The headers of a streamed answer (no length: the body is sent in chunks as events come)."""
FIRST_PARTIAL_SQUARES = 8
"""The first partial image is drawn in squares of 1/8 of the picture's shorter side."""
FINER_BY = 4
"""Each next partial image's squares are this many times smaller."""

Encoder = Callable[[list[ImageSpec]], Awaitable[list[str]]]
"""Gives the `b64_json` of pictures (the pipeline's: off the event loop when not prepared)."""


def partial_block(index: int, width: int, height: int) -> int:
    """The side of the squares partial image `index` is drawn in (at least 2: never the final)."""
    squares: int = FIRST_PARTIAL_SQUARES * FINER_BY**index
    return max(2, min(width, height) // squares)


def partial_spec(spec: ImageSpec, index: int) -> ImageSpec:
    """Partial image `index` of a picture: the picture, coarser."""
    return dataclasses.replace(spec, block=partial_block(index, spec.width, spec.height))


def event_count(runtime: Variant, wanted: ImageRequest) -> int:
    """How many events the stream of a request has: its partial images and completed events."""
    events = runtime.events
    partials = wanted.partial_images if events is not None and events.partial else 0
    return wanted.n * (partials + 1)


def frame(name: str, body: Any) -> bytes:
    """One server-sent event: its name, its JSON object on one `data:` line, a blank line."""
    return b"event: " + name.encode("utf-8") + b"\ndata: " + encode_json(body) + b"\n\n"


async def event_stream(
    runtime: Variant, effective: dict[str, Any], wanted: ImageRequest, encode: Encoder
) -> AsyncGenerator[bytes]:
    """The framed events of a streamed request, each made when the previous one was sent."""
    events = runtime.events
    if events is None:
        raise ValueError(f"{runtime.variant} declares no {EVENT_STREAM} answer")
    for spec in image_specs(wanted):
        if events.partial is not None:
            for index in range(wanted.partial_images):
                [b64_json] = await encode([partial_spec(spec, index)])
                body = event_body(runtime, events.partial, effective, wanted, b64_json, index)
                yield frame(events.partial.name, body)
        [b64_json] = await encode([spec])
        yield frame(
            events.completed.name,
            event_body(runtime, events.completed, effective, wanted, b64_json),
        )
