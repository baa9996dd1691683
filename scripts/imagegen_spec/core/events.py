"""The event stream a spec declares: the `text/event-stream` media type of its 200 response.

A streamed request (`stream: true`) is answered with server-sent events, each one JSON object
in `data:`, named in `event:` by its `type`. The spec's event-stream schema is either the
server-sent event itself (an object whose `data` string has a `contentSchema`, the shape
Schemathesis validates per event) or directly the JSON object's schema; that object's schema is
a `oneOf` (or `anyOf`) of one schema per event. This module reads them, so the mock sends and
the checks expect the same events:

- the partial event: the member with a `partial_image_index` (one per partial image);
- the completed event: the member with `usage` (the final image, last of the stream).

Each event's name is the `const` (or single `enum` value) of its `type` property.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from imagegen_spec.core.operation import Operation
from imagegen_spec.core.pointers import pointer as json_pointer
from imagegen_spec.core.pointers import resolve_pointer

EVENT_STREAM = "text/event-stream"
"""The media type of a streamed answer."""
STREAM_FIELD = "stream"
"""The request field that asks for the event stream (`true`)."""
PARTIAL_IMAGES_FIELD = "partial_images"
"""The request field saying how many partial images a stream sends before the final one."""
PARTIAL_INDEX = "partial_image_index"
"""The property that makes an event schema the partial-image event."""
USAGE = "usage"
"""The property that makes an event schema the completed event."""
EVENT_TYPE_FIELD = "type"
"""The property of an event's JSON object whose value is its name (its SSE `event:` name)."""


def stream_media_pointer(op: Operation) -> str | None:
    """The JSON pointer of the 200 response's `text/event-stream` media type, if any."""
    response_pointer = op.response_pointer("200")
    if response_pointer is None:
        return None
    response = op.resolve({"$ref": "#" + response_pointer})
    if EVENT_STREAM not in response.get("content", {}):
        return None
    return response_pointer + json_pointer("content", EVENT_STREAM)


@dataclass(frozen=True)
class EventSchema:
    """One event a stream may carry: its name (`type`), schema and where the schema is."""

    name: str
    """The event's `type` value, also its SSE `event:` name."""
    pointer: str
    """The JSON pointer of the event's schema."""
    schema: dict[str, Any] = field(compare=False)
    """The event's resolved schema."""

    @property
    def properties(self) -> dict[str, Any]:
        """The event's properties by name (their schemas as the spec writes them)."""
        properties: dict[str, Any] = self.schema.get("properties", {})
        return properties


@dataclass(frozen=True)
class EventStream:
    """The stream a spec declares: the schema every event matches, and each kind of event."""

    pointer: str
    """The JSON pointer of the schema every event's JSON object (its `data`) validates against."""
    frame_pointer: str | None
    """The JSON pointer of the server-sent event's schema (`event`, `data`), if the spec has one."""
    partial: EventSchema | None
    """The partial-image event, if the stream has one."""
    completed: EventSchema
    """The completed event (the final image and the usage)."""

    @classmethod
    def of(cls, op: Operation) -> EventStream | None:
        """Read the 200 response's `text/event-stream` (None where the spec declares none).

        Raises ValueError when the event schemas cannot be told apart as described above, or when
        the request schema lacks the fields that ask for the stream (`stream`, and
        `partial_images` where a partial event is declared): a spec naming them otherwise would
        never be streamed.
        """
        if stream_media_pointer(op) is None:
            return None
        pointer = _target(op, op.response_schema_pointer("200", EVENT_STREAM) or "")
        frame_pointer = None
        schema = op.resolve({"$ref": "#" + pointer})
        content = schema.get("properties", {}).get("data", {})
        if isinstance(content, dict) and "contentSchema" in content:
            frame_pointer = pointer
            pointer = _target(op, f"{pointer}/properties/data/contentSchema")
            schema = op.resolve({"$ref": "#" + pointer})
        keyword = next((key for key in ("oneOf", "anyOf") if key in schema), None)
        members = (
            [pointer]
            if keyword is None
            else [
                _target(op, f"{pointer}/{keyword}/{index}") for index in range(len(schema[keyword]))
            ]
        )
        events = []
        for member in members:
            resolved = resolve_pointer(op.spec, member)
            events.append(EventSchema(_event_name(op, resolved), member, resolved))
        partial = [event for event in events if PARTIAL_INDEX in event.properties]
        completed = [event for event in events if USAGE in event.properties]
        if len(completed) != 1 or len(partial) > 1:
            raise ValueError(
                f"{op.variant}: the {EVENT_STREAM} schema must have one event with {USAGE!r} "
                f"(completed) and at most one with {PARTIAL_INDEX!r} (partial image)"
            )
        _require_request_fields(op, partial=bool(partial))
        return cls(pointer, frame_pointer, partial[0] if partial else None, completed[0])


def _require_request_fields(op: Operation, *, partial: bool) -> None:
    """Raise ValueError unless the request schema has the fields a streamed request sends."""
    schema = resolve_pointer(op.spec, _target(op, op.request_schema_pointer))
    properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
    needed = (STREAM_FIELD, PARTIAL_IMAGES_FIELD) if partial else (STREAM_FIELD,)
    missing = [name for name in needed if name not in properties]
    if missing:
        raise ValueError(
            f"{op.variant}: the 200 response declares {EVENT_STREAM}, but the request schema "
            f"has no {', '.join(repr(name) for name in missing)} property to ask for it"
        )


def _target(op: Operation, pointer: str) -> str:
    """The pointer a schema's `$ref` chain leads to (the pointer itself when it has none)."""
    node = resolve_pointer(op.spec, pointer)
    seen = {pointer}
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        pointer = str(node["$ref"]).removeprefix("#")
        if pointer in seen:
            raise ValueError(f"{op.variant}: a $ref cycle at {pointer}")
        seen.add(pointer)
        node = resolve_pointer(op.spec, pointer)
    return pointer


def _event_name(op: Operation, schema: dict[str, Any]) -> str:
    """The `const` (or only `enum` value) of an event schema's `type` property."""
    kind = op.resolve(schema.get("properties", {}).get(EVENT_TYPE_FIELD, {}))
    if "const" in kind:
        return str(kind["const"])
    values = kind.get("enum", [])
    if len(values) != 1:
        raise ValueError(
            f"{op.variant}: an event schema's `{EVENT_TYPE_FIELD}` must be a const, not {kind}"
        )
    return str(values[0])
