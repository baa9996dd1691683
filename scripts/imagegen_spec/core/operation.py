"""The one operation of each spec (`POST .../images/generations`), read from the document.

Everything the mock, the conformance runner and the docs need to know about the operation —
path, parameters, security, request schema, responses — is found here, by JSON pointer into the
spec, so that nothing restates what the spec holds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from imagegen_spec.core.pointers import pointer, resolve_pointer, resolve_ref
from imagegen_spec.core.specs import Spec, load_spec

JSON = "application/json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

ParameterLocation = Literal["path", "query", "header"]
"""Where a parameter is sent (the specs use no cookie parameters)."""
PARAMETER_LOCATIONS: tuple[ParameterLocation, ...] = ("path", "query", "header")


@dataclass(frozen=True)
class Parameter:
    """One parameter of the operation (path, query or header)."""

    name: str
    location: ParameterLocation
    required: bool
    schema_pointer: str


@dataclass(frozen=True)
class Example:
    """One example value in a spec and the schema it must satisfy."""

    where: str
    schema_pointer: str
    value: Any


@dataclass(frozen=True)
class Auth:
    """How the operation authenticates: its one required security scheme and where the key goes."""

    scheme_name: str
    """The scheme's name under `components/securitySchemes`."""
    header: str
    """The header carrying the key, as the spec spells it (`Authorization` for HTTP bearer)."""
    bearer: bool
    """Whether the header's value is `Bearer <key>` rather than the bare key."""
    scheme: dict[str, Any] = field(compare=False)
    """The security scheme object itself."""

    @property
    def header_key(self) -> str:
        """The header's name in lower case, as ASGI and `request_headers` spell names."""
        return self.header.lower()

    def header_value(self, key: str) -> str:
        """The header value that sends `key` (`Bearer <key>` or the bare key)."""
        return f"Bearer {key}" if self.bearer else key

    def read_key(self, headers: Mapping[str, str]) -> str | None:
        """The key request headers carry (names in lower case); None when absent or malformed.

        A bearer value must start with the `Bearer` scheme (any case); blank keys are absent.
        """
        value = headers.get(self.header_key, "")
        if self.bearer:
            scheme, _, value = value.partition(" ")
            if scheme.lower() != "bearer":
                return None
        return value.strip() or None


