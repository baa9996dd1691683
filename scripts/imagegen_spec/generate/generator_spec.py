"""The copy of a spec the generators read: request defaults moved from `default` into prose.

A `default` in a request schema says what the *server* does when a field is left out. Both
generators turn it into the field's initial value, so the generated client would send it on
every call (and a server that never knew the field would reject every call). In the copy fed to
the generators, each `default` of a schema reached from a request body or a parameter is removed
and restated in the field's `description`, and the request schema's description lists them all
(openapi-python-client keeps no description beside a `$ref`). An unset field then stays
`UNSET` (client) or pydantic's `MISSING` (models) and is never serialised. Response schemas
keep their defaults. The spec itself is never changed.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from imagegen_spec.core.specs import Spec

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMPONENT_SCHEMA = "#/components/schemas/"
# Keywords whose value is one subschema, or a list or a map of subschemas.
_ONE = ("items", "not", "if", "then", "else", "additionalProperties", "contains")
_MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "$defs")


def _local(spec: Spec, node: Any) -> Any:
    """Follow a `$ref` to a request body or parameter (one step at a time, local only)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target: Any = spec
        for token in node["$ref"].removeprefix("#/").split("/"):
            target = target.get(token.replace("~1", "/").replace("~0", "~"), {})
        node = target
    return node


def _request_schemas(spec: Spec) -> Iterator[dict[str, Any]]:
    """The schema objects of every operation's request body and parameters."""
    for path_item in (spec.get("paths") or {}).values():
        if not isinstance(path_item, dict):
            continue
        operations = [path_item.get(method) for method in METHODS]
        parameters = list(path_item.get("parameters") or [])
        for op in filter(None, operations):
            for parameter in [*parameters, *(op.get("parameters") or [])]:
                schema = _local(spec, parameter).get("schema")
                if isinstance(schema, dict):
                    yield schema
            body = _local(spec, op.get("requestBody") or {})
            for media in (body.get("content") or {}).values():
                if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                    yield media["schema"]


def _subschemas(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in _ONE:
        if isinstance(schema.get(key), dict):
            yield schema[key]
    for key in _MANY:
        yield from (item for item in schema.get(key) or [] if isinstance(item, dict))
    for key in _MAP:
        yield from (item for item in (schema.get(key) or {}).values() if isinstance(item, dict))


def default_note(value: Any) -> str:
    """The sentence that restates a removed default in a field's description."""
    return f"Default: `{json.dumps(value)}` (applied by the server when the field is left out)."


def listed_default(name: str, value: Any) -> str:
    """How the request schema's description lists one field's default."""
    return f"`{name}` `{json.dumps(value)}`"


def _move_defaults(spec: Spec, schema: dict[str, Any], seen: set[int]) -> None:
    """Move every default of a schema and its subschemas (and components it names) to prose."""
    if id(schema) in seen:
        return
    seen.add(id(schema))
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(COMPONENT_SCHEMA):
        target = (spec.get("components") or {}).get("schemas", {}).get(ref[len(COMPONENT_SCHEMA) :])
        if isinstance(target, dict):
            _move_defaults(spec, target, seen)
    moved = []
    for name, field in (schema.get("properties") or {}).items():
        if isinstance(field, dict) and "default" in field:
            value = field.pop("default")
            field["description"] = _joined(field.get("description"), default_note(value))
            moved.append(listed_default(name, value))
    if "default" in schema:  # a default on the schema itself (a parameter's, say)
        schema["description"] = _joined(schema.get("description"), default_note(schema["default"]))
        del schema["default"]
    if moved:
        schema["description"] = _joined(
            schema.get("description"),
            "Fields left out take the server's defaults ("
            + ", ".join(moved)
            + "); the client sends only the fields you set.",
        )
    for sub in _subschemas(schema):
        _move_defaults(spec, sub, seen)


def _joined(description: Any, sentence: str) -> str:
    text = str(description).rstrip() if description else ""
    return f"{text}\n\n{sentence}\n" if text else f"{sentence}\n"


def generator_spec(spec: Spec) -> Spec:
    """Return the copy of a spec the generators read: no request default left as a `default`."""
    copied = copy.deepcopy(spec)
    seen: set[int] = set()
    for schema in list(_request_schemas(copied)):
        _move_defaults(copied, schema, seen)
    return copied
