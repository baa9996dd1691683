"""The embedded upstream of gateway mode: the mock, recorded from outside by an ASGI middleware.

The mock is used through its public factory only (`create_app`); the middleware buffers each
request and response as they pass and keeps them in memory, with the time each chunk of an event
stream was sent. It sends a stream's events `EVENT_INTERVAL_SECONDS` apart, as a real upstream
does while it renders partial images, so that a gateway that holds a stream back and sends it at
once can be told from one that passes each event on (gateway/streams.py). The run's key (should
the gateway forward it) is written as its placeholder, and any other value of the upstream's
credential header as `<another key>`: a gateway's own upstream key is a secret too.

A request carrying the tag of a probe the upstream is to refuse (`answer`, e.g. 429) is passed
to the mock with `Prefer: code=<status>`, the mock's documented way to answer a declared error
with its headers (`Retry-After`); the record keeps the request as it arrived.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imagegen_spec.conformance.gateway.exchanges import Exchange, Request, Response, TimedLength
from imagegen_spec.conformance.gateway.pairing import TAG_PATTERN
from imagegen_spec.conformance.sse import is_event_stream
from imagegen_spec.conformance.tagging import CORRELATION_HEADER
from imagegen_spec.shared.asgi import read_body, replay

ANOTHER_KEY = "<another key>"
EVENT_INTERVAL_SECONDS = 0.05
"""The time between two events of a stream the upstream sends (a real one takes seconds)."""
IMAGE_PREFIX = b"image/"


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in raw:
        headers.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    return headers


def _streams(start: dict[str, Any]) -> bool:
    """Whether a response (its start message) is an event stream."""
    return any(
        name.lower() == b"content-type" and is_event_stream(value.decode("latin-1"))
        for name, value in start.get("headers", [])
    )


@dataclass
class UpstreamRecorder:
    """Records every exchange that reaches the wrapped app.

    - secret / placeholder: the run's key and what the records show instead.
    - credential_header / bearer: the upstream variant's credential header, and whether its value
      is `Bearer <key>`.
    """

    secret: str
    placeholder: str
    credential_header: str
    bearer: bool
    exchanges: list[Exchange] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    """Tags of requests the upstream answers with a declared error status instead."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, tag: str, status: int) -> None:
        """Answer every request that carries `tag` (header or body) with `status`."""
        with self._lock:
            self.statuses[tag] = status

    def _forced_status(self, scope: Scope, body: bytes) -> int | None:
        with self._lock:
            if not self.statuses:
                return None
            header = CORRELATION_HEADER.lower().encode("latin-1")
            for name, value in scope["headers"]:
                if name.lower() == header and value.decode("latin-1").strip() in self.statuses:
                    return self.statuses[value.decode("latin-1").strip()]
            for found in TAG_PATTERN.finditer(body):
                status = self.statuses.get(found.group().decode("ascii"))
                if status is not None:
                    return status
            return None

    def _redact(self, headers: dict[str, list[str]]) -> dict[str, list[str]]:
        redacted: dict[str, list[str]] = {}
        for name, values in headers.items():
            shown = []
            for value in values:
                if self.secret:
                    value = value.replace(self.secret, self.placeholder)
                if name == self.credential_header.lower() and self.placeholder not in value:
                    prefix = "Bearer " if self.bearer and value.startswith("Bearer ") else ""
                    value = prefix + ANOTHER_KEY if value.strip() else value
                shown.append(value)
            redacted[name] = shown
        return redacted

    def _body(self, body: bytes) -> bytes:
        if self.secret:
            return body.replace(self.secret.encode("utf-8"), self.placeholder.encode("utf-8"))
        return body

    def wrap(self, app: ASGIApp) -> ASGIApp:
        """The app, recording as it serves."""

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            started = time.time()
            # The whole body is read first: the app may answer (a 401) without reading it.
            body = await read_body(receive)
            start: dict[str, Any] = {}
            sent: list[bytes] = []
            sent_at: list[TimedLength] = []

            async def recording_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    start.update(message)
                elif message["type"] == "http.response.body":
                    chunk = message.get("body", b"")
                    if chunk and _streams(start):
                        if sent_at:
                            await asyncio.sleep(EVENT_INTERVAL_SECONDS)
                        sent_at.append((time.time(), len(chunk)))
                    sent.append(chunk)
                await send(message)

            forced = self._forced_status(scope, body)
            served = scope
            if forced is not None:
                kept = [(k, v) for k, v in scope["headers"] if k.lower() != b"prefer"]
                prefer = (b"prefer", f"code={forced}".encode("ascii"))
                served = {**scope, "headers": [*kept, prefer]}
            try:
                await app(served, replay(body, then=receive), recording_send)
            finally:
                self._record(scope, started, body, start, b"".join(sent), sent_at)

        return middleware

    def _record(
        self,
        scope: Scope,
        started: float,
        body: bytes,
        start: dict[str, Any],
        sent: bytes,
        sent_at: list[TimedLength],
    ) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        host = dict(scope["headers"]).get(b"host", b"upstream").decode("latin-1")
        uri = f"http://{host}{scope['path']}" + (f"?{query}" if query else "")
        response = None
        if start:
            headers = _headers(list(start.get("headers", [])))
            is_image = any(value.startswith("image/") for value in headers.get("content-type", []))
            streamed = any(is_event_stream(value) for value in headers.get("content-type", []))
            response = Response(
                headers=self._redact(headers),
                body=b"" if is_image else self._body(sent),
                status=int(start["status"]),
                # When each chunk of an event stream was sent (the gateway's buffering shows).
                chunks=tuple(sent_at) if streamed else (),
            )
        exchange = Exchange(
            request=Request(
                headers=self._redact(_headers(list(scope["headers"]))),
                body=self._body(body),
                method=str(scope["method"]).upper(),
                uri=uri,
            ),
            response=response,
            started=started,
            finished=time.time(),
        )
        with self._lock:
            self.exchanges.append(exchange)

    def recorded(self) -> list[Exchange]:
        """Every exchange so far, in the order they started."""
        with self._lock:
            return sorted(self.exchanges, key=lambda exchange: exchange.started)
