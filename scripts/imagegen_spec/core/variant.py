"""One variant as its spec declares it, read once: route, request, responses and auth.

`Variant` gives each concern its own small object, built on first use (so a reader that only
needs the route compiles no validator): `route` (method, path pattern, local server prefix),
`request` (request schema, properties, defaults, parameters, the fast body check),
`responses` (the success and image schemas, declared error examples, the validation status).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from imagegen_spec.core.events import EventStream
from imagegen_spec.core.operation import JSON, Auth, Operation, Parameter, operation
from imagegen_spec.core.pointers import flatten
from imagegen_spec.core.validation import Check, SpecValidator, schema_check, validator

CONTENT_POLICY = "content-policy"
"""The `x-imagegen-cause` of the example answering a prompt a provider refuses."""
LOCAL_HOST = "127.0.0.1"
"""The host of each spec's local server entry (`http://127.0.0.1:8000/<variant>/v1`)."""

_PATH_PARAMETER = re.compile(r"\{([^}/]+)\}")

SIZE_RULE = "x-imagegen-size"
"""The keyword on a request's `size` with the arithmetic a `WIDTHxHEIGHT` size must satisfy."""


@dataclass(frozen=True)
class SizeRule:
    """What a `WIDTHxHEIGHT` size must satisfy beyond its schema (`x-imagegen-size`).

    Each limit is optional: `multipleOf` (both sides), `maxEdge` (the longer side),
    `minPixels` and `maxPixels` (width times height), `maxAspectRatio` (longer side over
    shorter side). JSON Schema cannot state them, so the mock and the checks read them here.
    """

    multiple_of: int | None = None
    max_edge: int | None = None
    min_pixels: int | None = None
    max_pixels: int | None = None
    max_aspect_ratio: float | None = None

    @classmethod
    def of(cls, keyword: Any) -> SizeRule | None:
        """Read an `x-imagegen-size` value; None where the spec has none."""
        if keyword is None:
            return None
        known = {"multipleOf", "maxEdge", "minPixels", "maxPixels", "maxAspectRatio"}
        if not isinstance(keyword, dict) or set(keyword) - known or not keyword:
            raise ValueError(
                f"{SIZE_RULE} must be a mapping of some of {sorted(known)}: {keyword!r}"
            )
        return cls(
            multiple_of=keyword.get("multipleOf"),
            max_edge=keyword.get("maxEdge"),
            min_pixels=keyword.get("minPixels"),
            max_pixels=keyword.get("maxPixels"),
            max_aspect_ratio=keyword.get("maxAspectRatio"),
        )

    def violations(self, width: int, height: int) -> list[str]:
        """What a size breaks, one phrase per limit ([] when it satisfies them all)."""
        found = []
        if self.multiple_of and (width % self.multiple_of or height % self.multiple_of):
            found.append(f"both sides must be multiples of {self.multiple_of}")
        if self.max_edge is not None and max(width, height) > self.max_edge:
            found.append(f"no side may exceed {self.max_edge} pixels")
        pixels = width * height
        if self.min_pixels is not None and pixels < self.min_pixels:
            found.append(f"it must have at least {self.min_pixels} pixels")
        if self.max_pixels is not None and pixels > self.max_pixels:
            found.append(f"it must have at most {self.max_pixels} pixels")
        ratio = self.max_aspect_ratio
        if ratio is not None and max(width, height) > ratio * max(min(width, height), 1):
            found.append(f"the aspect ratio must be between 1:{ratio:g} and {ratio:g}:1")
        return found


