"""JSON Schema 2020-12 validation against the schemas inside an OpenAPI 3.1 document.

An OpenAPI 3.1 schema object is a JSON Schema 2020-12 schema; its `$ref`s point into the whole
document. So the document is registered as one resource and a validator is made for a JSON
pointer into it: every `$ref` then resolves exactly as the spec means it.

Two validators share that registration. Python jsonschema (`SpecValidator`) is the source of
every error message. A compiled yes/no check (jsonschema-rs, a maintained Rust implementation of
the same drafts) answers "is this body valid?" in well under 1 µs where Python jsonschema takes
about 70 µs for a request schema with model rules; the mock asks it on every request and runs
Python jsonschema only when it says no, so the answers can only differ in speed. Where
jsonschema-rs cannot take an instance (a lone surrogate in a key), Python decides.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from imagegen_spec.core.specs import Spec, load_spec

DOCUMENT_URI = "urn:imagegen-spec:document"
"""The URI under which a spec document is registered for `$ref` resolution."""

Check = Callable[[Any], bool]
"""A yes/no validity check of one instance."""


class SpecValidator:
    """Validates instances against schemas found by JSON pointer in one OpenAPI document."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        resource: Resource[Any] = Resource.from_contents(spec, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, schema_pointer: str) -> Draft202012Validator:
        """Return a (cached) validator for the schema at a JSON pointer into the document."""
        found = self._validators.get(schema_pointer)
        if found is None:
            found = Draft202012Validator(
                {"$ref": f"{DOCUMENT_URI}#{schema_pointer}"}, registry=self._registry
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

    def fast_check(self, schema_pointer: str) -> Check:
        """A compiled check against the schema at a pointer, with the same answers as is_valid."""
        return document_check(
            self.spec, schema_pointer, lambda instance: self.is_valid(schema_pointer, instance)
        )


@functools.cache
def validator(variant: str) -> SpecValidator:
    """Return the (cached) JSON Schema validator over a variant's spec."""
    return SpecValidator(load_spec(variant))


def _leaves(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """Replace combinator errors (anyOf, $ref) by the errors they wrap, when they have any."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def _error_order(error: ValidationError) -> tuple[int, str]:
    return (-len(error.absolute_path), str(list(error.absolute_path)))


def _guarded(fast: Check, slow: Check) -> Check:
    def check(instance: Any) -> bool:
        try:
            return fast(instance)
        except (ValueError, TypeError, OverflowError):
            return slow(instance)

    return check


def document_check(spec: Spec, schema_pointer: str, slow: Check) -> Check:
    """A check against the schema at a JSON pointer into the spec (its `$ref`s resolved there)."""
    registry = jsonschema_rs.Registry([(DOCUMENT_URI, spec)], draft=jsonschema_rs.Draft202012)
    compiled = jsonschema_rs.Draft202012Validator(
        # A JSON pointer in a URI fragment is percent-encoded (`{deploymentId}` in a path).
        {"$ref": f"{DOCUMENT_URI}#{quote(schema_pointer, safe='/~')}"},
        registry=registry,
        validate_formats=False,
    )
    return _guarded(compiled.is_valid, slow)


def schema_check(schema: dict[str, Any]) -> Check:
    """A check against a self-contained schema (no `$ref` out of it)."""
    compiled = jsonschema_rs.Draft202012Validator(schema, validate_formats=False)
    return _guarded(compiled.is_valid, Draft202012Validator(schema).is_valid)
