"""The mock server: one ASGI application serving every variant from its spec.

This module is the ASGI adapter and the router. Routes: each variant's operation under the path
of every local server entry of its spec (`http://127.0.0.1:8000/<variant>/v1`, and Azure's
`/azure/openai` that `AzureOpenAI(azure_endpoint=...)` calls); `GET /_mock/images/...` serves
`url` images from their signed URLs (`urls.py`); `GET /_mock/metrics` gives the counters in
Prometheus' text format and `GET /_mock/stats` sums them by variant and status. Operation
requests go through the stages of `pipeline.py`; every answer is shaped by the variant's
dialect (`dialects.py`) and carries its request id header. A streamed answer is sent in
chunks, an event each; a stream cut on purpose (`Prefer: stream-cut=N`) ends without its last
chunk, so the server drops the connection. CORS is answered for loopback origins by default
(Starlette's middleware).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import secrets
from collections import Counter
from collections.abc import Mapping
from urllib.parse import urlsplit

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


def local_prefixes(runtime: Variant) -> list[str]:
    """The paths of the spec's local server entries (`http://127.0.0.1:8000/<variant>/v1`...)."""
    prefixes = [
        str(urlsplit(server["url"]).path).rstrip("/")
        for server in runtime.operation.spec.get("servers", [])
        if urlsplit(server["url"]).hostname == LOCAL_HOST
    ]
    if not prefixes:
        raise ValueError(f"{runtime.variant}: the spec has no server entry on {LOCAL_HOST}")
    return prefixes


class MockApp:
    """The ASGI application."""

    def __init__(self, config: MockConfig | None = None) -> None:
        """Read every served variant's spec and set up the URL signer and the counters."""
        self.config = config or MockConfig()
        self.runtimes = {variant: Variant(variant) for variant in self.config.variants}
        self.prefixes = {
            prefix: runtime
            for runtime in self.runtimes.values()
            for prefix in local_prefixes(runtime)
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
            await _send_reply(send, Reply(200, {"requests": counts}), OPENAI)
        elif path == METRICS_PATH:
            headers = [(b"content-type", METRICS_CONTENT_TYPE.encode("latin-1"))]
            await _send(send, 200, self.metrics.exposition(), headers, OPENAI)
        else:
            await self._operation(path, scope, receive, send)

    async def _operation(self, path: str, scope: Scope, receive: Receive, send: Send) -> None:
        for prefix, runtime in self.prefixes.items():
            if not (path.startswith(prefix) and path[len(prefix) : len(prefix) + 1] == "/"):
                continue
            dialect = self.dialects[runtime.variant]
            match = runtime.route.pattern.match(path[len(prefix) :])
            if match is None:
                message = f"No route for {path}; this server serves {runtime.operation.path}."
                reply = dialect.plain_error(runtime, 404, message, "not_found")
                await self._answer(send, runtime.variant, "other", reply, dialect)
                return
            values = runtime.route.path_values(match)
            exchange = Exchange(
                runtime=runtime,
                dialect=dialect,
                services=self.services,
                method=scope["method"],
                headers=request_headers(scope),
                query_string=scope["query_string"],
                path_values=values,
                receive=receive,
                origin=self.config.public_url or bound_origin(scope),
            )
            answer = await run_pipeline(exchange)
            await self._answer(send, runtime.variant, "operation", answer, dialect)
            return
        served = ", ".join(sorted(self.prefixes))
        reply = OPENAI.plain_error(
            None, 404, f"No route for {path}; served: {served}.", "not_found"
        )
        await self._answer(send, "", "other", reply, OPENAI)

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
        await _send(send, 200, data, headers, dialect)

    async def _answer(
        self, send: Send, variant: str, route: Route, reply: Answer, dialect: OpenAIDialect
    ) -> None:
        self.metrics.count(variant, route, reply.status)
        if isinstance(reply, StreamReply):
            await _send_stream(send, reply, dialect)
        else:
            await _send_reply(send, reply, dialect)


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
    pipeline looks up half a dozen headers per request.
    """
    headers: dict[str, str] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return headers


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


async def _send_reply(send: Send, reply: Reply, dialect: OpenAIDialect) -> None:
    await _send(
        send,
        reply.status,
        encode_json(reply.body),
        [_JSON_CONTENT_TYPE, *_raw(reply.headers)],
        dialect,
    )


async def _send(
    send: Send,
    status: int,
    data: bytes,
    raw_headers: list[tuple[bytes, bytes]],
    dialect: OpenAIDialect,
) -> None:
    """Send a whole response: its headers (length and request id added) and its body."""
    request_id = "req_" + secrets.token_hex(16)
    start_headers = [
        (b"content-length", b"%d" % len(data)),
        *raw_headers,
        *_raw(dialect.request_id_headers(request_id)),
    ]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": data})


async def _send_stream(send: Send, reply: StreamReply, dialect: OpenAIDialect) -> None:
    """Send a stream: its headers, then each event as it is made (chunked, no length).

    A cut stream stops after `cut_after` events without the last chunk: uvicorn then closes the
    connection, and a client sees the body end early.
    """
    request_id = "req_" + secrets.token_hex(16)
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


def create_app(config: MockConfig | None = None) -> MockApp:
    """Create the mock ASGI application (compose it freely: it is a plain ASGI callable)."""
    return MockApp(config)


__all__ = ["MockApp", "create_app", "local_prefixes", "request_headers"]
