"""One recorded exchange (a request and its answer, or none), as both sides of a gateway log it.

The client side is logged by the Schemathesis process (tagging.py), the upstream side by the
recording middleware (upstream.py); both write the same JSON lines: `request` (method, uri,
headers as `{name: [values]}`, body as `{"$base64": ...}`), `response` (status_code, headers,
content) or null, and the times it started and finished.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from imagegen_spec.conformance.excerpt import header_values, recorded_bytes
from imagegen_spec.conformance.wire import WireRequest


class _Missing:
    """No JSON value: the body is empty or not JSON."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def parse_json(raw: bytes | None) -> Any:
    """A body's JSON value, or MISSING."""
    if not raw:
        return MISSING
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return MISSING


@dataclass(frozen=True)
class Message:
    """The headers and body of a recorded request or response."""

    headers: Mapping[str, list[str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """A header's value (the first, any case), or None."""
        values = header_values(self.headers, name)
        return values[0] if values else None

    @property
    def json(self) -> Any:
        """The body's JSON value, or MISSING."""
        return parse_json(self.body)


@dataclass(frozen=True)
class Request(Message):
    """A recorded request."""

    method: str
    uri: str

    @property
    def path(self) -> str:
        """The URI's path."""
        return urlsplit(self.uri).path


TimedLength = tuple[float, int]
"""When a chunk of a streamed body was sent or received (Unix seconds), and its length."""


@dataclass(frozen=True)
class Response(Message):
    """A recorded response."""

    status: int
    chunks: tuple[TimedLength, ...] = ()
    """An event stream: the body's chunks as they were sent or received (empty otherwise)."""

    def timed_chunks(self) -> list[tuple[float, bytes]]:
        """The body cut into its recorded chunks, each with its time."""
        pieces, offset = [], 0
        for at, length in self.chunks:
            pieces.append((at, self.body[offset : offset + length]))
            offset += length
        return pieces


@dataclass(frozen=True)
class Exchange:
    """A request, its answer (None: none came), when it started and finished, and its tag."""

    request: Request
    response: Response | None
    started: float
    finished: float
    tag: str = ""
    """Client side: the tag sent with it (tagging.py)."""

    def to_json(self) -> dict[str, Any]:
        """The record as the logs write it (bodies base64)."""
        import base64

        def body(raw: bytes) -> dict[str, str]:
            return {"$base64": base64.b64encode(raw).decode("ascii")}

        return {
            "tag": self.tag,
            "sent_at": self.started,
            "answered_at": self.finished,
            "request": {
                "method": self.request.method,
                "uri": self.request.uri,
                "headers": dict(self.request.headers),
                "body": body(self.request.body),
            },
            "response": None
            if self.response is None
            else {
                "status_code": self.response.status,
                "headers": dict(self.response.headers),
                "content": body(self.response.body),
                **(
                    {"chunks": [list(chunk) for chunk in self.response.chunks]}
                    if self.response.chunks
                    else {}
                ),
            },
        }


def wire_request(exchange: Exchange, base_urls: Sequence[str]) -> WireRequest:
    """An exchange's request as the spec reads it, below the first base URL its path is under.

    When its path is under none of `base_urls`, it is read below the first (off the operation).
    """
    request = exchange.request
    headers = {name: values[0] for name, values in request.headers.items() if values}
    base = next(
        (url for url in base_urls if request.path.startswith(urlsplit(url).path.rstrip("/") + "/")),
        base_urls[0],
    )
    return WireRequest.from_parts(request.method, request.uri, headers, request.body, base)


def from_record(record: Mapping[str, Any]) -> Exchange:
    """Read one logged record."""
    request = record["request"]
    response = record.get("response")
    return Exchange(
        request=Request(
            headers=dict(request.get("headers") or {}),
            body=recorded_bytes(request.get("body")),
            method=str(request["method"]).upper(),
            uri=str(request["uri"]),
        ),
        response=None
        if response is None
        else Response(
            headers=dict(response.get("headers") or {}),
            body=recorded_bytes(response.get("content")),
            status=int(response["status_code"]),
            chunks=tuple((float(at), int(length)) for at, length in response.get("chunks") or ()),
        ),
        started=float(record["sent_at"]),
        finished=float(record["answered_at"]),
        tag=str(record.get("tag") or ""),
    )


def read_log(path: Path) -> list[Exchange]:
    """Read a JSON-lines log of exchanges (missing file: none)."""
    if not path.exists():
        return []
    return [
        from_record(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def write_log(path: Path, exchanges: list[Exchange]) -> None:
    """Write exchanges as a JSON-lines log."""
    path.write_text(
        "".join(json.dumps(exchange.to_json()) + "\n" for exchange in exchanges), encoding="utf-8"
    )
