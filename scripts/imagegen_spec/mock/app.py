"""The mock server: one ASGI application serving every variant from its spec.

Routes: each variant's operation under the path of its spec's local server entry
(`http://127.0.0.1:8000/<variant>/v1`); `GET /_mock/images/...` serves `url` images from their
signed URLs (`urls.py`); `GET /_mock/metrics` gives the counters in Prometheus' text format and
`GET /_mock/stats` sums them by variant and status.

The request pipeline, in order: method, `Prefer` (delay, code), server-wide latency and random
failures, auth, parameters, body size, JSON, schema, blocked terms, success.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import secrets
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import orjson
from starlette.datastructures import QueryParams
from starlette.types import Receive, Scope, Send

from imagegen_spec.mock.config import MockConfig
from imagegen_spec.mock.errors import Reply, declared_error, validation_error
from imagegen_spec.mock.images import ImageSpec, content_type, is_prepared, render
from imagegen_spec.mock.metrics import METRICS_CONTENT_TYPE, MockMetrics
from imagegen_spec.mock.responses import (
    all_clear,
    effective_request,
    encoded_images,
    image_request,
    image_specs,
    success_body,
)
from imagegen_spec.mock.runtime import CONTENT_POLICY, VariantRuntime
from imagegen_spec.mock.urls import IMAGES_PATH, RejectedUrl, UrlSigner
from imagegen_spec.mock.validation import (
    InvalidJSON,
    Problem,
    body_problems,
    parameter_problems,
    parse_json,
)

MAX_DELAY_MS = 60_000.0
"""The longest `Prefer: delay` the mock honours, so that no request can hang it."""
_JSON_CONTENT_TYPE = (b"content-type", b"application/json")
STATS_PATH = "/_mock/stats"
METRICS_PATH = "/_mock/metrics"
LOCAL_HOST = "127.0.0.1"


_T = TypeVar("_T")


class BodyTooLarge(Exception):
    """The request body is larger than the configured cap."""


def local_prefix(runtime: VariantRuntime) -> str:
    """The path of the spec's local server entry (`http://127.0.0.1:8000/<variant>/v1`)."""
    for server in runtime.operation.spec.get("servers", []):
        url = urlsplit(server["url"])
        if url.hostname == LOCAL_HOST:
            return str(url.path).rstrip("/")
    raise ValueError(f"{runtime.variant}: the spec has no server entry on {LOCAL_HOST}")