@dataclass(frozen=True)
class Operation:
    """The single operation of a variant's spec."""

    variant: str
    spec: Spec
    path: str
    method: str

    @property
    def pointer(self) -> str:
        """JSON pointer of the operation object."""
        return pointer("paths", self.path, self.method)

    @property
    def definition(self) -> dict[str, Any]:
        """The spec's Operation Object at `paths/<path>/<method>` (summary, responses, ...)."""
        return dict(self.spec["paths"][self.path][self.method])

    @property
    def operation_id(self) -> str:
        """The operationId."""
        return str(self.definition["operationId"])

    @property
    def request_schema_pointer(self) -> str:
        """JSON pointer of the JSON request body's schema."""
        return self.pointer + pointer("requestBody", "content", JSON, "schema")

    def resolve(self, value: Any) -> Any:
        """Follow a local `$ref` chain (if any) to the object it names; keywords beside it drop."""
        return resolve_ref(self.spec, value)

    def parameter_example(self, parameter: Parameter) -> Any | None:
        """The example the spec gives a parameter (None: it gives none).

        Its `example`, else the first of its schema's `examples`.
        """
        declared = self.resolve(
            resolve_pointer(self.spec, parameter.schema_pointer.removesuffix("/schema"))
        )
        if "example" in declared:
            return declared["example"]
        examples = self.resolve(declared.get("schema", {})).get("examples")
        return examples[0] if examples else None

    def enum_values(self, schema: Any) -> list[Any]:
        """Every enum value of a schema, through `$ref`s, `anyOf` and `oneOf`."""
        resolved = self.resolve(schema)
        values = list(resolved.get("enum", []))
        for key in ("anyOf", "oneOf"):
            for option in resolved.get(key, []):
                values += self.enum_values(option)
        return values

    def response_pointer(self, status: str) -> str | None:
        """JSON pointer of the (resolved) response object declared for a status, if any."""
        responses = self.definition["responses"]
        if status not in responses:
            return None
        response = responses[status]
        if "$ref" in response:
            return str(response["$ref"].removeprefix("#"))
        return self.pointer + pointer("responses", status)

    def response_schema_pointer(self, status: str, media_type: str = JSON) -> str | None:
        """JSON pointer of the schema of a status's response in a media type (JSON), if any."""
        response_pointer = self.response_pointer(status)
        if response_pointer is None:
            return None
        return response_pointer + pointer("content", media_type, "schema")

    @property
    def statuses(self) -> tuple[str, ...]:
        """The declared response statuses, as strings."""
        return tuple(self.definition["responses"])

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Every parameter of the path item and the operation (resolved)."""
        found = []
        for owner in (pointer("paths", self.path), self.pointer):
            for index, raw in enumerate(resolve_pointer(self.spec, owner).get("parameters", [])):
                param = self.resolve(raw)
                schema_pointer = (
                    raw["$ref"].removeprefix("#")
                    if "$ref" in raw
                    else f"{owner}/parameters/{index}"
                ) + "/schema"
                location = param["in"]
                if location not in PARAMETER_LOCATIONS:
                    raise ValueError(
                        f"{self.variant}: parameter {param['name']!r} is in {location!r}; "
                        f"supported: {', '.join(PARAMETER_LOCATIONS)}"
                    )
                found.append(
                    Parameter(
                        name=param["name"],
                        location=location,
                        required=bool(param.get("required", False)),
                        schema_pointer=schema_pointer,
                    )
                )
        return tuple(found)

    @property
    def security_requirements(self) -> list[dict[str, Any]]:
        """The operation's security requirements: its own `security`, else the global one."""
        return list(self.definition.get("security", self.spec.get("security")) or [])

    @property
    def security_schemes(self) -> dict[str, dict[str, Any]]:
        """The security schemes the operation's requirements name, by name, in order."""
        defined = self.spec.get("components", {}).get("securitySchemes", {})
        found = {}
        for requirement in self.security_requirements:
            for name in requirement:
                if name not in defined:
                    raise ValueError(
                        f"{self.variant}: the security requirement {name!r} names no scheme "
                        "in components/securitySchemes"
                    )
                found[name] = defined[name]
        return found

    @property
    def auth(self) -> Auth:
        """The one security scheme the operation requires: an API key header or a bearer token.

        Raises ValueError when the operation requires none, makes it optional (an empty
        requirement `{}`), names several, or uses another kind of scheme.
        """
        schemes = self.security_schemes
        if len(schemes) != 1:
            found = ", ".join(schemes) or "none"
            raise ValueError(
                f"{self.variant}: expected the operation to require exactly one security scheme, "
                f"found {found}"
            )
        if any(not requirement for requirement in self.security_requirements):
            raise ValueError(
                f"{self.variant}: an empty security requirement {{}} makes the key optional, "
                "which is not supported"
            )
        ((name, scheme),) = schemes.items()
        kind, carrier = scheme.get("type"), scheme.get("in")
        if kind == "apiKey" and carrier == "header":
            return Auth(name, str(scheme["name"]), bearer=False, scheme=scheme)
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return Auth(name, "Authorization", bearer=True, scheme=scheme)
        raise ValueError(
            f"{self.variant}: security scheme {name!r} ({scheme}) is not supported: use an API "
            "key in a header (type: apiKey, in: header) or an HTTP bearer token (type: http, "
            "scheme: bearer)"
        )

    def examples(self) -> Iterator[Example]:
        """Every example of the operation: request body, parameters and each response."""
        media = self.pointer + pointer("requestBody", "content", JSON)
        yield from _media_examples(self.spec, media)
        for parameter in self.parameters:
            param_pointer = parameter.schema_pointer.removesuffix("/schema")
            param = resolve_pointer(self.spec, param_pointer)
            if "example" in param:
                yield Example(
                    param_pointer + "/example", parameter.schema_pointer, param["example"]
                )
        for status in self.statuses:
            response_pointer = self.response_pointer(status)
            assert response_pointer is not None
            yield from _media_examples(self.spec, response_pointer + pointer("content", JSON))


def _media_examples(spec: Spec, media_pointer: str) -> Iterator[Example]:
    try:
        media = resolve_pointer(spec, media_pointer)
    except KeyError:
        return
    schema_pointer = media_pointer + "/schema"
    for name, example in media.get("examples", {}).items():
        yield Example(f"{media_pointer}/examples/{name}", schema_pointer, example["value"])
    if "example" in media:
        yield Example(media_pointer + "/example", schema_pointer, media["example"])


def schema_examples(spec: Spec) -> Iterator[Example]:
    """Every `examples` list of every schema object under `components/schemas`."""

    def walk(node: Any, where: str) -> Iterator[Example]:
        if isinstance(node, dict):
            if isinstance(node.get("examples"), list) and "type" in node:
                for index, value in enumerate(node["examples"]):
                    yield Example(f"{where}/examples/{index}", where, value)
            for key, child in node.items():
                yield from walk(child, where + pointer(key))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                yield from walk(child, f"{where}/{index}")

    yield from walk(spec.get("components", {}).get("schemas", {}), "/components/schemas")


def spec_operation(variant: str, spec: Spec) -> Operation:
    """Return the single operation of a spec document (`variant` names it in messages)."""
    found = [
        (path, method)
        for path, item in (spec.get("paths") or {}).items()
        for method in item
        if method in HTTP_METHODS
    ]
    if len(found) != 1:
        raise ValueError(f"{variant}: expected exactly one operation, found {found}")
    path, method = found[0]
    return Operation(variant=variant, spec=spec, path=path, method=method)


@functools.cache
def operation(variant: str) -> Operation:
    """Return the single operation of a variant's spec."""
    return spec_operation(variant, load_spec(variant))
