"""A compiled yes/no check of instances against the spec's schemas (jsonschema-rs).

The mock asks "is this body valid?" on every request. Python jsonschema answers in about 70 µs
for a request schema with model rules, jsonschema-rs (a maintained Rust implementation of the
same drafts) in well under 1 µs. Python jsonschema (`SpecValidator`) stays the source of every
error message: the mock runs it only when this check says no, so the answers can only differ in
speed. Where jsonschema-rs cannot take an instance (a lone surrogate in a key), Python decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import jsonschema_rs
from jsonschema import Draft202012Validator

from imagegen_spec.schema import DOCUMENT_URI
from imagegen_spec.specs import Spec

Check = Callable[[Any], bool]


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
    validator = jsonschema_rs.Draft202012Validator(
        # A JSON pointer in a URI fragment is percent-encoded (`{deploymentId}` in a path).
        {"$ref": f"{DOCUMENT_URI}#{quote(schema_pointer, safe='/~')}"},
        registry=registry,
        validate_formats=False,
    )
    return _guarded(validator.is_valid, slow)


def schema_check(schema: dict[str, Any]) -> Check:
    """A check against a self-contained schema (no `$ref` out of it)."""
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=False)
    return _guarded(validator.is_valid, Draft202012Validator(schema).is_valid)