class MockApp:
    """The ASGI application; `stats` counts requests as `(variant, status)`."""

    def __init__(self, config: MockConfig | None = None) -> None:
        """Read every served variant's spec and set up the URL signer and the counters."""
        self.config = config or MockConfig()
        self.runtimes = {variant: VariantRuntime(variant) for variant in self.config.variants}
        self.prefixes = {local_prefix(runtime): runtime for runtime in self.runtimes.values()}
        if self.config.failure_rate:
            for runtime in self.runtimes.values():
                if not runtime.server_error_statuses:
                    raise ValueError(f"{runtime.variant} declares no 5xx for --failure-rate to use")
        secret = self.config.url_secret
        self.signer = UrlSigner(
            secret.encode("utf-8") if secret else secrets.token_bytes(32),
            self.config.url_ttl_seconds,
        )
        self.metrics = MockMetrics()
        self._random = random.Random(self.config.seed)

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
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path.startswith(IMAGES_PATH) and scope["method"] in ("GET", "HEAD"):
            await self._serve_image(path.removeprefix(IMAGES_PATH), scope, send)
            return
        if path == STATS_PATH:
            counts = [
                {"variant": count.variant, "status": count.status, "count": count.count}
                for count in self.metrics.operation_counts()
            ]
            await _send_json(send, 200, {"requests": counts})
            return
        if path == METRICS_PATH:
            headers = [(b"content-type", METRICS_CONTENT_TYPE.encode("latin-1"))]
            await _send(send, 200, self.metrics.exposition(), headers)
            return
        for prefix, runtime in self.prefixes.items():
            if path.startswith(prefix) and path[len(prefix) : len(prefix) + 1] == "/":
                match = runtime.path_pattern.match(path[len(prefix) :])
                if match:
                    values = {
                        runtime.path_parameter_names[group]: value
                        for group, value in match.groupdict().items()
                    }
                    response = await self._operation(runtime, scope, receive, values)
                    self.metrics.count(runtime.variant, "operation", response.status)
                    await _send_json(send, response.status, response.body, response.headers)
                    return
        await _send_json(send, 404, {"error": {"message": f"No route for {path}", "code": None}})

    async def _serve_image(self, name: str, scope: Scope, send: Send) -> None:
        found = self.signer.read(name, scope["query_string"].decode("latin-1"))
        if isinstance(found, RejectedUrl):
            runtime = self.runtimes.get(found.variant or "")
            message = f"Image not found: {found.reason}."
            body = (
                _plain_error(runtime, message, "image_not_found")
                if runtime
                else {"error": {"message": message}}
            )
            self.metrics.count(found.variant or "", "image", 404)
            await _send_json(send, 404, body)
            return
        data = (await _rendered([found.spec], lambda specs: [render(s) for s in specs]))[0]
        self.metrics.count(found.variant, "image", 200)
        headers = [(b"content-type", content_type(found.spec.image_format).encode("ascii"))]
        await _send(send, 200, data, headers)

    async def _operation(
        self, runtime: VariantRuntime, scope: Scope, receive: Receive, path_values: dict[str, str]
    ) -> Reply:
        headers = request_headers(scope)
        method = runtime.method
        if scope["method"] != method:
            message = f"Method {scope['method']} not allowed; use {method}."
            body = _plain_error(runtime, message, "method_not_allowed")
            return Reply(405, body, {"allow": method})
        prefer = headers.get("prefer")
        preferences = _preferences(prefer) if prefer else {}
        requested_delay = _delay_ms(preferences.get("delay"))
        if requested_delay is None:
            problem = Problem(
                "header",
                ("Prefer",),
                "maximum",
                f"Prefer: delay={preferences['delay']} is not a number of milliseconds "
                f"from 0 to {MAX_DELAY_MS:g}",
                MAX_DELAY_MS,
            )
            return validation_error(runtime, [problem])
        delay_ms = self.config.latency_ms + requested_delay
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)
        if "code" in preferences:
            forced = self._forced(runtime, preferences["code"])
            if forced is not None:
                return forced
        if self.config.failure_rate and self._random.random() < self.config.failure_rate:
            return self._declared(runtime, self._random.choice(runtime.server_error_statuses))
        if not self._authorized(runtime, headers):
            return self._declared(runtime, 401)
        query = QueryParams(scope["query_string"]) if runtime.has_query_parameters else {}
        problems = parameter_problems(runtime, path_values, query, headers)
        try:
            raw = await _read_body(receive, headers, self.config.max_body_bytes)
        except BodyTooLarge:
            limit = self.config.max_body_bytes
            message = f"The request body is larger than {limit} bytes."
            return declared_error(runtime, 413, message=message)
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            problems.append(
                Problem(
                    "header",
                    ("Content-Type",),
                    "enum",
                    f"Content-Type must be application/json, not {content_type or 'missing'!r}",
                    ["application/json"],
                )
            )
            return validation_error(runtime, problems)
        try:
            body = parse_json(raw)
        except InvalidJSON as error:
            message = f"We could not parse the JSON body of your request: {error}"
            problems.append(Problem("body", (), "json_invalid", message))
            return validation_error(runtime, problems)
        problems += body_problems(runtime, body)
        if problems:
            return validation_error(runtime, problems)
        blocked = self._blocked_term(str(body["prompt"]))
        if blocked is not None:
            return self._refusal(runtime, blocked)
        effective = effective_request(runtime, body)
        wanted = image_request(runtime, effective)
        specs = image_specs(wanted)
        if wanted.response_format == "b64_json":
            values = await _rendered(specs, encoded_images)
        else:
            origin = self.config.public_url or _bound_origin(scope)
            values = [self.signer.url(origin, runtime.variant, spec) for spec in specs]
        return Reply(200, success_body(runtime, effective, wanted, values), {})

    def _declared(self, runtime: VariantRuntime, status: int) -> Reply:
        response = declared_error(runtime, status)
        if "Retry-After" in response.headers and self.config.retry_after is not None:
            response.headers["Retry-After"] = str(self.config.retry_after)
        return response

    def _forced(self, runtime: VariantRuntime, code: str) -> Reply | None:
        """The response a `Prefer: code=NNN` asks for (None for a success code)."""
        if code.isdigit() and runtime.declared(int(code)):
            return self._declared(runtime, int(code)) if int(code) >= 400 else None
        declared = ", ".join(runtime.operation.statuses)
        problem = Problem(
            "header",
            ("Prefer",),
            "enum",
            f"Prefer: code={code} is not a status this operation declares ({declared})",
            list(runtime.operation.statuses),
        )
        return validation_error(runtime, [problem])

    def _authorized(self, runtime: VariantRuntime, headers: Mapping[str, str]) -> bool:
        value = headers.get(runtime.auth.header, "")
        if runtime.auth.bearer:
            scheme, _, value = value.partition(" ")
            if scheme.lower() != "bearer":
                return False
        value = value.strip()
        if not value:
            return False
        return self.config.api_key is None or value == self.config.api_key

    def _blocked_term(self, prompt: str) -> str | None:
        lowered = prompt.lower()
        return next((term for term in self.config.blocked_terms if term.lower() in lowered), None)

    def _refusal(self, runtime: VariantRuntime, term: str) -> Reply:
        status = runtime.content_policy_status()
        response = declared_error(runtime, status, cause=CONTENT_POLICY)
        error = response.body.get("error")
        if isinstance(error, dict):
            error["message"] = (
                f"{error.get('message', 'Refused.')} The prompt contains the blocked term {term!r}."
            )
            inner = error.get("inner_error")
            if isinstance(inner, dict) and "content_filter_results" in inner:
                inner["content_filter_results"] = _tripped_filters(runtime, status)
        return response


