"""Which component schemas the request and the responses reach, and from where.

A schema's side decides which way its changes break (see rules.py). The walk starts at every
operation's parameters and request body (request side) and its responses and their headers
(response side) and follows each `$ref`, through `components/parameters`, `responses`, `headers`
and `requestBodies` too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from imagegen_spec.core.operation import HTTP_METHODS, JSON
from imagegen_spec.core.pointers import RefError, resolve_ref, unescape_pointer_token
from imagegen_spec.core.schema_facts import is_nullable_wrapper
from imagegen_spec.core.specs import Spec
from imagegen_spec.diff.location import SEPARATOR, schema_label
from imagegen_spec.diff.rules import Side

SCHEMA_PREFIX = "#/components/schemas/"


@dataclass
class Usage:
    """For each component schema name: the sides that reach it and where it is referenced."""

    sides: dict[str, set[Side]] = field(default_factory=lambda: defaultdict(set))
    referrers: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def operations(spec: Spec) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """Every (path, method, path item, operation) of a document."""
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method, operation in item.items():
            if method in HTTP_METHODS and isinstance(operation, dict):
                yield path, method, item, operation


def component_name(ref: Any) -> str | None:
    """The schema name a `#/components/schemas/NAME` reference names, else None."""
    if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
        return unescape_pointer_token(ref.removeprefix(SCHEMA_PREFIX))
    return None


def operation_prefix(spec: Spec, path: str, method: str) -> str:
    """The readable prefix of an operation's places: none when the document has only one."""
    if len(list(operations(spec))) == 1:
        return ""
    return f"{method.upper()} {path}{SEPARATOR}"


def schema_roots(spec: Spec) -> Iterator[tuple[Side, str, Any]]:
    """Every (side, readable place, schema) where an operation's request or responses start."""
    for path, method, item, operation in operations(spec):
        prefix = operation_prefix(spec, path, method)
        for raw in [*item.get("parameters", []), *operation.get("parameters", [])]:
            parameter = _resolve_quietly(spec, raw)
            where = f"{prefix}{parameter.get('in', '?')} parameter {parameter.get('name', '?')}"
            yield from _content_schemas(Side.REQUEST, where, parameter)
        body = _resolve_quietly(spec, operation.get("requestBody"))
        yield from _content_schemas(Side.REQUEST, f"{prefix}request body", body)
        for status, raw in (operation.get("responses") or {}).items():
            response = _resolve_quietly(spec, raw)
            where = f"{prefix}response {status}"
            yield from _content_schemas(Side.RESPONSE, where, response)
            for name, raw_header in (response.get("headers") or {}).items():
                header = _resolve_quietly(spec, raw_header)
                yield from _content_schemas(
                    Side.RESPONSE, f"{where}{SEPARATOR}header {name}", header
                )


def schema_usage(spec: Spec) -> Usage:
    """Walk every schema the operations reach and record each component's sides and referrers."""
    usage = Usage()
    walked: set[tuple[str, Side]] = set()

    def walk(node: Any, side: Side, where: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, side, where)
            return
        if not isinstance(node, dict):
            return
        name = component_name(node.get("$ref"))
        if name is not None:
            usage.sides[name].add(side)
            if where not in usage.referrers[name]:
                usage.referrers[name].append(where)
            if (name, side) not in walked:
                walked.add((name, side))
                target = _resolve_quietly(spec, node)
                walk(target, side, f"schema {name}")
        for keyword, value in node.items():
            if keyword in ("properties", "patternProperties", "$defs") and isinstance(value, dict):
                for key, child in value.items():
                    walk(child, side, _extend(where, schema_label(keyword, key)))
            elif isinstance(value, list) and keyword in ("anyOf", "oneOf", "allOf", "prefixItems"):
                wrapper = is_nullable_wrapper(value)
                for index, child in enumerate(value):
                    label = None if wrapper else schema_label(keyword, index)
                    walk(child, side, _extend(where, label))
            elif isinstance(value, dict) and keyword not in ("examples", "example", "default"):
                walk(value, side, _extend(where, schema_label(keyword, keyword)))

    for side, where, schema in schema_roots(spec):
        walk(schema, side, where)
    return usage


def _content_schemas(side: Side, where: str, owner: Any) -> Iterator[tuple[Side, str, Any]]:
    if not isinstance(owner, dict):
        return
    if "schema" in owner:
        yield side, where, owner["schema"]
    for media, content in (owner.get("content") or {}).items():
        if isinstance(content, dict) and "schema" in content:
            label = where if media == JSON else f"{where} ({media})"
            yield side, label, content["schema"]


def _resolve_quietly(spec: Spec, node: Any) -> Any:
    try:
        resolved = resolve_ref(spec, node)
    except RefError:
        return {}
    return resolved if isinstance(resolved, dict) else {}


def _extend(where: str, label: str | None) -> str:
    return f"{where}{SEPARATOR}{label}" if label else where
