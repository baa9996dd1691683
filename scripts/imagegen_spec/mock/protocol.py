"""uvicorn's httptools protocol with a bounded request head, refused in the variant's shape.

httptools keeps a request's headers in memory until they are complete and sets no limit of its
own (twenty connections each sending an unterminated 16 MiB header took the mock from 57 to 408
MiB), and uvicorn offers a head limit only for its h11 protocol, which answers it with a plain
text 400. This subclass counts the bytes of a request head as they arrive; past MAX_HEAD_BYTES
it answers 414 (the request line alone is too long) or 431 (the headers are) and closes the
connection. Everything else is uvicorn's.

The answer comes before routing, so its shape is chosen from the request path as far as it
arrived: the mock app being served (`MockApp.early_answer`) shapes it with the dialect of the
variant whose server prefix the path starts with (azure's error object without a null `param`,
for one), and a path under no prefix gets the OpenAI error object, as unknown routes do. Served
with any other app (the benchmark's bare one) the answer is that OpenAI error object too.

The mock's command line, `serve`, its workers and the conformance runner's embedded mock all
use this protocol. Starlette's TestClient calls the app in-process (no HTTP parsing, so no head
bound), and uvicorn's h11 protocol (`--http h11`) bounds an incomplete head at h11's 16 KiB and
answers it with its own plain-text 400.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from imagegen_spec.mock.app import EarlyAnswer, MockApp

MAX_HEAD_BYTES = 64 * 1024
"""The largest request line plus headers accepted (nginx's default buffers hold 4 x 8 KiB)."""

_REASONS = {414: b"URI Too Long", 431: b"Request Header Fields Too Large"}
_CODES = {414: "request_uri_too_long", 431: "request_header_fields_too_large"}


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that refuses a request head larger than MAX_HEAD_BYTES."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Set up uvicorn's protocol and the head counter."""
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._in_head = True

    def on_message_begin(self) -> None:
        """A new request: its head starts now."""
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        """The head is complete; the body is not counted."""
        self._in_head = False
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        """Feed the parser, then refuse the request if its head is still open and too large."""
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and self._head_bytes > MAX_HEAD_BYTES and not self.transport.is_closing():
            self._refuse(431 if self.headers else 414)

    def _refuse(self, status: int) -> None:
        what = "request line is" if status == 414 else "request headers are"
        message = f"The {what} longer than {MAX_HEAD_BYTES} bytes."
        path = getattr(self, "url", None) or b""
        mock = served_mock(self.app)
        if mock is not None:
            answer = mock.early_answer(path, status, message, _CODES[status])
        else:
            answer = default_answer(status, message)
        head = [b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])]
        head += [b"%s: %s\r\n" % (name, value) for name, value in answer.headers]
        head.append(b"connection: close\r\n\r\n")
        self.transport.write(b"".join(head) + answer.body)
        self.transport.close()


def served_mock(app: Any) -> MockApp | None:
    """The mock app inside the app uvicorn serves (under its middleware, each `.app`), if any."""
    for _ in range(16):
        if isinstance(app, MockApp):
            return app
        app = getattr(app, "app", None)
        if app is None:
            return None
    return None


def default_answer(status: int, message: str) -> EarlyAnswer:
    """The OpenAI error object, for an app that is not the mock."""
    error = {"message": message, "type": "invalid_request_error", "param": None}
    body = json.dumps({"error": {**error, "code": _CODES[status]}}).encode("ascii")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(body)),
        (b"x-request-id", b"req_%s" % secrets.token_hex(16).encode("ascii")),
    ]
    return EarlyAnswer(headers, body)