def _tripped_filters(runtime: VariantRuntime, status: int) -> Any:
    """Prompt filter results with the custom blocklist (the mock's blocked terms) tripped."""
    error_schema = runtime.error_object_schema(status)
    inner_schema = runtime.operation.resolve(error_schema["properties"]["inner_error"])
    results = all_clear(runtime, inner_schema["properties"]["content_filter_results"])
    if isinstance(results, dict) and "custom_blocklists" in results:
        results["custom_blocklists"] = {
            "filtered": True,
            "details": [{"filtered": True, "id": "imagegen-mock-blocked-terms"}],
        }
    return results


def _plain_error(runtime: VariantRuntime, message: str, code: str) -> dict[str, Any]:
    """An error that is not about the request's values, in the variant's error object."""
    error = {"message": message, "type": "invalid_request_error", "param": None, "code": code}
    declared = runtime.error_object_schema(401).get("properties", {})
    return {"error": {name: value for name, value in error.items() if name in declared}}


def request_headers(scope: Scope) -> dict[str, str]:
    """The request headers by lower-case name; the first of a repeated header wins.

    A plain dict, built once: Starlette's `Headers` scans the raw list on every lookup, and the
    pipeline looks up half a dozen headers per request.
    """
    headers: dict[str, str] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return headers


def _preferences(value: str) -> dict[str, str]:
    """Parse `Prefer: code=429, delay=100` (RFC 7240 style, `,` or `;` separated)."""
    found = {}
    for part in value.replace(";", ",").split(","):
        name, _, setting = part.strip().partition("=")
        if name:
            found[name.strip().lower()] = setting.strip().strip('"')
    return found


def _delay_ms(value: str | None) -> float | None:
    """The delay a `Prefer: delay=MS` asks for; None when it is not a number in range."""
    if not value:
        return 0.0
    try:
        delay = float(value)
    except ValueError:
        return None
    return delay if math.isfinite(delay) and 0 <= delay <= MAX_DELAY_MS else None


async def _rendered(specs: list[ImageSpec], render_all: Callable[[list[ImageSpec]], _T]) -> _T:
    """Render pictures: at once when they are prepared, else in a thread off the event loop."""
    if all(is_prepared(spec) for spec in specs):
        return render_all(specs)
    return await asyncio.to_thread(render_all, specs)


def _bound_origin(scope: Scope) -> str:
    """The origin of the address the server accepted the request on (never the `Host` header)."""
    scheme = scope.get("scheme", "http")
    host, port = scope.get("server") or (LOCAL_HOST, 80)
    default_port = {"http": 80, "https": 443}.get(scheme)
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"{scheme}://{shown}" + ("" if port == default_port else f":{port}")


async def _read_body(receive: Receive, headers: Mapping[str, str], limit: int) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def encode_json(body: Any) -> bytes:
    """Compact JSON as UTF-8: orjson, about 100x faster than json on a b64_json image.

    json encodes what orjson refuses (an integer beyond 64 bits or a lone surrogate echoed back
    from a request), so every body still gets an answer.
    """
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, separators=(",", ":")).encode("utf-8")


async def _send_json(
    send: Send, status: int, body: Any, headers: Mapping[str, str] | None = None
) -> None:
    raw_headers = [_JSON_CONTENT_TYPE]
    if headers:
        raw_headers += _raw_headers(headers)
    await _send(send, status, encode_json(body), raw_headers)


async def _send(
    send: Send, status: int, data: bytes, raw_headers: list[tuple[bytes, bytes]]
) -> None:
    """Send a whole response: its headers (content-length added) and its body."""
    start_headers = [(b"content-length", b"%d" % len(data)), *raw_headers]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": data})


def _raw_headers(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]


def create_app(config: MockConfig | None = None) -> MockApp:
    """Create the mock ASGI application."""
    return MockApp(config)
