"""Planted gateways: small real proxies (served on 127.0.0.1) that change traffic in known ways.

Each forwards every request to the upstream under the same path, through `httpx`, after its
request rewrites, and answers with the upstream's response after its response rewrites. A
gateway-mode run against one must report exactly the changes planted, with the right counts.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

from imagegen_spec.shared.asgi import read_body

Headers = dict[str, str]
RequestRewrite = Callable[[Headers, Any], tuple[Headers, Any]]
ResponseRewrite = Callable[[int, Headers, Any], tuple[int, Headers, Any]]
HOP_BY_HOP = ("host", "content-length", "transfer-encoding", "connection")
EVENT_STREAM = "text/event-stream"
EVENT_END = b"\n\n"
NOT_JSON = object()


def free_port() -> int:
    """A port nothing listens on now (the upstream binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return NOT_JSON


def _bytes(value: Any, original: bytes) -> bytes:
    return original if value is NOT_JSON else json.dumps(value).encode("utf-8")


@dataclass
class PlantedGateway:
    """A proxy to `upstream` (an origin) with request and response rewrites."""

    upstream: str
    requests: list[RequestRewrite] = field(default_factory=list)
    responses: list[ResponseRewrite] = field(default_factory=list)
    route: Callable[[bytes], bytes] = lambda raw_path: raw_path
    """Maps the client's path (and query) to the upstream's; the same path by default."""
    passes_event: Callable[[int], bool] | None = None
    """None: every answer is read whole, then sent (an event stream is held back and sent at
    once). Else an event stream is passed on event by event as it arrives, event `i` only
    where `passes_event(i)`."""

    def app(self) -> ASGIApp:
        """The proxy as an ASGI app."""
        client = httpx.AsyncClient(timeout=60.0)

        async def proxy(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                return
            raw = await read_body(receive)
            headers = {
                name.decode("latin-1"): value.decode("latin-1")
                for name, value in scope["headers"]
                if name.decode("latin-1").lower() not in HOP_BY_HOP
            }
            body = _json(raw)
            for rewrite in self.requests:
                headers, body = rewrite(headers, body)
            query = scope.get("query_string", b"")
            raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
            url = httpx.URL(self.upstream).copy_with(
                raw_path=self.route(raw_path + (b"?" + query if query else b""))
            )
            try:
                request = client.build_request(
                    scope["method"], url, headers=headers, content=_bytes(body, raw)
                )
                answer = await client.send(request, stream=True)
                if self.passes_event is not None and EVENT_STREAM in answer.headers.get(
                    "content-type", ""
                ):
                    await self._pass_events(answer, send, self.passes_event)
                    return
                await answer.aread()
            except (httpx.HTTPError, ValueError) as error:
                answer = httpx.Response(502, json={"error": {"message": str(error)}})
            status = answer.status_code
            reply_headers = {
                name: value for name, value in answer.headers.items() if name not in HOP_BY_HOP
            }
            reply_headers.pop("content-encoding", None)
            reply = _json(answer.content)
            for change in self.responses:
                status, reply_headers, reply = change(status, reply_headers, reply)
            content = _bytes(reply, answer.content)
            raw_headers = [
                (name.encode("latin-1"), value.encode("latin-1"))
                for name, value in reply_headers.items()
            ] + [(b"content-length", str(len(content)).encode("ascii"))]
            await send({"type": "http.response.start", "status": status, "headers": raw_headers})
            await send({"type": "http.response.body", "body": content})

        return proxy

    @staticmethod
    async def _pass_events(
        answer: httpx.Response, send: Send, passes_event: Callable[[int], bool]
    ) -> None:
        """Send an event stream on as each event arrives (the mock ends each with a blank line)."""
        headers = [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in answer.headers.items()
            if name not in HOP_BY_HOP
        ]
        await send(
            {"type": "http.response.start", "status": answer.status_code, "headers": headers}
        )
        buffer, index = b"", 0
        try:
            async for chunk in answer.aiter_raw():
                buffer += chunk
                while EVENT_END in buffer:
                    event, buffer = buffer.split(EVENT_END, 1)
                    if passes_event(index):
                        body = event + EVENT_END
                        await send({"type": "http.response.body", "body": body, "more_body": True})
                    index += 1
        finally:
            await answer.aclose()
        await send({"type": "http.response.body", "body": buffer, "more_body": False})


# Request rewrites (each a pure function of the headers and the JSON body).


def drop_field(name: str) -> RequestRewrite:
    """Forward the body without `name`."""

    def rewrite(headers: Headers, body: Any) -> tuple[Headers, Any]:
        if isinstance(body, dict):
            body = {key: value for key, value in body.items() if key != name}
        return headers, body

    return rewrite


def is_integer(value: Any) -> bool:
    """A JSON integer (not a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool)


def clamp_n(low: int, high: int) -> RequestRewrite:
    """Clamp an integer `n` into low..high."""

    def rewrite(headers: Headers, body: Any) -> tuple[Headers, Any]:
        if isinstance(body, dict) and is_integer(body.get("n")):
            body = {**body, "n": min(max(body["n"], low), high)}
        return headers, body

    return rewrite


def inject(name: str, value: Any) -> RequestRewrite:
    """Add `name: value` where the body lacks `name`."""

    def rewrite(headers: Headers, body: Any) -> tuple[Headers, Any]:
        if isinstance(body, dict) and name not in body:
            body = {**body, name: value}
        return headers, body

    return rewrite


def drop_header(name: str) -> RequestRewrite:
    """Forward without the header `name` (any case)."""

    def rewrite(headers: Headers, body: Any) -> tuple[Headers, Any]:
        return {key: value for key, value in headers.items() if key.lower() != name.lower()}, body

    return rewrite


def empty_non_string_prompt(headers: Headers, body: Any) -> tuple[Headers, Any]:
    """A prompt that is not a string goes upstream as "" (what LiteLLM does)."""
    if isinstance(body, dict) and "prompt" in body and not isinstance(body["prompt"], str):
        body = {**body, "prompt": ""}
    return headers, body


def ask_rate_limited(count: int) -> RequestRewrite:
    """Ask the upstream (the mock, through `Prefer`) to answer the first `count` requests 429."""
    seen = [0]

    def rewrite(headers: Headers, body: Any) -> tuple[Headers, Any]:
        seen[0] += 1
        if seen[0] <= count:
            headers = {**headers, "Prefer": "code=429"}
        return headers, body

    return rewrite


def bearer_to_api_key(headers: Headers, body: Any) -> tuple[Headers, Any]:
    """Send the client's bearer key upstream in an `api-key` header (an Azure upstream)."""
    moved = {key: value for key, value in headers.items() if key.lower() != "authorization"}
    token = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    if token.startswith("Bearer "):
        moved["api-key"] = token.removeprefix("Bearer ")
    return moved, body


# Response rewrites.


def drop_response_field(name: str) -> ResponseRewrite:
    """Drop a top-level member of every 200 body."""

    def change(status: int, headers: Headers, body: Any) -> tuple[int, Headers, Any]:
        if status == 200 and isinstance(body, dict):
            body = {key: value for key, value in body.items() if key != name}
        return status, headers, body

    return change


def add_image_nulls(name: str) -> ResponseRewrite:
    """Add `name: null` to every image of a 200 that lacks it."""

    def change(status: int, headers: Headers, body: Any) -> tuple[int, Headers, Any]:
        if status == 200 and isinstance(body, dict) and isinstance(body.get("data"), list):
            body = {
                **body,
                "data": [
                    {name: None, **image} if isinstance(image, dict) else image
                    for image in body["data"]
                ],
            }
        return status, headers, body

    return change


def lose_header(name: str) -> ResponseRewrite:
    """Answer without the header `name`."""

    def change(status: int, headers: Headers, body: Any) -> tuple[int, Headers, Any]:
        return status, {k: v for k, v in headers.items() if k.lower() != name.lower()}, body

    return change


def rewrap_validation_errors(status: int, headers: Headers, body: Any) -> tuple[int, Headers, Any]:
    """A 422 `{"detail": [...]}` goes back as an OpenAI error object (same status)."""
    if status == 422 and isinstance(body, dict) and "detail" in body:
        body = {"error": {"message": "invalid request", "type": "invalid_request_error"}}
    return status, headers, body