@dataclass(frozen=True)
class Route:
    """Where the operation is served: method, path below the server prefix, the prefix."""

    method: str
    """The HTTP method, upper case."""
    pattern: re.Pattern[str]
    """Matches the operation's path below the server prefix; one group per path parameter."""
    parameter_names: dict[str, str]
    """The path parameter's name of each regex group."""
    local_prefix: str
    """The path of the spec's local server entry (`/<variant>/v1`)."""

    @classmethod
    def of(cls, op: Operation) -> Route:
        """Read the route of an operation."""
        return cls(
            method=op.method.upper(),
            pattern=re.compile(
                "^"
                + _PATH_PARAMETER.sub(lambda m: f"(?P<{_group(m.group(1))}>[^/]+)", op.path)
                + "$"
            ),
            parameter_names={_group(name): name for name in _PATH_PARAMETER.findall(op.path)},
            local_prefix=local_prefix(op),
        )

    def path_values(self, match: re.Match[str]) -> dict[str, str]:
        """The path parameters of a match of `pattern`, by their names in the spec."""
        return {self.parameter_names[group]: value for group, value in match.groupdict().items()}


def local_prefix(op: Operation) -> str:
    """The path of the spec's local server entry (`http://127.0.0.1:8000/<variant>/v1`)."""
    for server in op.spec.get("servers", []):
        url = urlsplit(server["url"])
        if url.hostname == LOCAL_HOST:
            return str(url.path).rstrip("/")
    raise ValueError(f"{op.variant}: the spec has no server entry on {LOCAL_HOST}")


class RequestModel:
    """What a request may hold: parameters, the JSON body's schema, its defaults."""

    def __init__(self, op: Operation, spec_validator: SpecValidator) -> None:
        """Read the request side of an operation."""
        self.parameters: tuple[Parameter, ...] = op.parameters
        self.has_query_parameters = any(p.location == "query" for p in self.parameters)
        self.schema_pointer = op.request_schema_pointer
        self.schema: dict[str, Any] = op.resolve(op.body["requestBody"]["content"][JSON]["schema"])
        self.properties: dict[str, dict[str, Any]] = {
            name: flatten(op.spec, schema)
            for name, schema in self.schema.get("properties", {}).items()
        }
        """Each request body property's schema, flattened (a `default` beside a `$ref` kept)."""
        self.defaults = {
            name: schema["default"]
            for name, schema in self.properties.items()
            if "default" in schema
        }
        self.autos: dict[str, str] = {
            name: str(schema["x-imagegen-auto"])
            for name, schema in self.properties.items()
            if "x-imagegen-auto" in schema
        }
        """What the value `auto` stands for, per property that says so (`x-imagegen-auto`)."""
        self.auto_size = self.autos.get("size", "")
        """The size `auto` stands for (`x-imagegen-auto`), or "" where there is none."""
        self.size_rule = SizeRule.of(self.properties.get("size", {}).get(SIZE_RULE))
        """The arithmetic a `WIDTHxHEIGHT` size must satisfy (`x-imagegen-size`), if any."""
        self.body_is_valid: Check = spec_validator.fast_check(self.schema_pointer)
        """The compiled yes/no check of a parsed body against the request schema."""


