"""Readable facts about the JSON Schemas inside a spec: types, enum, default, bounds, rules.

The comparison states each field's constraints exactly as the spec holds them; this module reads
them from a schema object (following local `$ref`s, `anyOf`/`oneOf` branches and `null` types)
and phrases the `if`/`then`/`else` rules of an `allOf` in words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from imagegen_spec.core.pointers import flatten
from imagegen_spec.core.schema_facts import BOUNDS, LOWER_BOUNDS, UPPER_BOUNDS, split_nullable
from imagegen_spec.core.specs import Spec

_MAX_DEPTH = 12
_FORMAT_KEYWORDS = ("format", "contentEncoding", "contentMediaType")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""The `default` of a schema that declares none."""


def show(value: Any) -> str:
    """Render a JSON value compactly for people: strings bare, `null`, `""` for empty."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(", ", ": "), ensure_ascii=False)


def show_set(values: Iterator[Any] | tuple[Any, ...] | list[Any]) -> str:
    """Render values as a set: `{a, b, null}`."""
    return "{" + ", ".join(show(value) for value in values) + "}"


def ref_name(schema: Any) -> str | None:
    """The last token of a schema's local `$ref` (its component name), if it has one."""
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    return None


@dataclass(frozen=True)
class Bound:
    """One bound of a schema, e.g. kind `length` with text `1..4000`."""

    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.kind} {self.text}".strip()


@dataclass(frozen=True)
class SchemaFacts:
    """What a schema allows, read from the spec."""

    types: tuple[str, ...]
    nullable: bool
    enum: tuple[Any, ...] | None
    default: Any
    bounds: tuple[Bound, ...]
    formats: tuple[str, ...]
    items: SchemaFacts | None = field(default=None)

    @property
    def type_text(self) -> str:
        """The types (without null) and formats, e.g. `string (uri)` or `array of object`."""
        names = [
            f"array of {self.items.type_text}" if name == "array" and self.items else name
            for name in self.types
        ] or ["any"]
        text = " | ".join(names)
        return f"{text} ({', '.join(self.formats)})" if self.formats else text


def facts(spec: Spec, schema: Any) -> SchemaFacts:
    """Read the types, nullability, enum, default, bounds and formats of a schema."""
    flat, nullable = split_nullable(flatten(spec, schema))
    types: list[str] = []
    declared = flat.get("type")
    for name in [declared] if isinstance(declared, str) else list(declared or []):
        if name == "null":
            nullable = True
        elif name not in types:
            types.append(name)
    enum: list[Any] | None = None
    if "const" in flat:
        enum = [flat["const"]]
    elif isinstance(flat.get("enum"), list):
        enum = list(flat["enum"])
    if enum is not None and None in enum:
        nullable = True
        enum = [value for value in enum if value is not None]
    bounds = list(_bounds(flat))
    formats = [str(flat[key]) for key in _FORMAT_KEYWORDS if key in flat]
    items = facts(spec, flat["items"]) if isinstance(flat.get("items"), Mapping) else None

    branches = [facts(spec, branch) for branch in _branches(flat)]
    branch_enums: list[Any] = []
    every_branch_enumerated = bool(branches)
    for branch in branches:
        nullable = nullable or branch.nullable
        types += [name for name in branch.types if name not in types]
        if branch.types or branch.enum:
            if branch.enum is None:
                every_branch_enumerated = False
            else:
                branch_enums += [value for value in branch.enum if value not in branch_enums]
        bounds += [bound for bound in branch.bounds if bound not in bounds]
        formats += [name for name in branch.formats if name not in formats]
        items = items or branch.items
    if enum is None and branches and every_branch_enumerated:
        enum = branch_enums
    if not types and enum:
        types = sorted({_json_type(value) for value in enum})
    return SchemaFacts(
        types=tuple(types),
        nullable=nullable,
        enum=tuple(enum) if enum is not None else None,
        default=flat.get("default", MISSING),
        bounds=tuple(bounds),
        formats=tuple(formats),
        items=items,
    )


def object_schema(spec: Spec, schema: Any) -> dict[str, Any] | None:
    """The flattened object schema a schema describes (itself or its one object branch)."""
    flat = flatten(spec, schema)
    if "properties" in flat:
        return flat
    for branch in _branches(flat):
        found = object_schema(spec, branch)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class FieldFacts:
    """One field of an object schema, found by walking it (`data[].url`)."""

    path: str
    required: bool
    facts: SchemaFacts
    schema: dict[str, Any]


