"""What the mock answers: a status, a JSON body and headers, built once and never changed.

A streamed request gets a `StreamReply` instead: its headers and its events, made as they are sent.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from imagegen_spec.core.variant import Variant

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer (an error or a success). The body is built before and not touched after."""

    status: int
    body: Any
    headers: Headers = ()

    def header(self, name: str) -> str | None:
        """The value of a header (case-insensitive), if the reply has it."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def declared_reply(
    runtime: Variant,
    status: int,
    *,
    cause: str | None = None,
    message: str | None = None,
    error_fields: Mapping[str, Any] | None = None,
    header_values: Mapping[str, str] | None = None,
    left_out: tuple[str, ...] = (),
) -> Reply:
    """The spec's example of a declared error, with its declared headers, adapted as asked.

    `message` re-words the error object's message, `error_fields` sets other fields of it,
    `left_out` drops fields of it, and
    `header_values` overrides declared headers' example values (only headers the spec declares).
    """
    template = runtime.responses.error_template(status, cause)
    body = copy.deepcopy(template.body)
    error = body.get("error")
    if isinstance(error, dict):
        if message is not None:
            error["message"] = message
        error.update(error_fields or {})
        for name in left_out:
            error.pop(name, None)
    overrides = {name.lower(): value for name, value in (header_values or {}).items()}
    headers = tuple(
        (name, overrides.get(name.lower(), str(value)))
        for name, value in template.headers.items()
        if value is not None
    )
    return Reply(status, body, headers)


@dataclass(frozen=True, slots=True)
class StreamReply:
    """A streamed answer: a 200 whose body is server-sent events, sent as they are made.

    `events` yields each event framed (an `event:` and a `data:` line, then a blank line);
    `cut_after`, when set, is how many events are sent before the connection is dropped
    (`Prefer: stream-cut=N`).
    """

    events: AsyncGenerator[bytes]
    headers: Headers = ()
    cut_after: int | None = None
    status: int = 200

    def header(self, name: str) -> str | None:
        """The value of a header (case-insensitive), if the reply has it."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


Answer = Reply | StreamReply
"""What a request gets: a whole answer, or a stream of events."""


def encode_json(body: Any) -> bytes:
    """Compact JSON as UTF-8: orjson, about 100x faster than json on a b64_json image.

    json encodes what orjson refuses (an integer beyond 64 bits or a lone surrogate echoed back
    from a request), so every body still gets an answer.
    """
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, separators=(",", ":")).encode("utf-8")
