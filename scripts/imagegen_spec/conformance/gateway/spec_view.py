"""What the gateway comparison reads from a variant's spec (never from the mock).

Request body properties with their bounds and defaults, the header parameters, the credential
header, the success body's properties (top level and per image), and the headers each response
declares. Two variants are compared by meaning through the names their specs share.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from imagegen_spec.core.operation import Operation, operation
from imagegen_spec.core.pointers import flatten


def _branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [schema] + [
        branch
        for key in ("anyOf", "oneOf")
        for branch in schema.get(key, [])
        if isinstance(branch, dict)
    ]


@dataclass(frozen=True)
class Bounds:
    """A numeric field's `minimum` and `maximum` (None where the spec sets none)."""

    minimum: float | None
    maximum: float | None

    def outside(self, value: float) -> bool:
        """Whether a value breaks the bounds."""
        return (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        )

    def edge(self, value: float) -> bool:
        """Whether a value is one of the bounds."""
        return value in (self.minimum, self.maximum)


class SpecView:
    """One variant's spec, as the gateway comparison reads it."""

    def __init__(self, variant: str) -> None:
        """Read the variant's operation."""
        self.variant = variant
        self.operation: Operation = operation(variant)
        op = self.operation
        request = op.resolve(op.definition["requestBody"]["content"]["application/json"]["schema"])
        self.request_properties: dict[str, dict[str, Any]] = {
            name: flatten(op.spec, schema) for name, schema in request.get("properties", {}).items()
        }
        self.header_parameters = tuple(
            parameter.name for parameter in op.parameters if parameter.location == "header"
        )
        self.credential_header = op.auth.header
        success = self._schema(200)
        self.response_properties = tuple(success.get("properties", {}))
        items = success.get("properties", {}).get("data", {}).get("items", {})
        self.image_properties = tuple(op.resolve(items).get("properties", {}))

    def _schema(self, status: int) -> dict[str, Any]:
        pointer = self.operation.response_schema_pointer(str(status))
        return {} if pointer is None else dict(self.operation.resolve({"$ref": "#" + pointer}))

    def bounds(self, name: str) -> Bounds:
        """A request field's numeric bounds (its schema or any branch of it)."""
        minimum = maximum = None
        for branch in _branches(self.request_properties.get(name, {})):
            minimum = branch.get("minimum", minimum)
            maximum = branch.get("maximum", maximum)
        return Bounds(minimum, maximum)

    def default(self, name: str) -> tuple[bool, Any]:
        """Whether a request field has a default, and the default."""
        schema = self.request_properties.get(name, {})
        return ("default" in schema), schema.get("default")

    def response_headers(self, status: int) -> tuple[str, ...]:
        """The headers the spec declares for a response status."""
        pointer = self.operation.response_pointer(str(status))
        if pointer is None:
            return ()
        return tuple(self.operation.resolve({"$ref": "#" + pointer}).get("headers", {}))


@functools.cache
def spec_view(variant: str) -> SpecView:
    """The (cached) view of a variant's spec."""
    return SpecView(variant)
