"""Server-sent events as the checks and gateway mode read them, with the time each one arrived.

Parsing is httpx-sse's (the WHATWG event-stream rules: `data:` lines joined, comments skipped);
this module only feeds it bytes, either a whole recorded body or the chunks a stream arrived in,
each chunk with the time it was read. An event's time is the time of the chunk that completed
it, so a stream that a gateway holds back and sends at once shows every event at one time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_sse import EventSource

from imagegen_spec.core.events import EVENT_STREAM

TimedChunk = tuple[float, bytes]
"""A chunk of a body and the time (Unix seconds) it was sent or received."""


class _NoJSON:
    """The event's data is not JSON."""

    def __repr__(self) -> str:
        return "NO_JSON"


NO_JSON = _NoJSON()


@dataclass(frozen=True)
class StreamEvent:
    """One server-sent event: its `event:` name, its `data:` text, and when it was complete."""

    name: str
    """The `event:` field ("" when the event names none; SSE then calls it `message`)."""
    data: str
    at: float
    """When the chunk that completed it was sent or received (0.0 when not timed)."""

    @property
    def json(self) -> Any:
        """The data as JSON, or NO_JSON."""
        try:
            return json.loads(self.data)
        except (ValueError, RecursionError):
            return NO_JSON


def is_event_stream(content_type: str | None) -> bool:
    """Whether a Content-Type header names an event stream."""
    return (content_type or "").split(";")[0].strip().lower() == EVENT_STREAM


def _events(chunks: Iterable[TimedChunk]) -> Iterator[StreamEvent]:
    now = [0.0]

    def feed() -> Iterator[bytes]:
        for at, chunk in chunks:
            now[0] = at
            yield chunk

    response = httpx.Response(200, headers={"content-type": EVENT_STREAM}, content=feed())
    for event in EventSource(response).iter_sse():
        if event.data or event.event:
            yield StreamEvent(name=event.event, data=event.data, at=now[0])


def timed_events(chunks: Sequence[TimedChunk]) -> list[StreamEvent]:
    """The events of a stream that arrived in timed chunks (an event cut off at the end: none)."""
    return list(_events(chunks))


def parse_events(body: bytes) -> list[StreamEvent]:
    """The events of a whole event-stream body (untimed)."""
    return timed_events([(0.0, body)]) if body else []
