"""JSON Schema 2020-12 validation of data against the schemas inside an OpenAPI 3.1 document.

An OpenAPI 3.1 schema object is a JSON Schema 2020-12 schema; its `$ref`s point into the whole
document. So the document is registered as one resource and a validator is made for a JSON
pointer into it: every `$ref` then resolves exactly as the spec means it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from imagegen_spec.specs import Spec

_DOCUMENT_URI = "urn:imagegen-spec:document"


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str) -> str:
    """Build a JSON pointer from unescaped tokens."""
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def resolve_pointer(document: Any, json_pointer: str) -> Any:
    """Return the value a JSON pointer designates in a document."""
    value = document
    for raw in json_pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


class SpecValidator:
    """Validates instances against schemas found by JSON pointer in one OpenAPI document."""

    def __init__(self, spec: Spec) -> None:
        resource: Resource[Any] = Resource.from_contents(spec, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_DOCUMENT_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, schema_pointer: str) -> Draft202012Validator:
        """Return a (cached) validator for the schema at a JSON pointer into the document."""
        found = self._validators.get(schema_pointer)
        if found is None:
            found = Draft202012Validator(
                {"$ref": f"{_DOCUMENT_URI}#{schema_pointer}"}, registry=self._registry
            )
            self._validators[schema_pointer] = found
        return found

    def errors(self, schema_pointer: str, instance: Any) -> list[ValidationError]:
        """Return every validation error of an instance, most specific first."""
        return sorted(
            _leaves(self.validator(schema_pointer).iter_errors(instance)), key=_error_order
        )

    def is_valid(self, schema_pointer: str, instance: Any) -> bool:
        """Tell whether an instance is valid against the schema at the pointer."""
        return bool(self.validator(schema_pointer).is_valid(instance))


def _leaves(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """Replace combinator errors (anyOf, $ref) by the errors they wrap, when they have any."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def _error_order(error: ValidationError) -> tuple[int, str]:
    return (-len(error.absolute_path), str(list(error.absolute_path)))
