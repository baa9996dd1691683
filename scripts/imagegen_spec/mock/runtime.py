"""What the mock needs to know about one variant, read from its spec once at start-up."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from imagegen_spec.mock.fastcheck import Check, document_check, schema_check
from imagegen_spec.operation import Auth, Operation, Parameter, operation, validator
from imagegen_spec.schema import SpecValidator, flatten

CONTENT_POLICY = "content-policy"
"""The `x-imagegen-cause` of the example the mock answers a blocked prompt with."""

_PATH_PARAMETER = re.compile(r"\{([^}/]+)\}")


@dataclass(frozen=True)
class ErrorTemplate:
    """A declared error response: its status, example body and declared response headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, Any]


class VariantRuntime:
    """A variant's operation, auth, defaults and error responses, as its spec declares them."""

    def __init__(self, variant: str, op: Operation | None = None) -> None:
        """Read everything the mock needs from the variant's spec."""
        self.variant = variant
        self.operation = op or operation(variant)
        self.validator: SpecValidator = validator(variant)
        self.path_pattern = re.compile(
            "^"
            + _PATH_PARAMETER.sub(
                lambda match: f"(?P<{_group(match.group(1))}>[^/]+)", self.operation.path
            )
            + "$"
        )
        self.path_parameter_names = {
            _group(name): name for name in _PATH_PARAMETER.findall(self.operation.path)
        }
        self.method = self.operation.method.upper()
        self.parameters: tuple[Parameter, ...] = self.operation.parameters
        self.has_query_parameters = any(p.location == "query" for p in self.parameters)
        self.server_error_statuses = [
            int(status) for status in self.operation.statuses if status.startswith("5")
        ]
        auth = self.operation.auth
        self.auth: Auth = replace(auth, header=auth.header.lower())
        """The operation's auth, its header lowercased as the ASGI headers the mock reads are."""
        self.request_schema = self.operation.resolve(
            self.operation.body["requestBody"]["content"]["application/json"]["schema"]
        )
        self.request_properties: dict[str, dict[str, Any]] = {
            name: flatten(self.operation.spec, schema)
            for name, schema in self.request_schema.get("properties", {}).items()
        }
        """Each request body property's schema, flattened (a `default` beside a `$ref` kept)."""
        self.request_schema_pointer = self.operation.request_schema_pointer
        self.body_is_valid: Check = document_check(
            self.operation.spec,
            self.request_schema_pointer,
            lambda body: self.validator.is_valid(self.request_schema_pointer, body),
        )
        self.defaults = {
            name: schema["default"]
            for name, schema in self.request_properties.items()
            if "default" in schema
        }
        self.validation_status = 422 if "422" in self.operation.statuses else 400
        validation_schema = self._response_schema(self.validation_status)
        self.fastapi_validation = "detail" in validation_schema.get("properties", {})
        self.success_schema = self._response_schema(200)
        self.image_schema = self.operation.resolve(
            self.success_schema["properties"]["data"]["items"]
        )
        self.reports_usage = "usage" in self.success_schema.get("properties", {})
        self.auto_size = str(self.request_properties.get("size", {}).get("x-imagegen-auto", ""))
        """The size `auto` stands for (`x-imagegen-auto`), or "" where there is none."""
        b64_schema = self.image_schema.get("properties", {}).get("b64_json", {})
        media_type = str(b64_schema.get("contentMediaType", "image/png"))
        self.default_image_format = media_type.removeprefix("image/")
        """The format of a `b64_json` image when the request names none (its media type)."""
        self.returned_when: dict[str, Check] = {
            name: schema_check(schema["x-imagegen-returned-when"])
            for name, schema in self.image_schema.get("properties", {}).items()
            if "x-imagegen-returned-when" in schema
        }
        """Per image property, the check of the `x-imagegen-returned-when` a request matches."""

    def _response_schema(self, status: int) -> dict[str, Any]:
        pointer = self.operation.response_schema_pointer(str(status))
        if pointer is None:
            return {}
        return dict(self.operation.resolve({"$ref": "#" + pointer}))

    def error_object_schema(self, status: int) -> dict[str, Any]:
        """The resolved schema of the `error` object in a status's response ({} if none)."""
        error = self._response_schema(status).get("properties", {}).get("error", {})
        return dict(self.operation.resolve(error))

    def declared(self, status: int) -> bool:
        """Tell whether the spec declares a response for a status."""
        return str(status) in self.operation.statuses

    def error_template(self, status: int, cause: str | None = None) -> ErrorTemplate:
        """The example of a declared error response whose `x-imagegen-cause` is `cause`.

        With no cause, an untagged example is preferred, else the first one (a status whose only
        example is a content-policy refusal still answers `Prefer: code=NNN`).
        """
        response_pointer = self.operation.response_pointer(str(status))
        if response_pointer is None:
            raise KeyError(f"{self.variant} declares no {status} response")
        response = self.operation.resolve({"$ref": "#" + response_pointer})
        examples = response["content"]["application/json"].get("examples", {})
        chosen = [
            example for example in examples.values() if example.get("x-imagegen-cause") == cause
        ]
        if not chosen and cause is None:
            chosen = list(examples.values())
        if not chosen:
            raise KeyError(f"{self.variant} has no example for {status} with cause {cause!r}")
        headers = {
            name: self.operation.resolve(header).get("example")
            for name, header in response.get("headers", {}).items()
        }
        return ErrorTemplate(status=status, body=chosen[0]["value"], headers=headers)

    def content_policy_status(self) -> int:
        """The status of the response whose example is marked as the content-policy refusal."""
        for status in self.operation.statuses:
            try:
                self.error_template(int(status), CONTENT_POLICY)
            except KeyError:
                continue
            return int(status)
        raise KeyError(f"{self.variant} marks no example with x-imagegen-cause: {CONTENT_POLICY}")


def _group(name: str) -> str:
    """A regex group name for a path parameter name (which may hold '-')."""
    return "p_" + re.sub(r"\W", "_", name)
