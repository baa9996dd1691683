"""The mock server: one ASGI application serving every variant from its spec.

Routes: each variant's operation under the path of its spec's local server entry
(`http://127.0.0.1:8000/<variant>/v1`); `GET /_mock/images/{id}` serves `url` images;
`GET /_mock/stats` counts requests by variant and status.

The request pipeline, in order: method, `Prefer` (delay, code), server-wide latency and random
failures, auth, parameters, body size, JSON, schema, blocked terms, success.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
from collections import Counter
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.datastructures import QueryParams
from starlette.types import Receive, Scope, Send

from imagegen_spec.core.request import (
    InvalidJSON,
    Problem,
    ProblemKind,
    body_problems,
    parameter_problems,
    parse_json,
)
from imagegen_spec.core.variant import CONTENT_POLICY, LOCAL_HOST, Variant
from imagegen_spec.mock.config import MockConfig
from imagegen_spec.mock.errors import Reply, declared_error, validation_error
from imagegen_spec.mock.responses import all_clear, success_body
from imagegen_spec.mock.store import ImageStore

MAX_DELAY_MS = 60_000.0
"""The longest `Prefer: delay` the mock honours, so that no request can hang it."""
IMAGES_PATH = "/_mock/images/"
_JSON_CONTENT_TYPE = (b"content-type", b"application/json")
STATS_PATH = "/_mock/stats"


class BodyTooLarge(Exception):
    """The request body is larger than the configured cap."""


class MockApp:
    """The ASGI application; `stats` counts requests as `(variant, status)`."""

    def __init__(self, config: MockConfig | None = None) -> None:
        """Read every served variant's spec and set up the image store."""
        self.config = config or MockConfig()
        self.runtimes = {variant: Variant(variant) for variant in self.config.variants}
        self.prefixes = {runtime.route.local_prefix: runtime for runtime in self.runtimes.values()}
        if self.config.failure_rate:
            for runtime in self.runtimes.values():
                if not runtime.responses.server_error_statuses:
                    raise ValueError(f"{runtime.variant} declares no 5xx for --failure-rate to use")
        self.store = ImageStore(
            ttl_seconds=self.config.url_ttl_seconds,
            max_items=self.config.max_images,
            max_bytes=self.config.max_image_bytes,
        )
        self.stats: Counter[tuple[str, int]] = Counter()
        self._random = random.Random(self.config.seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection scope."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path.startswith(IMAGES_PATH) and scope["method"] in ("GET", "HEAD"):
            await self._serve_image(path.removeprefix(IMAGES_PATH), send)
            return
        if path == STATS_PATH:
            counts = [
                {"variant": variant, "status": status, "count": count}
                for (variant, status), count in sorted(self.stats.items())
            ]
            await _send_json(send, 200, {"requests": counts})
            return
        for prefix, runtime in self.prefixes.items():
            if path.startswith(prefix) and path[len(prefix) : len(prefix) + 1] == "/":
                match = runtime.route.pattern.match(path[len(prefix) :])
                if match:
                    values = runtime.route.path_values(match)
                    response = await self._operation(runtime, scope, receive, values)
                    self.stats[(runtime.variant, response.status)] += 1
                    await _send_json(send, response.status, response.body, response.headers)
                    return
        await _send_json(send, 404, {"error": {"message": f"No route for {path}", "code": None}})

    async def _serve_image(self, image_id: str, send: Send) -> None:
        stored = self.store.get(image_id)
        if stored is None:
            await _send_json(send, 404, {"error": {"message": "Image not found or expired."}})
            return
        await _send(send, 200, stored.data, _raw_headers({"content-type": stored.content_type}))

    async def _operation(
        self, runtime: Variant, scope: Scope, receive: Receive, path_values: dict[str, str]
    ) -> Reply:
        headers = request_headers(scope)
        method = runtime.route.method
        if scope["method"] != method:
            body = _plain_error(runtime, f"Method {scope['method']} not allowed; use {method}.")
            return Reply(405, body, {"allow": method})
        prefer = headers.get("prefer")
        preferences = _preferences(prefer) if prefer else {}
        requested_delay = _delay_ms(preferences.get("delay"))
        if requested_delay is None:
            problem = Problem(
                "header",
                ("Prefer",),
                ProblemKind.MAXIMUM,
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
            return self._declared(
                runtime, self._random.choice(runtime.responses.server_error_statuses)
            )
        if not self._authorized(runtime, headers):
            return self._declared(runtime, 401)
        query = QueryParams(scope["query_string"]) if runtime.request.has_query_parameters else {}
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
                    ProblemKind.ENUM,
                    f"Content-Type must be application/json, not {content_type or 'missing'!r}",
                    ["application/json"],
                )
            )
            return validation_error(runtime, problems)
        try:
            body = parse_json(raw)
        except InvalidJSON as error:
            message = f"We could not parse the JSON body of your request: {error}"
            problems.append(Problem("body", (), ProblemKind.JSON_INVALID, message))
            return validation_error(runtime, problems)
        problems += body_problems(runtime, body)
        if problems:
            return validation_error(runtime, problems)
        blocked = self._blocked_term(str(body["prompt"]))
        if blocked is not None:
            return self._refusal(runtime, blocked)
        base = _base_url(scope, headers)
        result = success_body(
            runtime, body, lambda data, kind: base + IMAGES_PATH + self.store.put(data, kind)
        )
        return Reply(200, result, {})

    def _declared(self, runtime: Variant, status: int) -> Reply:
        response = declared_error(runtime, status)
        if "Retry-After" in response.headers and self.config.retry_after is not None:
            response.headers["Retry-After"] = str(self.config.retry_after)
        return response

    def _forced(self, runtime: Variant, code: str) -> Reply | None:
        """The response a `Prefer: code=NNN` asks for (None for a success code)."""
        if code.isdigit() and runtime.responses.declared(int(code)):
            return self._declared(runtime, int(code)) if int(code) >= 400 else None
        declared = ", ".join(runtime.operation.statuses)
        problem = Problem(
            "header",
            ("Prefer",),
            ProblemKind.ENUM,
            f"Prefer: code={code} is not a status this operation declares ({declared})",
            list(runtime.operation.statuses),
        )
        return validation_error(runtime, [problem])

    def _authorized(self, runtime: Variant, headers: Mapping[str, str]) -> bool:
        key = runtime.auth.read_key(headers)
        return key is not None and (self.config.api_key is None or key == self.config.api_key)

    def _blocked_term(self, prompt: str) -> str | None:
        lowered = prompt.lower()
        return next((term for term in self.config.blocked_terms if term.lower() in lowered), None)

    def _refusal(self, runtime: Variant, term: str) -> Reply:
        status = runtime.responses.content_policy_status()
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


def _tripped_filters(runtime: Variant, status: int) -> Any:
    """Prompt filter results with the custom blocklist (the mock's blocked terms) tripped."""
    error_schema = runtime.responses.error_object_schema(status)
    inner_schema = runtime.operation.resolve(error_schema["properties"]["inner_error"])
    results = all_clear(runtime, inner_schema["properties"]["content_filter_results"])
    if isinstance(results, dict) and "custom_blocklists" in results:
        results["custom_blocklists"] = {
            "filtered": True,
            "details": [{"filtered": True, "id": "imagegen-mock-blocked-terms"}],
        }
    return results


def _plain_error(runtime: Variant, message: str) -> dict[str, Any]:
    if runtime.responses.fastapi_validation:
        return {"detail": message}
    return {
        "error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}
    }


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


def _base_url(scope: Scope, headers: Mapping[str, str]) -> str:
    host = headers.get("host")
    if not host:
        server = scope.get("server") or (LOCAL_HOST, 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"


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
