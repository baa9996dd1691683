"""A streamed answer as the docs show it: each event's fields, and one example SSE transcript.

A spec whose success response has a `text/event-stream` media type answers `stream: true` with
server-sent events, each one JSON object in `data:` named by its `type` in `event:`;
`core.events` reads which events those are. The spec gives one example per event on the media
type (an example must match the schema: a server-sent event's `event` and `data`, or the JSON
object itself); the docs join them, in the spec's order, into the transcript a client reads off
the wire.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from imagegen_spec.core.events import EVENT_TYPE_FIELD, EventStream, stream_media_pointer
from imagegen_spec.core.operation import Operation
from imagegen_spec.core.pointers import resolve_pointer
from imagegen_spec.docs.describe import FieldFacts, field_outline, walk_fields

FRAME_FIELDS = ("event", "data", "id", "retry")
"""The fields of a server-sent event, in the order a transcript writes them."""
_SCHEMAS = "/components/schemas/"


@dataclass(frozen=True)
class EventExample:
    """One example event of the spec: its name, summary and the fields of its SSE frame."""

    name: str
    summary: str
    frame: dict[str, str]
    """`event`, `data` (the JSON object on one line) and, when given, `id` and `retry`."""

    @property
    def event(self) -> str:
        """The event's name on the wire."""
        return self.frame.get("event", "message")

    def as_sse(self) -> str:
        """The event as server-sent event lines, ending with the blank line that ends it."""
        lines = [f"{name}: {self.frame[name]}\n" for name in FRAME_FIELDS if name in self.frame]
        return "".join(lines) + "\n"


@dataclass(frozen=True)
class EventSchema:
    """One kind of event the stream carries: its name (the `type` constant) and its fields."""

    name: str
    schema_name: str | None
    description: str
    fields: tuple[FieldFacts, ...]
    outline: str
    """Its fields two levels deep, `{type, usage {input_tokens, ...}}`."""


def streams(op: Operation) -> bool:
    """Whether the operation can answer with an event stream."""
    return stream_media_pointer(op) is not None


def _frame(value: Any) -> dict[str, str] | None:
    """An example's SSE frame: given as the frame (`event`, `data`) or as the JSON object."""
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("data"), str):
        return {name: str(value[name]) for name in FRAME_FIELDS if name in value}
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return {"event": str(value.get(EVENT_TYPE_FIELD, "message")), "data": data}


def event_examples(op: Operation) -> tuple[EventExample, ...]:
    """The example events of the stream, in the spec's order (none without a stream)."""
    media_pointer = stream_media_pointer(op)
    if media_pointer is None:
        return ()
    media = resolve_pointer(op.spec, media_pointer)
    found = []
    for name, example in media.get("examples", {}).items():
        resolved = op.resolve(example)
        frame = _frame(resolved.get("value"))
        if frame is not None:
            found.append(EventExample(name, str(resolved.get("summary", name)), frame))
    return tuple(found)


def sse_transcript(op: Operation) -> str:
    """The spec's example events as one stream, as a client reads it off the wire."""
    return "".join(example.as_sse() for example in event_examples(op))


def event_schemas(op: Operation) -> tuple[EventSchema, ...]:
    """Each kind of event of the stream: the partial image (if any), then the completed one."""
    stream = EventStream.of(op)
    if stream is None:
        return ()
    events = [event for event in (stream.partial, stream.completed) if event is not None]
    return tuple(
        EventSchema(
            event.name,
            event.pointer.removeprefix(_SCHEMAS) if event.pointer.startswith(_SCHEMAS) else None,
            " ".join(str(event.schema.get("description", "")).split()),
            tuple(walk_fields(op.spec, {"$ref": "#" + event.pointer})),
            field_outline(op.spec, {"$ref": "#" + event.pointer}),
        )
        for event in events
    )
