"""uvicorn's httptools protocol with a bounded request head, refused in the providers' shape.

httptools keeps a request's headers in memory until they are complete and sets no limit of its
own (twenty connections each sending an unterminated 16 MiB header took the mock from 57 to 408
MiB), and uvicorn offers a head limit only for its h11 protocol, which answers it with a plain
text 400. This subclass counts the bytes of a request head as they arrive; past MAX_HEAD_BYTES
it answers 414 (the request line alone is too long) or 431 (the headers are) with an OpenAI-style
error object, the shape every variant uses for errors that are not about the body, and closes
the connection. Everything else is uvicorn's.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

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
        error = {"message": message, "type": "invalid_request_error", "param": None}
        body = json.dumps({"error": {**error, "code": _CODES[status]}}).encode("ascii")
        head = [
            b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status]),
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"x-request-id: req_%s\r\n" % secrets.token_hex(16).encode("ascii"),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
