"""JSON pointers, `$ref`s and JSON Schema 2020-12 validation inside an OpenAPI 3.1 document.

An OpenAPI 3.1 schema object is a JSON Schema 2020-12 schema; its `$ref`s point into the whole
document. So the document is registered as one resource and a validator is made for a JSON
pointer into it: every `$ref` then resolves exactly as the spec means it.

Code that reads a spec rather than validating against it follows `$ref`s with `resolve_ref` (to the
object a reference names) or `flatten` (a schema with the keywords beside its `$ref`s kept).
`referencing` resolves references for validation but offers no merge of sibling keywords, and the
specs only use local references, so these two are written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from imagegen_spec.specs import Spec

DOCUMENT_URI = "urn:imagegen-spec:document"
"""The URI under which a spec document is registered for `$ref` resolution."""


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


class RefError(ValueError):
    """A `$ref` that cannot be followed: not a local reference, circular, or naming nothing."""


def _ref_target(document: Any, ref: Any, seen: set[str]) -> Any:
    """The value a local `$ref` names; `seen` holds the refs already followed in this chain."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        raise RefError(f"only local $refs (starting with #) are supported, found {ref!r}")
    if ref in seen:
        raise RefError(f"circular $ref {ref!r}")
    seen.add(ref)
    try:
        return resolve_pointer(document, ref.removeprefix("#"))
    except (KeyError, IndexError, ValueError, TypeError) as error:
        raise RefError(f"cannot resolve $ref {ref!r}: the document has nothing there") from error


def resolve_ref(document: Any, node: Any) -> Any:
    """Follow a node's chain of local `$ref`s to the first value without one.

    Keywords beside a `$ref` are dropped (use `flatten` to keep them); a node without `$ref` is
    returned as it is. Raises RefError.
    """
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        node = _ref_target(document, node["$ref"], seen)
    return node


def flatten(document: Any, node: Any) -> dict[str, Any]:
    """Follow a schema's chain of local `$ref`s, keeping the keywords beside each `$ref`.

    Keywords beside a `$ref` win over its target's (e.g. a `default` next to a `$ref` to an
    enum). A node that is not an object (e.g. the boolean schema `true`) flattens to `{}`.
    Raises RefError.
    """
    layers: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        layers.append(node)
        node = _ref_target(document, node["$ref"], seen)
    flat = dict(node) if isinstance(node, Mapping) else {}
    for layer in reversed(layers):
        flat.update((key, value) for key, value in layer.items() if key != "$ref")
    return flat


class SpecValidator:
    """Validates instances against schemas found by JSON pointer in one OpenAPI document."""

    def __init__(self, spec: Spec) -> None:
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


def _leaves(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """Replace combinator errors (anyOf, $ref) by the errors they wrap, when they have any."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def _error_order(error: ValidationError) -> tuple[int, str]:
    return (-len(error.absolute_path), str(list(error.absolute_path)))
