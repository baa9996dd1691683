"""The embedded upstream of gateway mode: the mock, recorded from outside by an ASGI middleware.

The mock is used through its public factory only (`create_app`); the middleware buffers each
request and response as they pass and keeps them in memory, with the time each chunk of an event
stream was sent. It sends a stream's events `EVENT_INTERVAL_SECONDS` apart, as a real upstream
does while it renders partial images, so that a gateway that holds a stream back and sends it at
once can be told from one that passes each event on (gateway/streams.py). The run's key (should
the gateway forward it) is written as its placeholder, and any other value of the upstream's
credential header as `<another key>`: a gateway's own upstream key is a secret too.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imagegen_spec.conformance.gateway.exchanges import Exchange, Request, Response, TimedLength
from imagegen_spec.conformance.sse import is_event_stream

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
    _lock: threading.Lock = field(default_factory=threading.Lock)

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
            chunks: list[bytes] = []
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            replayed = False

            async def recording_receive() -> Message:
                nonlocal replayed
                if replayed:
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

            start: dict[str, Any] = {}
            sent: list[bytes] = []
            sent_at: list[TimedLength] = []

            async def recording_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    start.update(message)
                elif message["type"] == "http.response.body":
                    body = message.get("body", b"")
                    if body and _streams(start):
                        if sent_at:
                            await asyncio.sleep(EVENT_INTERVAL_SECONDS)
                        sent_at.append((time.time(), len(body)))
                    sent.append(body)
                await send(message)

            try:
                await app(scope, recording_receive, recording_send)
            finally:
                self._record(scope, started, b"".join(chunks), start, b"".join(sent), sent_at)

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
