"""Buffering an ASGI request body: read it whole, then hand it on as if it had not been read.

Middlewares that look at a body before the app does (the gateway-mode recorder, the test suite's
planted servers and proxies) read every `http.request` message first, since the app may answer
(a 401) without reading it, and replay the bytes to the app.
"""

from __future__ import annotations

from starlette.types import Message, Receive


class BodyTooLarge(Exception):
    """More than the limit of bytes arrived (`read_body(..., limit=N)`)."""


async def read_body(receive: Receive, limit: int | None = None) -> bytes:
    """Every chunk of a request's body, joined (what came before a disconnect, if one came).

    With `limit`, raises BodyTooLarge as soon as more than `limit` bytes have arrived.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise BodyTooLarge(f"the body is larger than {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, then: Receive | None = None) -> Receive:
    """A `receive` that gives `body` as one message, then defers to `then` (else a disconnect)."""
    given = False

    async def receive() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
