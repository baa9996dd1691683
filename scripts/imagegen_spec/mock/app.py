"""The mock server: one ASGI application serving every variant from its spec.

This module is the ASGI adapter and the router. Routes: each variant's operation under the path
of every local server entry of its spec (`http://127.0.0.1:8000/<variant>/v1`, and Azure's
`/azure/openai` that `AzureOpenAI(azure_endpoint=...)` calls); `GET /_mock/images/...` serves
`url` images from their signed URLs (`urls.py`); `GET /_mock/metrics` gives the counters in
Prometheus' text format and `GET /_mock/stats` sums them by variant and status (and names the
worker process that answered). Operation requests go through the stages of `pipeline.py`;
every answer is shaped by the variant's dialect (`dialects.py`) and carries its request id
header. A streamed answer is sent in chunks, an event each; a stream cut on purpose
(`Prefer: stream-cut=N`) ends without its last chunk, so the server drops the connection. CORS
is answered for loopback origins by default (Starlette's middleware).
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import logging
import os
import random
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from imagegen_spec.core.variant import LOCAL_HOST, Variant
from imagegen_spec.mock.config import ANY_ORIGIN, LOOPBACK_ORIGINS, MockConfig
from imagegen_spec.mock.dialects import OPENAI, OpenAIDialect, dialect_for
from imagegen_spec.mock.images import content_type, render
from imagegen_spec.mock.metrics import METRICS_CONTENT_TYPE, MockMetrics, Route
from imagegen_spec.mock.pipeline import Exchange, Services, rendered, run_pipeline
from imagegen_spec.mock.replies import Answer, Headers, Reply, StreamReply, encode_json
from imagegen_spec.mock.urls import IMAGES_PATH, RejectedUrl, UrlSigner

STATS_PATH = "/_mock/stats"
METRICS_PATH = "/_mock/metrics"
LOOPBACK_ORIGIN_PATTERN = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?"
EXPOSED_HEADERS = ("x-request-id", "apim-request-id", "retry-after")
"""Response headers a browser app may read across origins."""
_JSON_CONTENT_TYPE = (b"content-type", b"application/json")
_IMAGE_METHODS = ("GET", "HEAD")
_INCOMPLETE = "ASGI callable returned without completing response."
"""What uvicorn logs (as an error) when an app ends a response without its last chunk."""
_CUT = contextvars.ContextVar("imagegen_mock_stream_cut", default=False)
"""Set in a request's context when the mock cut its stream on purpose."""


