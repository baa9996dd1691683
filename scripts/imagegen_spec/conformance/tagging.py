"""Gateway mode, client side: tag each request for pairing and log it with its answer.

Every request that goes on the wire to the gateway gets a fresh tag, sent twice so that pairing
survives a gateway that drops headers or rewrites bodies:

- in the correlation header `X-Imagegen-Case`;
- as a nonce in the body's `user` field (every spec declares it a free string, and gateways
  forward it), added only where the body is a JSON object without a `user` and adding it leaves
  the body's validation errors exactly as they were (a valid body stays valid, an invalid one
  stays invalid for the same reasons). The rest of the body keeps its bytes.

Each request and its answer (or none) are appended to a JSON-lines log, the key replaced by its
placeholder, with the times it was sent and answered: the pairing reads it beside what reached
the upstream. An event-stream answer is logged once Schemathesis has read it (to its end, or
until it stopped reading), with the time each chunk arrived (`TimedStream`), so the comparison
can tell a gateway that passes events on from one that holds them back or drops some.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from imagegen_spec.conformance.sse import TimedChunk, is_event_stream
from imagegen_spec.conformance.wire import body_errors

CORRELATION_HEADER = "X-Imagegen-Case"
NONCE_FIELD = "user"
TAG_PREFIX = "imagegen-"


def new_tag() -> str:
    """A fresh tag: `imagegen-` and 16 hex digits."""
    return TAG_PREFIX + secrets.token_hex(8)


def _body_bytes(body: object) -> bytes | None:
    """A prepared body as bytes (None for no body or a streamed one)."""
    if isinstance(body, str):
        return body.encode("utf-8")
    return body if isinstance(body, bytes) else None


def with_nonce(variant: str, body: bytes, tag: str) -> bytes | None:
    """The body with `"user": tag` first, or None where that would change what it tests."""
    stripped = body.lstrip()
    if not stripped.startswith(b"{"):
        return None
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(document, dict) or NONCE_FIELD in document:
        return None
    member = json.dumps({NONCE_FIELD: tag})[1:-1].encode("utf-8")
    rest = stripped[1:].lstrip()
    tagged = b"{" + member + (b"}" if rest.startswith(b"}") else b", " + rest)
    if body_errors(variant, {**document, NONCE_FIELD: tag}) != body_errors(variant, document):
        return None
    return tagged


def tag_request(variant: str, request: requests.PreparedRequest) -> tuple[str, bool]:
    """Tag a request in place; return its tag and whether the body carries it too."""
    tag = new_tag()
    previous = str(request.headers.get(CORRELATION_HEADER) or "")
    request.headers[CORRELATION_HEADER] = tag
    body = _body_bytes(request.body)
    if not body:
        return tag, False
    if previous and previous.encode("ascii") in body:
        # A resend of a tagged request (a retry): the old nonce gives way to the new tag.
        request.body = body.replace(previous.encode("ascii"), tag.encode("ascii"))
        return tag, True
    tagged = with_nonce(variant, body, tag)
    if tagged is None:
        return tag, False
    request.body = tagged
    request.headers["Content-Length"] = str(len(tagged))
    return tag, True


def _recorded_headers(headers: Any, secret: str, placeholder: str) -> dict[str, list[str]]:
    recorded: dict[str, list[str]] = {}
    for name, value in headers.items():
        text = str(value)
        if secret:
            text = text.replace(secret, placeholder)
        recorded.setdefault(str(name), []).append(text)
    return recorded


def _recorded_body(body: bytes | None, secret: str, placeholder: str) -> dict[str, str] | None:
    if body is None:
        return None
    if secret:
        body = body.replace(secret.encode("utf-8"), placeholder.encode("utf-8"))
    return {"$base64": base64.b64encode(body).decode("ascii")}


class TimedStream:
    """Stands in for a streamed response's raw stream: records each chunk read and its time.

    Schemathesis reads an event stream with `raw.read1` as it arrives and closes the response
    when it stops; `on_done` is called once, at the stream's end or close, with the chunks.
    """

    def __init__(self, raw: Any, on_done: Callable[[list[TimedChunk]], None]) -> None:
        """Wrap `raw` (urllib3's response); call `on_done(chunks)` when reading is over."""
        self._raw = raw
        self._on_done = on_done
        self.chunks: list[tuple[float, bytes]] = []
        self._done = False

    def _finish(self) -> None:
        if not self._done:
            self._done = True
            self._on_done(self.chunks)

    def read1(self, amt: int | None = None, *args: Any, **kwargs: Any) -> bytes:
        """Read what has arrived (up to `amt`), and note when."""
        try:
            chunk: bytes = self._raw.read1(amt, *args, **kwargs)
        except BaseException:
            self._finish()
            raise
        if chunk:
            self.chunks.append((time.time(), chunk))
        else:
            self._finish()
        return chunk

    def read(self, amt: int | None = None, *args: Any, **kwargs: Any) -> bytes:
        """Read (up to `amt`), and note when."""
        chunk: bytes = self._raw.read(amt, *args, **kwargs)
        if chunk:
            self.chunks.append((time.time(), chunk))
        elif amt is None or amt > 0:
            self._finish()
        return chunk

    def stream(self, amt: int | None = None, decode_content: bool | None = None) -> Any:
        """Yield chunks as `read` gives them (what `requests`' iter_content uses)."""
        while True:
            chunk = self.read(amt, decode_content=decode_content)
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        """Close the stream; what was read so far is what is logged."""
        try:
            self._raw.close()
        finally:
            self._finish()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class ExchangeLog:
    """Appends each tagged request and its answer to a JSON-lines file."""

    def __init__(self, path: Path, secret: str, placeholder: str) -> None:
        """Log to `path` (truncated), with `secret` shown as `placeholder`."""
        self.path = path
        self.secret = secret
        self.placeholder = placeholder
        self._lock = threading.Lock()
        path.write_text("", encoding="utf-8")

    def write(
        self,
        tag: str,
        nonce: bool,
        request: requests.PreparedRequest,
        sent_at: float,
        response: requests.Response | None,
    ) -> None:
        """Append one exchange (`response` None: no answer came).

        An event-stream answer not read yet (sent with `stream=True`, as Schemathesis sends) is
        appended once it has been read: its raw stream is replaced by a `TimedStream` that
        records when each chunk arrived. One already read is appended at once, untimed.
        """
        if (
            response is not None
            and is_event_stream(response.headers.get("content-type"))
            and not response._content_consumed
        ):
            headers = response.headers

            def done(chunks: list[tuple[float, bytes]]) -> None:
                self._append(tag, nonce, request, sent_at, response, headers, chunks)

            response.raw = TimedStream(response.raw, done)
            return
        self._append(tag, nonce, request, sent_at, response, None, None)

    def _append(
        self,
        tag: str,
        nonce: bool,
        request: requests.PreparedRequest,
        sent_at: float,
        response: requests.Response | None,
        headers: Any,
        chunks: list[tuple[float, bytes]] | None,
    ) -> None:
        record: dict[str, Any] = {
            "tag": tag,
            "nonce": nonce,
            "sent_at": sent_at,
            "answered_at": time.time(),
            "request": {
                "method": str(request.method or "GET"),
                "uri": str(request.url or ""),
                "headers": _recorded_headers(request.headers, self.secret, self.placeholder),
                "body": _recorded_body(_body_bytes(request.body), self.secret, self.placeholder),
            },
            "response": None,
        }
        if response is not None and chunks is not None:
            record["response"] = {
                "status_code": response.status_code,
                "headers": _recorded_headers(headers, self.secret, self.placeholder),
                "content": _recorded_body(
                    b"".join(chunk for _, chunk in chunks), self.secret, self.placeholder
                ),
                "chunks": [[at, len(chunk)] for at, chunk in chunks],
            }
        elif response is not None:
            record["response"] = {
                "status_code": response.status_code,
                "headers": _recorded_headers(response.headers, self.secret, self.placeholder),
                "content": _recorded_body(response.content, self.secret, self.placeholder),
            }
        with self._lock, self.path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
