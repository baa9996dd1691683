"""Deliberately broken servers: the mock wrapped in small ASGI middlewares that each break one rule.

Each middleware changes what the real mock answers (or what it is asked) in one way, so a
conformance run against it must report exactly the check that guards that rule.
"""

from __future__ import annotations

import base64
import io
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imagegen_spec.shared.asgi import read_body, replay

OPERATION_SUFFIX = "/images/generations"
IMAGES_PREFIX = "/_mock/images/"
WRONG_SIDE = 16

Rewrite = Callable[[Scope, int, bytes], tuple[int, bytes]]


def _is_operation(scope: Scope) -> bool:
    return scope["type"] == "http" and str(scope["path"]).endswith(OPERATION_SUFFIX)


def rewrite_responses(app: ASGIApp, rewrite: Rewrite) -> ASGIApp:
    """Buffer every HTTP response of `app` and pass (status, body) through `rewrite`."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status, body = rewrite(scope, int(start["status"]), b"".join(chunks))
            headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode("ascii")))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return middleware


def rewrite_json_bodies(
    app: ASGIApp, rewrite: Callable[[int, Any], Any], *, statuses: Callable[[int], bool]
) -> ASGIApp:
    """Rewrite the JSON body of the operation's responses whose status `statuses` accepts."""

    def change(scope: Scope, status: int, body: bytes) -> tuple[int, bytes]:
        if not _is_operation(scope) or not statuses(status):
            return status, body
        return status, json.dumps(rewrite(status, json.loads(body))).encode("utf-8")

    return rewrite_responses(app, change)


def created_as_string(app: ASGIApp) -> ASGIApp:
    """`created` sent as a string (the seed's own mistake)."""

    def rewrite(status: int, body: Any) -> Any:
        return {**body, "created": str(body["created"])}

    return rewrite_json_bodies(app, rewrite, statuses=lambda status: status == 200)


def one_image_short(app: ASGIApp) -> ASGIApp:
    """One image fewer than `n`."""

    def rewrite(status: int, body: Any) -> Any:
        return {**body, "data": body["data"][:-1]}

    return rewrite_json_bodies(app, rewrite, statuses=lambda status: status == 200)


