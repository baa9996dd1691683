"""JSON pointers and `$ref`s inside an OpenAPI 3.1 document.

Code that reads a spec rather than validating against it follows `$ref`s with `resolve_ref` (to the
object a reference names) or `flatten` (a schema with the keywords beside its `$ref`s kept).
`referencing` resolves references for validation but offers no merge of sibling keywords, and the
specs only use local references, so these two are written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from imagegen_spec.shared.errors import UserError


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str) -> str:
    """Build a JSON pointer from unescaped tokens."""
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def unescape_pointer_token(token: str) -> str:
    """Unescape one JSON pointer token (RFC 6901)."""
    return token.replace("~1", "/").replace("~0", "~")


def resolve_pointer(document: Any, json_pointer: str) -> Any:
    """Return the value a JSON pointer designates in a document."""
    value = document
    for raw in json_pointer.split("/")[1:]:
        token = unescape_pointer_token(raw)
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


class RefError(UserError, ValueError):
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