def walk_fields(spec: Spec, schema: Any, prefix: str = "", depth: int = 0) -> Iterator[FieldFacts]:
    """Every property of an object schema, and of the objects and arrays nested in it."""
    flat = object_schema(spec, schema)
    if flat is None or depth > _MAX_DEPTH:
        return
    required = set(flat.get("required", []))
    for name, child in flat["properties"].items():
        path = prefix + name
        child_flat = flatten(spec, child)
        yield FieldFacts(path, name in required, facts(spec, child), child_flat)
        yield from walk_fields(spec, child, path + ".", depth + 1)
        items = child_flat.get("items")
        if isinstance(items, Mapping):
            yield from walk_fields(spec, items, path + "[].", depth + 1)


def field_outline(spec: Spec, schema: Any) -> str:
    """The top-level fields of an object schema, one level deep: `error {code, param?}`."""
    flat = object_schema(spec, schema)
    if flat is None:
        return facts(spec, schema).type_text
    return _outline(spec, flat, depth=1)


def _outline(spec: Spec, flat: dict[str, Any], depth: int) -> str:
    required = set(flat.get("required", []))
    parts = []
    for name, child in flat["properties"].items():
        text = name if name in required else f"{name}?"
        child_flat = flatten(spec, child)
        nested = object_schema(spec, child)
        if nested is None and isinstance(child_flat.get("items"), Mapping):
            nested = object_schema(spec, child_flat["items"])
            text += "[]" if nested is not None else ""
        if nested is not None and depth > 0:
            text += " " + _outline(spec, nested, depth - 1)
        parts.append(text)
    return "{" + ", ".join(parts) + "}"


def constraint_phrase(spec: Spec, name: str, schema: Any) -> str:
    """Say in words what a (small) schema asks of the field `name`, e.g. `n ∈ {1, null}`."""
    flat = flatten(spec, schema)
    parts: list[str] = []
    if "const" in flat:
        parts.append(f"{name} = {show(flat['const'])}")
    if isinstance(flat.get("enum"), list):
        parts.append(f"{name} ∈ {show_set(flat['enum'])}")
    declared = flat.get("type")
    if declared is not None:
        names = [declared] if isinstance(declared, str) else list(declared)
        parts.append(f"{name} is null" if names == ["null"] else f"{name} is {' | '.join(names)}")
    for bound in _bounds(flat):
        subject = f"{name} {bound.kind}".strip()
        parts.append(
            f"{subject} ∈ {bound.text}" if ".." in bound.text else f"{subject} {bound.text}"
        )
    if isinstance(flat.get("not"), Mapping):
        parts.append(f"not ({constraint_phrase(spec, name, flat['not'])})")
    known = {"const", "enum", "type", "not", "description", "title", "default", "examples"}
    known |= {*LOWER_BOUNDS, *UPPER_BOUNDS}
    known |= {"multipleOf", "pattern"}
    rest = {
        key: value for key, value in flat.items() if key not in known and not key.startswith("x-")
    }
    if rest:
        parts.append(f"{name} matches {json.dumps(rest, sort_keys=True)}")
    return ", ".join(parts) or f"{name} is anything"


def condition_phrase(spec: Spec, condition: Any) -> str:
    """Say in words when an `if` schema holds, e.g. `model = dall-e-3`."""
    flat = flatten(spec, condition)
    required = list(flat.get("required", []))
    properties = dict(flat.get("properties", {}))
    parts = []
    for name, schema in properties.items():
        phrase = constraint_phrase(spec, name, schema)
        # JSON Schema's `properties` holds for an absent field: say so unless it is required.
        parts.append(phrase if name in required else f"({name} is absent or {phrase})")
    parts += [f"{name} is given" for name in required if name not in properties]
    rest = {
        key: value
        for key, value in flat.items()
        if key not in ("required", "properties", "description", "title")
    }
    if rest:
        parts.append(f"the body matches {json.dumps(rest, sort_keys=True)}")
    return " and ".join(parts) or "always"