class _DeliberateCuts(logging.Filter):
    """Drops uvicorn's incomplete-response error for a stream the mock cut on purpose only."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_CUT.get() and record.msg == _INCOMPLETE)


_CUT_FILTER = _DeliberateCuts()


@dataclass(frozen=True, slots=True)
class EarlyAnswer:
    """The headers and body of an answer written by the HTTP protocol itself (`protocol.py`)."""

    headers: list[tuple[bytes, bytes]]
    body: bytes


class MockApp:
    """The ASGI application."""

    def __init__(self, config: MockConfig | None = None) -> None:
        """Read every served variant's spec and set up the URL signer and the counters."""
        self.config = config or MockConfig()
        self.runtimes = {variant: Variant(variant) for variant in self.config.variants}
        self.prefixes = {
            prefix: runtime
            for runtime in self.runtimes.values()
            for prefix in runtime.route.local_prefixes
        }
        self.dialects = {variant: dialect_for(rt) for variant, rt in self.runtimes.items()}
        if self.config.failure_rate:
            for runtime in self.runtimes.values():
                if not runtime.responses.server_error_statuses:
                    raise ValueError(f"{runtime.variant} declares no 5xx for --failure-rate to use")
        secret = self.config.url_secret
        signer = UrlSigner(
            secret.encode("utf-8") if secret else secrets.token_bytes(32),
            self.config.url_ttl_seconds,
        )
        self.services = Services(self.config, signer, random.Random(self.config.seed))
        self.metrics = MockMetrics()
        self.request_ids = RequestIds()
        self._routes = [
            (prefix, len(prefix), runtime, self.dialects[runtime.variant])
            for prefix, runtime in self.prefixes.items()
        ]
        self._origins: dict[tuple[str, Any], str] = {}
        self._cors: ASGIApp | None = _with_cors(self._serve, self.config.cors_origins)
        logging.getLogger("uvicorn.error").addFilter(_CUT_FILTER)

    @property
    def stats(self) -> Counter[tuple[str, int]]:
        """Operation requests answered, by `(variant, status)` (summed over workers)."""
        return Counter(
            {
                (count.variant, count.status): count.count
                for count in self.metrics.operation_counts()
            }
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection scope."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
        elif scope["type"] == "http":
            # Only a request with an Origin is a CORS request: the others skip the middleware.
            if self._cors is not None and any(name == b"origin" for name, _ in scope["headers"]):
                await self._cors(scope, receive, send)
            else:
                await self._serve(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if path.startswith(IMAGES_PATH):
            await self._image(path.removeprefix(IMAGES_PATH), scope, send)
        elif path == STATS_PATH:
            counts = [
                {"variant": count.variant, "status": count.status, "count": count.count}
                for count in self.metrics.operation_counts()
            ]
            reply = Reply(200, {"requests": counts, "worker": os.getpid()})
            await _send_reply(send, reply, OPENAI, self.request_ids.next())
        elif path == METRICS_PATH:
            headers = [(b"content-type", METRICS_CONTENT_TYPE.encode("latin-1"))]
            exposition = self.metrics.exposition()
            await _send(send, 200, exposition, headers, OPENAI, self.request_ids.next())
        else:
            await self._operation(path, scope, receive, send)

    def _served_under(self, path: str) -> tuple[int, Variant, OpenAIDialect] | None:
        """The route whose server prefix `path` starts with: prefix length, variant, dialect."""
        for prefix, length, runtime, dialect in self._routes:
            if path.startswith(prefix) and path[length : length + 1] == "/":
                return length, runtime, dialect
        return None

    async def _operation(self, path: str, scope: Scope, receive: Receive, send: Send) -> None:
        served = self._served_under(path)
        if served is not None:
            length, runtime, dialect = served
            match = runtime.route.pattern.match(path[length:])
            if match is None:
                message = f"No route for {path}; this server serves {runtime.operation.path}."
                reply = dialect.plain_error(runtime, 404, message, "not_found")
                await self._answer(send, runtime.variant, "other", reply, dialect)
                return
            exchange = Exchange(
                runtime=runtime,
                dialect=dialect,
                services=self.services,
                method=scope["method"],
                headers=request_headers(scope),
                query_string=scope["query_string"],
                path_values=runtime.route.path_values(match),
                receive=receive,
                origin=self.config.public_url or self._origin(scope),
            )
            answer = await run_pipeline(exchange)
            await self._answer(send, runtime.variant, "operation", answer, dialect)
            return
        listed = ", ".join(sorted(self.prefixes))
        reply = OPENAI.plain_error(
            None, 404, f"No route for {path}; served: {listed}.", "not_found"
        )
        await self._answer(send, "", "other", reply, OPENAI)

    def _origin(self, scope: Scope) -> str:
        """`bound_origin`, worked out once per listening address."""
        server = scope.get("server")
        key = (scope.get("scheme", "http"), tuple(server) if server else None)
        origin = self._origins.get(key)
        if origin is None:
            origin = self._origins[key] = bound_origin(scope)
        return origin

    def early_answer(self, raw_path: bytes, status: int, message: str, code: str) -> EarlyAnswer:
        """An error answered before routing (a request head too large), in the variant's shape.

        The variant is the one whose server prefix the path (as far as it arrived) starts with;
        a path under no prefix gets the OpenAI error object, as unknown routes do. Counted as
        `other`.
        """
        served = self._served_under(raw_path.partition(b"?")[0].decode("latin-1"))
        runtime, dialect = (served[1], served[2]) if served is not None else (None, OPENAI)
        reply = dialect.plain_error(runtime, status, message, code)
        self.metrics.count(runtime.variant if runtime else "", "other", status)
        body = encode_json(reply.body)
        headers = [
            _JSON_CONTENT_TYPE,
            (b"content-length", b"%d" % len(body)),
            *_raw(dialect.request_id_headers(self.request_ids.next())),
        ]
        return EarlyAnswer(headers, body)

    async def _image(self, name: str, scope: Scope, send: Send) -> None:
        variant = name.partition("/")[0]
        runtime = self.runtimes.get(variant)
        dialect = self.dialects.get(variant, OPENAI)
        if scope["method"] not in _IMAGE_METHODS:
            message = f"Method {scope['method']} not allowed; images are fetched with GET."
            allow = (("allow", ", ".join(_IMAGE_METHODS)),)
            reply = dialect.plain_error(runtime, 405, message, "method_not_allowed", allow)
            await self._answer(send, variant if runtime else "", "image", reply, dialect)
            return
        found = self.services.signer.read(name, scope["query_string"].decode("latin-1"))
        if isinstance(found, RejectedUrl):
            message = f"Image not found: {found.reason}."
            reply = dialect.plain_error(runtime, 404, message, "image_not_found")
            await self._answer(send, variant if runtime else "", "image", reply, dialect)
            return
        data = (await rendered([found.spec], lambda specs: [render(s) for s in specs]))[0]
        self.metrics.count(found.variant, "image", 200)
        headers = [(b"content-type", content_type(found.spec.image_format).encode("ascii"))]
        await _send(send, 200, data, headers, dialect, self.request_ids.next())

    async def _answer(
        self, send: Send, variant: str, route: Route, reply: Answer, dialect: OpenAIDialect
    ) -> None:
        self.metrics.count(variant, route, reply.status)
        if isinstance(reply, StreamReply):
            await _send_stream(send, reply, dialect, self.request_ids.next())
        else:
            await _send_reply(send, reply, dialect, self.request_ids.next())


def _with_cors(app: ASGIApp, origins: tuple[str, ...]) -> ASGIApp | None:
    """The app behind Starlette's CORS middleware for the configured origins (None: off)."""
    if not origins:
        return None
    explicit = [origin for origin in origins if origin != LOOPBACK_ORIGINS]
    return CORSMiddleware(
        app,
        allow_origins=["*"] if ANY_ORIGIN in explicit else explicit,
        allow_origin_regex=LOOPBACK_ORIGIN_PATTERN if LOOPBACK_ORIGINS in origins else None,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=list(EXPOSED_HEADERS),
        max_age=600,
    )


def request_headers(scope: Scope) -> dict[str, str]:
    """The request headers by lower-case name; the first of a repeated header wins.

    A plain dict, built once: Starlette's `Headers` scans the raw list on every lookup, and the
    pipeline looks up half a dozen headers per request. (Built from the last header to the
    first, so that the first of a repeated one is the value left.)
    """
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in reversed(list(scope["headers"]))
    }


def bound_origin(scope: Scope) -> str:
    """The origin of the address the server accepted the request on (never the `Host` header)."""
    scheme = scope.get("scheme", "http")
    host, port = scope.get("server") or (LOCAL_HOST, 80)
    default_port = {"http": 80, "https": 443}.get(scheme)
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"{scheme}://{shown}" + ("" if port == default_port else f":{port}")


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _send_reply(send: Send, reply: Reply, dialect: OpenAIDialect, request_id: str) -> None:
    await _send(
        send,
        reply.status,
        encode_json(reply.body),
        [_JSON_CONTENT_TYPE, *_raw(reply.headers)] if reply.headers else [_JSON_CONTENT_TYPE],
        dialect,
        request_id,
    )


async def _send(
    send: Send,
    status: int,
    data: bytes,
    raw_headers: list[tuple[bytes, bytes]],
    dialect: OpenAIDialect,
    request_id: str,
) -> None:
    """Send a whole response: its headers (length and request id added) and its body."""
    start_headers = [(b"content-length", b"%d" % len(data)), *raw_headers]
    for name, value in dialect.request_id_headers(request_id):
        start_headers.append((name.encode("latin-1"), value.encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": data})


async def _send_stream(
    send: Send, reply: StreamReply, dialect: OpenAIDialect, request_id: str
) -> None:
    """Send a stream: its headers, then each event as it is made (chunked, no length).

    A cut stream stops after `cut_after` events without the last chunk: uvicorn then closes the
    connection, and a client sees the body end early.
    """
    headers = [*_raw(reply.headers), *_raw(dialect.request_id_headers(request_id))]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    async with contextlib.aclosing(reply.events) as events:
        sent = 0
        if reply.cut_after != 0:
            async for event in events:
                await send({"type": "http.response.body", "body": event, "more_body": True})
                sent += 1
                if sent == reply.cut_after:
                    break
        if sent == reply.cut_after:
            _CUT.set(True)
            return
    await send({"type": "http.response.body", "body": b""})


def _raw(headers: Headers | Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in pairs]


class RequestIds:
    """Request ids: a random prefix per app and a counter, so unique without a random draw each.

    `req_` and 32 hex digits, as OpenAI's look: 16 random ones (64 bits, so apps and worker
    processes do not collide) and the request's number in 16.
    """

    def __init__(self) -> None:
        """Draw this app's prefix."""
        self._prefix = "req_" + secrets.token_hex(8)
        self._numbers = itertools.count()

    def next(self) -> str:
        """The id of the next request."""
        return f"{self._prefix}{next(self._numbers):016x}"


def create_app(config: MockConfig | None = None) -> MockApp:
    """Create the mock ASGI application (compose it freely: it is a plain ASGI callable)."""
    return MockApp(config)


__all__ = [
    "EarlyAnswer",
    "MockApp",
    "RequestIds",
    "create_app",
    "request_headers",
]
