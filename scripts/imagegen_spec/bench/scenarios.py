"""The requests the benchmark sends, built from a variant's spec and checked against it.

The `url` kind is the default body (only a prompt): url mode where the spec's default
`response_format` is `url` (dalle, azure). Each kind is one exact HTTP request (method, path,
headers, body) and the status the spec says it gets. Bodies use the spec's own values (the `n`
limit, enum members) and are validated against the request schema when built, so a spec change
cannot leave the bench sending something other than what its name says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from imagegen_spec.core.operation import Parameter
from imagegen_spec.core.variant import Variant, variant_model
from imagegen_spec.shared.errors import UserError

PROMPT = "a lighthouse on a cliff at dawn, watercolour"
API_KEY = "sk-bench"

URL = "url"
B64 = "b64"
INVALID = "invalid"
UNAUTHENTICATED = "unauthenticated"
RATE_LIMITED = "rate-limited"
URL_UNIQUE = "url-unique"
B64_UNIQUE = "b64-unique"
URL_LARGEST = "url-largest"
B64_LARGEST = "b64-largest"

UNIQUE_MARKER = "@@N@@"
"""In a unique-prompt body, where each request puts its own number (wrk's Lua, the soak)."""

LABELS = {
    URL: "valid, default body",
    B64: "valid, b64_json 1024x1024 png",
    INVALID: "invalid (n above its maximum)",
    UNAUTHENTICATED: "no credential",
    RATE_LIMITED: "Prefer: code=429",
    URL_UNIQUE: "valid, default body, a new prompt each request",
    B64_UNIQUE: "valid, b64_json 1024x1024, a new prompt each request",
    URL_LARGEST: "valid, url, the largest size, a new prompt each request",
    B64_LARGEST: "valid, b64_json, the largest size, a new prompt each request",
}
LOAD_KINDS = (URL, B64, INVALID)
"""The kinds measured for throughput and latency."""
SOAK_KINDS = (URL, B64, INVALID, UNAUTHENTICATED, RATE_LIMITED)
"""The kinds the soak run mixes."""
PROMPT_KINDS = (URL, URL_UNIQUE, B64, B64_UNIQUE, URL_LARGEST, B64_LARGEST)
"""The kinds that compare a repeated prompt with new ones (the mock alone)."""


class ScenarioError(UserError, ValueError):
    """The spec does not allow building a scenario as its name says."""


@dataclass(frozen=True)
class Scenario:
    """One request: `path` is the operation's path (with its parameters) below a server's base."""

    kind: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    expected_status: int = 200

    @property
    def unique(self) -> bool:
        """Whether each request gets its own prompt (UNIQUE_MARKER replaced by its number)."""
        return UNIQUE_MARKER.encode("ascii") in self.body

    def body_for(self, number: int) -> bytes:
        """The body of request `number` (the same body unless the prompt is unique)."""
        return self.body.replace(UNIQUE_MARKER.encode("ascii"), str(number).encode("ascii"))


def default_response_format(variant: str) -> str:
    """What a body without `response_format` gets (`url` in dalle): the spec's default."""
    return str(variant_model(variant).request.defaults.get("response_format", "url"))


def _parameter_example(runtime: Variant, parameter: Parameter) -> str:
    value = runtime.operation.parameter_example(parameter)
    if value is None:
        raise ScenarioError(
            f"{runtime.variant}: required parameter {parameter.name!r} has no example"
        )
    return str(value)


def _request_target(runtime: Variant) -> tuple[str, dict[str, str]]:
    """The operation's path and required header parameters, filled in from the spec's examples.

    Required path and query parameters go into the path, required headers into the mapping.
    """
    path = runtime.operation.path
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    for parameter in runtime.request.parameters:
        if not parameter.required:
            continue
        value = _parameter_example(runtime, parameter)
        if parameter.location == "path":
            path = path.replace("{" + parameter.name + "}", value)
        elif parameter.location == "query":
            query[parameter.name] = value
        elif parameter.location == "header":
            headers[parameter.name] = value
    return (path + ("?" + urlencode(query) if query else "")), headers


def _b64(runtime: Variant) -> dict[str, Any]:
    """What asks for `b64_json`: `response_format`, or nothing where images are always base64."""
    return (
        {"response_format": "b64_json"} if "response_format" in runtime.request.properties else {}
    )


def _bodies(runtime: Variant) -> dict[str, dict[str, Any]]:
    properties = runtime.request.properties
    url_body: dict[str, Any] = {"prompt": PROMPT}
    b64_body = {"prompt": PROMPT, **_b64(runtime), "size": "1024x1024"}
    unique_prompt = f"{PROMPT}, number {UNIQUE_MARKER}"
    maximum = properties.get("n", {}).get("maximum")
    if maximum is None:
        raise ScenarioError(f"{runtime.variant}: `n` declares no maximum to exceed")
    largest = _valid_with_largest_size(runtime, {"prompt": unique_prompt})
    bodies = {
        URL: url_body,
        B64: b64_body,
        INVALID: {"prompt": PROMPT, "n": int(maximum) + 1},
        URL_UNIQUE: {**url_body, "prompt": unique_prompt},
        B64_UNIQUE: {**b64_body, "prompt": unique_prompt},
        B64_LARGEST: {**largest, **_b64(runtime)},
    }
    if _b64(runtime) and _accepts(runtime, {**largest, "response_format": "url"}):
        bodies[URL_LARGEST] = {**largest, "response_format": "url"}
    return bodies


def _accepts(runtime: Variant, body: dict[str, Any]) -> bool:
    return bool(runtime.validator.is_valid(runtime.operation.request_schema_pointer, body))


def _valid_with_largest_size(runtime: Variant, body: dict[str, Any]) -> dict[str, Any]:
    """The body with the spec's largest size, and the first model that allows it if needed."""
    sizes = [
        value
        for value in runtime.operation.enum_values(runtime.request.properties.get("size", {}))
        if isinstance(value, str) and "x" in value
    ]
    if not sizes:
        raise ScenarioError(f"{runtime.variant}: `size` lists no WIDTHxHEIGHT sizes")
    largest = max(sizes, key=lambda size: int(size.split("x")[0]) * int(size.split("x")[1]))
    models = [None, *runtime.operation.enum_values(runtime.request.properties.get("model", {}))]
    for model in models:
        candidate = {**body, "size": largest, **_b64(runtime)}
        if model is not None:
            candidate["model"] = model
        if _accepts(runtime, candidate):
            return {key: value for key, value in candidate.items() if key != "response_format"}
    raise ScenarioError(f"{runtime.variant}: no model of the spec accepts size {largest}")


def _check(runtime: Variant, kind: str, body: dict[str, Any], valid: bool) -> None:
    pointer = runtime.operation.request_schema_pointer
    if runtime.validator.is_valid(pointer, body) != valid:
        state = "invalid" if valid else "valid"
        raise ScenarioError(f"{runtime.variant}: the {kind} body {body} is {state} in the spec")


def scenarios(variant: str) -> dict[str, Scenario]:
    """Every scenario kind for a variant, each checked against the spec."""
    runtime = variant_model(variant)
    method = runtime.operation.method.upper()
    path, parameter_headers = _request_target(runtime)
    credential = runtime.auth.header_value(API_KEY)
    base_headers = {"Content-Type": "application/json", **parameter_headers}
    authenticated = {**base_headers, runtime.auth.header: credential}
    bodies = _bodies(runtime)
    for kind, body in bodies.items():
        _check(runtime, kind, body, valid=kind != INVALID)
    for status in (401, 429):
        if not runtime.responses.declared(status):
            raise ScenarioError(f"{variant}: the spec declares no {status} response")

    def encoded(kind: str) -> bytes:
        return json.dumps(bodies[kind], separators=(",", ":")).encode("utf-8")

    valid = {
        kind: Scenario(kind, method, path, authenticated, encoded(kind), 200)
        for kind in bodies
        if kind != INVALID
    }
    return {
        **valid,
        INVALID: Scenario(
            INVALID,
            method,
            path,
            authenticated,
            encoded(INVALID),
            runtime.responses.validation_status,
        ),
        UNAUTHENTICATED: Scenario(UNAUTHENTICATED, method, path, base_headers, encoded(URL), 401),
        RATE_LIMITED: Scenario(
            RATE_LIMITED, method, path, {**authenticated, "Prefer": "code=429"}, encoded(URL), 429
        ),
    }
