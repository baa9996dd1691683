"""A streamed answer as the docs show it: the spec's example events, one SSE transcript.

A spec whose success response has a `text/event-stream` media type answers `stream: true` with
server-sent events, each one JSON object in `data:` named by its `type` in `event:`. The spec
gives one example per kind of event on that media type (an example must match the event
schema); the docs join them, in the spec's order, into the transcript a client reads off the
wire, and list each event's fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from imagegen_spec.core.operation import Operation
from imagegen_spec.core.pointers import pointer, resolve_pointer
from imagegen_spec.docs.describe import FieldFacts, ref_name, walk_fields

EVENT_STREAM = "text/event-stream"
"""The media type of a streamed answer."""
EVENT_NAME = "type"
"""The field of an event whose value is its SSE `event:` name."""


@dataclass(frozen=True)
class EventExample:
    """One example event of the spec: its name, summary and JSON object."""

    name: str
    summary: str
    value: dict[str, Any]

    @property
    def event(self) -> str:
        """The event's name on the wire (its `type`)."""
        return str(self.value.get(EVENT_NAME, "message"))

    def as_sse(self) -> str:
        """The event as server-sent event lines, ending with the blank line that ends it."""
        data = json.dumps(self.value, ensure_ascii=False, separators=(",", ":"))
        return f"event: {self.event}\ndata: {data}\n\n"


@dataclass(frozen=True)
class EventSchema:
    """One kind of event the stream carries: its name (the `type` constant) and its fields."""

    name: str
    schema_name: str | None
    description: str
    fields: tuple[FieldFacts, ...]


def stream_media_pointer(op: Operation) -> str | None:
    """The JSON pointer of the success response's `text/event-stream` media type, if any."""
    for status in op.statuses:
        if not status.startswith("2"):
            continue
        response_pointer = op.response_pointer(status)
        if response_pointer is None:
            continue
        content = resolve_pointer(op.spec, response_pointer).get("content", {})
        if EVENT_STREAM in content:
            return response_pointer + pointer("content", EVENT_STREAM)
    return None


def streams(op: Operation) -> bool:
    """Whether the operation can answer with an event stream."""
    return stream_media_pointer(op) is not None


def event_examples(op: Operation) -> tuple[EventExample, ...]:
    """The example events of the stream, in the spec's order (none without a stream)."""
    media_pointer = stream_media_pointer(op)
    if media_pointer is None:
        return ()
    media = resolve_pointer(op.spec, media_pointer)
    found = []
    for name, example in media.get("examples", {}).items():
        resolved = op.resolve(example)
        if isinstance(resolved.get("value"), dict):
            found.append(
                EventExample(name, str(resolved.get("summary", name)), dict(resolved["value"]))
            )
    return tuple(found)


def sse_transcript(op: Operation) -> str:
    """The spec's example events as one stream, as a client reads it off the wire."""
    return "".join(example.as_sse() for example in event_examples(op))


def event_schemas(op: Operation) -> tuple[EventSchema, ...]:
    """Each kind of event of the stream (a `oneOf`/`anyOf` member, or the one schema)."""
    media_pointer = stream_media_pointer(op)
    if media_pointer is None:
        return ()
    schema = resolve_pointer(op.spec, media_pointer).get("schema", {})
    flat = op.resolve(schema)
    members = flat.get("oneOf") or flat.get("anyOf") or [schema]
    found = []
    for member in members:
        resolved = op.resolve(member)
        kind = op.resolve(resolved.get("properties", {}).get(EVENT_NAME, {}))
        values = [kind["const"]] if "const" in kind else list(kind.get("enum", []))
        name = str(values[0]) if len(values) == 1 else ref_name(member) or "event"
        found.append(
            EventSchema(
                name,
                ref_name(member),
                " ".join(str(resolved.get("description", "")).split()),
                tuple(walk_fields(op.spec, member)),
            )
        )
    return tuple(found)