@dataclass(frozen=True)
class Rule:
    """One `if`/`then`/`else` of an `allOf`, in words."""

    condition: str
    condition_fields: tuple[str, ...]
    then: dict[str, tuple[str, ...]]
    otherwise: dict[str, tuple[str, ...]]

    @property
    def text(self) -> str:
        """The whole rule: `if C: a; b; otherwise: c`."""
        then = "; ".join(phrase for phrases in self.then.values() for phrase in phrases)
        otherwise = "; ".join(phrase for phrases in self.otherwise.values() for phrase in phrases)
        if not then and otherwise:
            return f"unless {self.condition}: {otherwise}"
        text = f"if {self.condition}: {then or 'nothing more'}"
        return f"{text}; otherwise: {otherwise}" if otherwise else text

    def about(self, name: str) -> tuple[str, ...]:
        """What the rule says about one field, each phrase with its condition."""
        lines = [f"if {self.condition}: {phrase}" for phrase in self.then.get(name, ())]
        lines += [f"unless {self.condition}: {phrase}" for phrase in self.otherwise.get(name, ())]
        return tuple(lines)


def rules(spec: Spec, schema: Any) -> tuple[Rule, ...]:
    """The rules of an object schema's `allOf` (an entry without `if` holds always)."""
    flat = flatten(spec, schema)
    found = []
    for entry in flat.get("allOf", []):
        entry_flat = flatten(spec, entry)
        if "if" in entry_flat:
            condition = flatten(spec, entry_flat["if"])
            found.append(
                Rule(
                    condition=condition_phrase(spec, condition),
                    condition_fields=tuple(
                        dict.fromkeys(
                            [*condition.get("properties", {}), *condition.get("required", [])]
                        )
                    ),
                    then=_phrases(spec, entry_flat.get("then")),
                    otherwise=_phrases(spec, entry_flat.get("else")),
                )
            )
        else:
            found.append(Rule("always", (), _phrases(spec, entry_flat), {}))
    return tuple(found)


def rules_about(body_rules: Iterable[Rule], name: str, see: str) -> tuple[str, ...]:
    """What the rules say about one field: its constraints, and the fields it decides.

    `see` tells where the whole rules are, e.g. `see cross-field rules`.
    """
    lines: list[str] = []
    for rule in body_rules:
        lines += rule.about(name)
        if name in rule.condition_fields:
            decided = [field for field in [*rule.then, *rule.otherwise] if field != name]
            if decided:  # a rule about one field's own value (gpt-image's `url`) decides no other
                lines.append(f"decides {', '.join(dict.fromkeys(decided))} ({see})")
    return tuple(lines)


def _phrases(spec: Spec, schema: Any) -> dict[str, tuple[str, ...]]:
    """The constraints a `then`/`else` schema puts on each field."""
    flat = flatten(spec, schema)
    phrases: dict[str, list[str]] = {}
    for name, child in flat.get("properties", {}).items():
        phrases.setdefault(name, []).append(constraint_phrase(spec, name, child))
    for name in flat.get("required", []):
        phrases.setdefault(name, []).append(f"{name} is required")
    return {name: tuple(lines) for name, lines in phrases.items()}


def _branches(flat: Mapping[str, Any]) -> list[Any]:
    return [*flat.get("anyOf", []), *flat.get("oneOf", [])]


def _bounds(flat: Mapping[str, Any]) -> Iterator[Bound]:
    for keywords in BOUNDS:
        kind = keywords.kind
        low = _first_present(flat, keywords.lower, keywords.exclusive_lower)
        high = _first_present(flat, keywords.upper, keywords.exclusive_upper)
        if low is None and high is None:
            continue
        if low is not None and high is not None and not low[1] and not high[1]:
            yield Bound(kind, f"{show(low[0])}..{show(high[0])}")
            continue
        parts = []
        if low is not None:
            parts.append(f"{'>' if low[1] else '≥'} {show(low[0])}")
        if high is not None:
            parts.append(f"{'<' if high[1] else '≤'} {show(high[0])}")
        yield Bound(kind, ", ".join(parts))
    if "multipleOf" in flat:
        yield Bound("multiple of", show(flat["multipleOf"]))
    if "pattern" in flat:
        yield Bound("pattern", str(flat["pattern"]))


def _first_present(
    flat: Mapping[str, Any], inclusive: str, exclusive: str | None
) -> tuple[Any, bool] | None:
    """(value, is_exclusive) of a bound, preferring the exclusive keyword (3.1: a number)."""
    if exclusive is not None and exclusive in flat:
        return flat[exclusive], True
    if inclusive in flat:
        return flat[inclusive], False
    return None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