@dataclass(frozen=True)
class ErrorTemplate:
    """A declared error response: its status, example body and declared response headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, Any]


class Responses:
    """What the operation answers: the success and image schemas and the declared errors."""

    def __init__(self, op: Operation) -> None:
        """Read the response side of an operation."""
        self.operation = op
        self.statuses = op.statuses
        self.server_error_statuses = [int(s) for s in op.statuses if s.startswith("5")]
        self.validation_status = 422 if "422" in op.statuses else 400
        validation_schema = self.schema(self.validation_status)
        self.fastapi_validation = "detail" in validation_schema.get("properties", {})
        """Whether validation errors are FastAPI's `{"detail": [...]}` (else an error object)."""
        self.success_schema = self.schema(200)
        self.image_schema: dict[str, Any] = op.resolve(
            self.success_schema["properties"]["data"]["items"]
        )
        self.reports_usage = "usage" in self.success_schema.get("properties", {})
        b64_schema = self.image_schema.get("properties", {}).get("b64_json", {})
        media_type = str(b64_schema.get("contentMediaType", "image/png"))
        self.default_image_format = media_type.removeprefix("image/")
        """The format of a `b64_json` image when the request names none (its media type)."""
        self.default_response_format = (
            "url" if "url" in self.image_schema.get("properties", {}) else "b64_json"
        )
        """How images come when the request names no `response_format`: `b64_json` when the
        image schema has no `url` (a spec without the field), else `url`."""
        self.returned_when: dict[str, Check] = {
            name: schema_check(schema["x-imagegen-returned-when"])
            for name, schema in self.image_schema.get("properties", {}).items()
            if "x-imagegen-returned-when" in schema
        }
        """Per image property, the check of the `x-imagegen-returned-when` a request matches."""

    def schema(self, status: int) -> dict[str, Any]:
        """The resolved JSON schema of the response declared for a status ({} if none)."""
        pointer = self.operation.response_schema_pointer(str(status))
        if pointer is None:
            return {}
        return dict(self.operation.resolve({"$ref": "#" + pointer}))

    def error_object_schema(self, status: int) -> dict[str, Any]:
        """The resolved schema of the `error` object in a status's response ({} if none)."""
        error = self.schema(status).get("properties", {}).get("error", {})
        return dict(self.operation.resolve(error))

    def declared(self, status: int) -> bool:
        """Tell whether the spec declares a response for a status."""
        return str(status) in self.statuses

    def error_template(self, status: int, cause: str | None = None) -> ErrorTemplate:
        """The example of a declared error response whose `x-imagegen-cause` is `cause`.

        With no cause, an untagged example is preferred, else the first one (a status whose only
        example is a content-policy refusal still answers `Prefer: code=NNN`).
        """
        op = self.operation
        response_pointer = op.response_pointer(str(status))
        if response_pointer is None:
            raise KeyError(f"{op.variant} declares no {status} response")
        response = op.resolve({"$ref": "#" + response_pointer})
        examples = response["content"][JSON].get("examples", {})
        chosen = [
            example for example in examples.values() if example.get("x-imagegen-cause") == cause
        ]
        if not chosen and cause is None:
            chosen = list(examples.values())
        if not chosen:
            raise KeyError(f"{op.variant} has no example for {status} with cause {cause!r}")
        headers = {
            name: op.resolve(header).get("example")
            for name, header in response.get("headers", {}).items()
        }
        return ErrorTemplate(status=status, body=chosen[0]["value"], headers=headers)

    def content_policy_status(self) -> int:
        """The status of the response whose example is marked as the content-policy refusal."""
        for status in self.statuses:
            try:
                self.error_template(int(status), CONTENT_POLICY)
            except KeyError:
                continue
            return int(status)
        raise KeyError(
            f"{self.operation.variant} marks no example with x-imagegen-cause: {CONTENT_POLICY}"
        )


class Variant:
    """A variant's operation and what its spec declares about it, each concern read on first use."""

    def __init__(self, variant: str, op: Operation | None = None) -> None:
        """Name the variant; `op` replaces the operation read from its spec (tests)."""
        self.variant = variant
        self.operation = op or operation(variant)

    @functools.cached_property
    def validator(self) -> SpecValidator:
        """The JSON Schema validator over the variant's spec document."""
        if self.operation.spec is validator(self.variant).spec:
            return validator(self.variant)
        return SpecValidator(self.operation.spec)

    @functools.cached_property
    def route(self) -> Route:
        """Where the operation is served."""
        return Route.of(self.operation)

    @functools.cached_property
    def auth(self) -> Auth:
        """How a request carries the key (the operation's one required security scheme)."""
        return self.operation.auth

    @functools.cached_property
    def request(self) -> RequestModel:
        """What a request may hold, with the spec's defaults."""
        return RequestModel(self.operation, self.validator)

    @functools.cached_property
    def responses(self) -> Responses:
        """What the operation answers."""
        return Responses(self.operation)

    @functools.cached_property
    def events(self) -> EventStream | None:
        """The event stream a streamed request gets (None where the spec declares none)."""
        return EventStream.of(self.operation)


@functools.cache
def variant_model(variant: str) -> Variant:
    """The (cached) model of a repository variant, read from its spec."""
    return Variant(variant)


def _group(name: str) -> str:
    """A regex group name for a path parameter name (which may hold '-')."""
    return "p_" + re.sub(r"\W", "_", name)