def _shrunk(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format or "PNG"
        small = image.resize((WRONG_SIDE, WRONG_SIDE))
    out = io.BytesIO()
    small.save(out, format=kind)
    return out.getvalue()


def wrong_image_size(app: ASGIApp) -> ASGIApp:
    """Every image (base64 in the body, or served at its URL) is 16x16 whatever was asked."""

    def rewrite(status: int, body: Any) -> Any:
        for entry in body["data"]:
            if "b64_json" in entry:
                raw = base64.b64decode(entry["b64_json"])
                entry["b64_json"] = base64.b64encode(_shrunk(raw)).decode("ascii")
        return body

    shrink_b64 = rewrite_json_bodies(app, rewrite, statuses=lambda status: status == 200)

    def shrink_served(scope: Scope, status: int, body: bytes) -> tuple[int, bytes]:
        if str(scope["path"]).startswith(IMAGES_PREFIX) and status == 200:
            return status, _shrunk(body)
        return status, body

    return rewrite_responses(shrink_b64, shrink_served)


def rewrite_stream_events(app: ASGIApp, change: Callable[[str, Any], Any]) -> ASGIApp:
    """Pass each event of every event-stream answer through `change(event name, its JSON)`."""

    def rewrite(scope: Scope, status: int, body: bytes) -> tuple[int, bytes]:
        if not _is_operation(scope) or status != 200 or not body.startswith(b"event:"):
            return status, body
        frames = []
        for frame in body.split(b"\n\n"):
            name, separator, data = frame.partition(b"\ndata: ")
            if separator:
                event = change(name.decode("utf-8").removeprefix("event: "), json.loads(data))
                frame = name + separator + json.dumps(event).encode("utf-8")
            frames.append(frame)
        return status, b"\n\n".join(frames)

    return rewrite_responses(app, rewrite)


def wrong_partial_image_size(app: ASGIApp, partial_event: str) -> ASGIApp:
    """The first partial image (index 0) of every streamed image is 16x16 whatever was asked."""

    def change(name: str, event: Any) -> Any:
        if name == partial_event and event.get("partial_image_index") == 0:
            raw = base64.b64decode(event["b64_json"])
            event["b64_json"] = base64.b64encode(_shrunk(raw)).decode("ascii")
        return event

    return rewrite_stream_events(app, change)


def stream_event_without(app: ASGIApp, event_name: str, member: str) -> ASGIApp:
    """Every `event_name` event of a stream lacks `member` (one its schema requires)."""

    def change(name: str, event: Any) -> Any:
        return {k: v for k, v in event.items() if k != member} if name == event_name else event

    return rewrite_stream_events(app, change)


def wrong_error_shape(app: ASGIApp) -> ASGIApp:
    """Every error body is a bare `{"message": ...}`, no provider's error shape."""

    def rewrite(status: int, body: Any) -> Any:
        return {"message": f"request failed with {status}"}

    return rewrite_json_bodies(app, rewrite, statuses=lambda status: status >= 400)


def _rewrite_requests(
    app: ASGIApp, rewrite: Callable[[Scope, bytes], Awaitable[tuple[Scope, bytes]]]
) -> ASGIApp:
    """Buffer each operation request body and pass (scope, body) through `rewrite`."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_operation(scope):
            await app(scope, receive, send)
            return
        scope, body = await rewrite(scope, await read_body(receive))
        await app(scope, replay(body), send)

    return middleware


def invalid_size_accepted(app: ASGIApp, allowed: list[str]) -> ASGIApp:
    """A lax server: a `size` outside `allowed` is ignored (as if left out) instead of rejected."""

    async def rewrite(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        try:
            data = json.loads(body)
        except ValueError:
            return scope, body
        if isinstance(data, dict) and "size" in data and data["size"] not in allowed:
            del data["size"]
            body = json.dumps(data).encode("utf-8")
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode("ascii")))
            scope = {**scope, "headers": headers}
        return scope, body

    return _rewrite_requests(app, rewrite)


def rate_limited_first(app: ASGIApp, count: int) -> tuple[ASGIApp, list[float]]:
    """The first `count` operation requests are answered 429 (the mock's own, via `Prefer`).

    Returns the app and the arrival times (monotonic clock) of the operation requests.
    """
    seen: list[float] = []

    async def rewrite(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        seen.append(time.monotonic())
        if len(seen) <= count:
            headers = [(k, v) for k, v in scope["headers"] if k != b"prefer"]
            scope = {**scope, "headers": [*headers, (b"prefer", b"code=429")]}
        return scope, body

    return _rewrite_requests(app, rewrite), seen


@dataclass
class Exchange:
    """One operation request the server received (body and headers) and the status it answered."""

    body: bytes
    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorder:
    """Records the body and status of every operation request."""

    exchanges: list[Exchange] = field(default_factory=list)

    def wrap(self, app: ASGIApp) -> ASGIApp:
        """The app, recording as it serves."""

        async def remember(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
            scope = {**scope, "state": {"recorded_body": body}}
            return scope, body

        def note(scope: Scope, status: int, body: bytes) -> tuple[int, bytes]:
            if _is_operation(scope):
                recorded = scope.get("state", {}).get("recorded_body", b"")
                headers = {
                    name.decode("latin-1").lower(): value.decode("latin-1")
                    for name, value in scope["headers"]
                }
                self.exchanges.append(Exchange(recorded, status, headers))
            return status, body

        return _rewrite_requests(rewrite_responses(app, note), remember)


@dataclass(frozen=True)
class Accepted:
    """A request the wrapped app answers 200: its full path, query string and JSON body."""

    path: str
    query: bytes
    body: bytes


async def _answer(app: ASGIApp, scope: Scope, body: bytes) -> tuple[int, list[Any], bytes]:
    """Call `app` with one buffered request; return its status, headers and body."""
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        else:
            chunks.append(message.get("body", b""))

    await app(scope, replay(body), send)
    return int(start["status"]), list(start.get("headers", [])), b"".join(chunks)


def lenient(app: ASGIApp, bills: Callable[[Scope, bytes], bool], accepted: Accepted) -> ASGIApp:
    """A gateway that accepts (and would bill) what the spec rejects.

    Every operation request (any method, any body) for which `bills(scope, body)` holds is
    answered 200 with a valid-looking body: what `app` answers, when that is a 2xx, else what
    `app` answers to the `accepted` request (sent with the same credential headers). Every other
    request gets `app`'s own answer.
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_operation(scope):
            await app(scope, receive, send)
            return
        request_body = await read_body(receive)
        status, headers, body = await _answer(app, scope, request_body)
        if bills(scope, request_body) and not 200 <= status < 300:
            credentials = [
                (name, value)
                for name, value in scope["headers"]
                if name not in (b"content-type", b"content-length")
            ]
            valid = {
                **scope,
                "method": "POST",
                "path": accepted.path,
                "raw_path": accepted.path.encode("ascii"),
                "query_string": accepted.query,
                "headers": [
                    *credentials,
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(accepted.body)).encode("ascii")),
                ],
            }
            status, headers, body = await _answer(app, valid, accepted.body)
            assert status == 200, f"expected the app to accept {accepted}, got {status}: {body!r}"
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return middleware
