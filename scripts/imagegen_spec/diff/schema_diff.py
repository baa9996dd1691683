"""Compare two JSON Schema 2020-12 schemas keyword by keyword and classify each difference.

The keywords these specs use are compared with a direction — type (with type lists and null),
enum and const, the min/max bounds, required, properties, additionalProperties, default, anyOf,
allOf and if/then/else (conditional rules, i.e. constraints) — and any other keyword is reported
as `keyword-changed`. A `$ref` naming the same component on both sides is not followed (the
component is compared once, by name); one whose target changed name is resolved and compared.

Before two schemas are compared, the spellings of "nullable" are made one: `type: [T, 'null']`,
`anyOf: [X, {type: 'null'}]` and OpenAPI 3.0's `nullable: true` all mean "X or null", so
rewriting one as another is no change.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from imagegen_spec.core.pointers import RefError, resolve_pointer, resolve_ref
from imagegen_spec.core.schema_facts import (
    BRANCH_KEYWORDS,
    LOWER_BOUNDS,
    NULLABLE_FLAG,
    UPPER_BOUNDS,
    split_nullable,
)
from imagegen_spec.core.specs import Spec
from imagegen_spec.diff.location import At, schema_label
from imagegen_spec.diff.rules import RULES, Effect, Rule, Side
from imagegen_spec.diff.usage import component_name
from imagegen_spec.shared.errors import UserError

MISSING: Any = object()

CONSTRAINTS = (
    "pattern", "format", "contentEncoding", "contentMediaType", "contentSchema", "multipleOf",
    "uniqueItems", "not", "contains", "prefixItems", "propertyNames", "patternProperties",
    "dependentRequired", "dependentSchemas", "unevaluatedItems", "unevaluatedProperties",
)  # fmt: skip
# Extensions the mock and the conformance checks read (README, "Extensions the specs carry"):
# changing one changes what a conforming server must do.
BEHAVIOUR_PREFIX = "x-imagegen-"
DOCS_ONLY_EXTENSIONS = ("x-imagegen-provenance",)
"""`x-imagegen-*` keywords that only the docs read: the evidence behind a decision."""
DOC_KEYWORDS = (
    "description", "title", "summary", "examples", "example", "$comment", "externalDocs"
)  # fmt: skip


class SpecDiffError(UserError):
    """A document cannot be compared (e.g. a `$ref` that resolves to nothing)."""


@dataclass(frozen=True)
class Change:
    """One classified difference between the old and the new document."""

    rule: Rule
    pointer: str
    where: str
    detail: str
    sides: frozenset[Side]
    used_by: tuple[str, ...] = ()
    effect: Effect = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "effect", self.rule.effect(self.sides))


def normalize(schema: dict[str, Any]) -> dict[str, Any]:
    """One spelling for "nullable" (a `nullable: true` flag) and none for `uniqueItems: false`.

    What counts as nullable is `schema_facts.split_nullable`'s (the docs read the same); an
    `anyOf`/`oneOf` left with one branch once its null branch is gone becomes that branch.
    """
    normal, nullable = split_nullable(schema)
    for keyword in BRANCH_KEYWORDS:
        rest = normal.get(keyword)
        if not isinstance(rest, list) or len(rest) != 1 or len(schema[keyword]) < 2:
            continue
        if isinstance(rest[0], dict):
            del normal[keyword]
            inner = normalize(rest[0])
            nullable = inner.pop(NULLABLE_FLAG, False) is True or nullable
            normal = {**inner, **normal}
    if normal.get("uniqueItems") is False:
        del normal["uniqueItems"]
    if nullable:
        normal[NULLABLE_FLAG] = True
    return normal


def canonical(value: Any) -> str:
    """A stable text form of a JSON value, for equality and sets (True is not 1)."""
    return json.dumps(value, sort_keys=True, default=str)


def same(old: Any, new: Any) -> bool:
    """Tell whether two JSON values are the same (MISSING equals only MISSING)."""
    if old is MISSING or new is MISSING:
        return old is new
    return canonical(old) == canonical(new)


def short(value: Any, limit: int = 70) -> str:
    """A one-line, bounded rendering of a JSON value for reports."""
    text = " ".join(canonical(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(old: Any, new: Any) -> str:
    """A short account of a value added, removed or changed."""
    if old is MISSING:
        return f"added: {short(new)}"
    if new is MISSING:
        return f"removed: {short(old)}"
    return f"{short(old)} → {short(new)}"


def text_change(old: Any, new: Any) -> str:
    """A short account of a documentation change: which named entries or that the text changed."""
    if isinstance(old, str) and isinstance(new, str) and len(old) + len(new) > 60:
        return "text changed"
    if isinstance(old, dict) and isinstance(new, dict):
        parts = [
            f"{verb}: {', '.join(names)}"
            for verb, names in (
                ("changed", [key for key in old if key in new and not same(old[key], new[key])]),
                ("added", [key for key in new if key not in old]),
                ("removed", [key for key in old if key not in new]),
            )
            if names
        ]
        return "; ".join(parts)
    return describe(old, new)


def without_docs(schema: Any) -> Any:
    """A schema less its documentation keywords (not touching property names)."""
    if isinstance(schema, list):
        return [without_docs(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kept: dict[str, Any] = {}
    for key, value in schema.items():
        if key in DOC_KEYWORDS or key.startswith("x-"):
            continue
        if key in ("properties", "patternProperties", "$defs") and isinstance(value, dict):
            kept[key] = {name: without_docs(child) for name, child in value.items()}
        elif key in ("enum", "const", "default"):
            kept[key] = value
        else:
            kept[key] = without_docs(value)
    return kept


def keys(old: Any, new: Any) -> list[str]:
    """The keys of two mappings: the old ones in order, then the new ones."""
    old_keys = list(old) if isinstance(old, dict) else []
    new_keys = list(new) if isinstance(new, dict) else []
    return old_keys + [key for key in new_keys if key not in old_keys]


def get(container: Any, key: Any) -> Any:
    """A mapping's value for a key, or MISSING."""
    return container.get(key, MISSING) if isinstance(container, dict) else MISSING


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _type_set(schema: dict[str, Any]) -> set[str] | None:
    types = schema.get("type", MISSING)
    if types is MISSING:
        return None
    return {str(name) for name in (types if isinstance(types, list) else [types])}


def _covered(name: str, types: set[str]) -> bool:
    return name in types or (name == "integer" and "number" in types)


def _enum_values(schema: dict[str, Any]) -> tuple[str, list[Any]] | None:
    if "enum" in schema and isinstance(schema["enum"], list):
        return "enum", schema["enum"]
    if "const" in schema:
        return "const", [schema["const"]]
    return None


def _as_schema(value: Any, where: str) -> dict[str, Any]:
    if value is MISSING or value is True:
        return {}
    if value is False:
        return {"not": {}}
    if isinstance(value, dict):
        return value
    raise SpecDiffError(f"{where}: a schema must be an object or a boolean, not {short(value)}")


def _branch_key(branch: Any) -> str:
    if isinstance(branch, dict) and "$ref" in branch:
        return "$ref " + str(branch["$ref"])
    if isinstance(branch, dict) and "type" in branch:
        return "type " + canonical(branch["type"])
    return canonical(branch)


def _entry_key(entry: Any) -> str:
    if isinstance(entry, dict) and "$ref" in entry:
        return "$ref " + str(entry["$ref"])
    return canonical(entry)


def _match(
    old: list[Any], new: list[Any], key: Callable[[Any], str]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair list entries: equal keys first, then the rest in order; return pairs and leftovers."""
    pairs: list[tuple[int, int]] = []
    unmatched_new = list(range(len(new)))
    unmatched_old: list[int] = []
    for i, entry in enumerate(old):
        found = next((j for j in unmatched_new if key(new[j]) == key(entry)), None)
        if found is None:
            unmatched_old.append(i)
        else:
            pairs.append((i, found))
            unmatched_new.remove(found)
    while unmatched_old and unmatched_new:
        pairs.append((unmatched_old.pop(0), unmatched_new.pop(0)))
    return sorted(pairs, key=lambda pair: pair[1]), unmatched_old, unmatched_new


class SchemaDiffer:
    """Collects classified changes; compares schemas. The document walk extends it."""

    def __init__(self, old: Spec, new: Spec) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        self.expanding: set[tuple[str, str]] = set()

    def emit(self, rule_id: str, at: At, detail: str, *, removed: bool = False) -> None:
        """Record a change by a rule at a place (in the old document when removed)."""
        where = at.where or "document"
        location = at.old_pointer if removed else at.new_pointer
        self.changes.append(Change(RULES[rule_id], location, where, detail, at.sides, at.used_by))

    def resolve(self, document: Spec, node: Any, where: str) -> Any:
        """Follow `$ref`s in one document, or raise SpecDiffError naming the place."""
        try:
            return resolve_ref(document, node)
        except RefError as error:
            raise SpecDiffError(f"{where}: {error}") from error

    def target(self, document: Spec, ref: Any, where: str) -> Any:
        """The schema one `$ref` names, or raise SpecDiffError if its chain cannot be followed.

        A `$ref` in the target is left to the comparison, which follows it in turn: so the
        keywords beside it (say, a component that is a `$ref` with a `default`) are compared.
        """
        try:
            resolve_ref(document, {"$ref": ref})
        except RefError as error:
            raise SpecDiffError(f"{where}: {error}") from error
        return resolve_pointer(document, str(ref).removeprefix("#"))

    def annotation(self, key: str, at: At, old: Any, new: Any) -> bool:
        """Report documentation-only keywords; tell whether the key was one."""
        if key.startswith(BEHAVIOUR_PREFIX) and key not in DOCS_ONLY_EXTENSIONS:
            self.emit(
                "mock-behaviour-changed",
                at.child(key, key),
                describe(old, new),
                removed=new is MISSING,
            )
            return True
        if key in DOC_KEYWORDS or key in ("tags",) or key.startswith("x-"):
            self.emit(
                "doc-changed", at.child(key, key), text_change(old, new), removed=new is MISSING
            )
            return True
        if key == "deprecated":
            self.emit("deprecated-changed", at.child(key, key), describe(old, new))
            return True
        return False

    def other(self, key: str, at: At, old: Any, new: Any) -> None:
        """Report a keyword no rule knows: documentation, deprecation, or assumed breaking."""
        if not self.annotation(key, at, old, new):
            self.emit(
                "keyword-changed", at.child(key, key), describe(old, new), removed=new is MISSING
            )

    def schema(self, at: At, old_raw: Any, new_raw: Any) -> None:
        """Compare two schemas at a place, following a `$ref` only when its target changed."""
        if same(old_raw, new_raw):
            return
        old = normalize(_as_schema(old_raw, at.old_pointer))
        new = normalize(_as_schema(new_raw, at.new_pointer))
        if same(old, new):
            return
        old_ref, new_ref = old.pop("$ref", None), new.pop("$ref", None)
        if old_ref == new_ref:
            self.keywords(at, old, new)  # same component (compared by name) or no $ref at all
            return
        pair = (str(old_ref), str(new_ref))
        if pair in self.expanding:
            return
        self.expanding.add(pair)
        try:
            if old_ref is not None and new_ref is not None:
                old_name, new_name = component_name(old_ref), component_name(new_ref)
                self.emit(
                    "ref-retargeted",
                    at.child("$ref"),
                    f"{old_name or old_ref} → {new_name or new_ref}",
                )
                self.keywords(at, old, new)
                old_target = self.target(self.old, old_ref, at.old_pointer)
                new_target = self.target(self.new, new_ref, at.new_pointer)
                self.schema(
                    at.moved(old_ref.removeprefix("#"), new_ref.removeprefix("#")),
                    old_target,
                    new_target,
                )
            else:
                if old_ref is not None:
                    target = self.target(self.old, old_ref, at.old_pointer)
                    old = normalize({**_as_schema(target, old_ref), **old})
                if new_ref is not None:
                    target = self.target(self.new, new_ref, at.new_pointer)
                    new = normalize({**_as_schema(target, new_ref), **new})
                self.schema(at, old, new)
        finally:
            self.expanding.discard(pair)

    def keywords(self, at: At, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Compare two normalized schemas without `$ref`, keyword by keyword."""
        self.types(at, old, new)
        self.enum(at, old, new)
        self.bounds(at, old, new)
        self.required(at, old, new)
        handled = {"type", "nullable", "enum", "const", "required", *LOWER_BOUNDS, *UPPER_BOUNDS}
        for key in keys(old, new):
            before, after = get(old, key), get(new, key)
            if key in handled or same(before, after):
                continue
            if key == "properties":
                self.properties(at, before, after)
            elif key == "additionalProperties":
                self.additional_properties(at, before, after)
            elif key == "items":
                self.subschema(at, key, before, after, "constraint-narrowed", "constraint-widened")
            elif key in ("then", "else"):
                self.subschema(at, key, before, after, "rule-added", "rule-removed")
            elif key == "if":
                if before is MISSING:
                    rule = "rule-added"
                elif after is MISSING:
                    rule = "rule-removed"
                elif same(without_docs(before), without_docs(after)):
                    rule = "doc-changed"
                else:
                    rule = "rule-condition-changed"
                self.emit(
                    rule, at.child(key, key), describe(before, after), removed=after is MISSING
                )
            elif key in ("anyOf", "oneOf"):
                self.alternatives(at, key, before, after)
            elif key == "allOf":
                self.all_of(at, before, after)
            elif key == "default":
                if before is MISSING:
                    rule = "default-added"
                elif after is MISSING:
                    rule = "default-removed"
                else:
                    rule = "default-changed"
                self.emit(
                    rule, at.child(key, key), describe(before, after), removed=after is MISSING
                )
            elif key in CONSTRAINTS:
                if before is MISSING:
                    rule = "constraint-narrowed"
                elif after is MISSING:
                    rule = "constraint-widened"
                else:
                    rule = "constraint-changed"
                self.emit(
                    rule, at.child(key, key), describe(before, after), removed=after is MISSING
                )
            else:
                self.other(key, at, before, after)

    def types(self, at: At, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Compare `type` (integer counts as covered by number) and nullability."""
        old_types, new_types = _type_set(old), _type_set(new)
        place = at.child("type")
        if old_types != new_types:
            if old_types is None:
                self.emit("type-narrowed", place, f"now only {', '.join(sorted(new_types or ()))}")
            elif new_types is None:
                self.emit("type-widened", place, "type removed: any type allowed", removed=True)
            else:
                lost = sorted(name for name in old_types if not _covered(name, new_types))
                gained = sorted(name for name in new_types if not _covered(name, old_types))
                if lost and gained:
                    self.emit("type-changed", place, f"{', '.join(lost)} → {', '.join(gained)}")
                elif lost:
                    self.emit("type-narrowed", place, f"no longer {', '.join(lost)}")
                elif gained:
                    self.emit("type-widened", place, f"now also {', '.join(gained)}")
        was_nullable, is_nullable = old.get("nullable") is True, new.get("nullable") is True
        if is_nullable and not was_nullable:
            self.emit("type-widened", at, "now also null")
        elif was_nullable and not is_nullable:
            self.emit("type-narrowed", at, "no longer null")

    def enum(self, at: At, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Compare `enum` or `const` values."""
        old_enum, new_enum = _enum_values(old), _enum_values(new)
        if old_enum is None and new_enum is None:
            return
        if old_enum is None:
            assert new_enum is not None
            keyword, values = new_enum
            self.emit("enum-narrowed", at.child(keyword), f"{keyword} added: {short(values)}")
            return
        if new_enum is None:
            self.emit("enum-widened", at.child(old_enum[0]), f"{old_enum[0]} removed", removed=True)
            return
        old_values = {canonical(value): value for value in old_enum[1]}
        new_values = {canonical(value): value for value in new_enum[1]}
        lost = [text for text in old_values if text not in new_values]
        gained = [text for text in new_values if text not in old_values]
        if lost:
            self.emit("enum-narrowed", at.child(new_enum[0]), "removed " + ", ".join(lost))
        if gained:
            self.emit("enum-widened", at.child(new_enum[0]), "added " + ", ".join(gained))

    def bounds(self, at: At, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Compare the min/max keywords: a raised minimum or lowered maximum narrows."""
        for keyword in (*LOWER_BOUNDS, *UPPER_BOUNDS):
            before, after = get(old, keyword), get(new, keyword)
            if same(before, after):
                continue
            place = at.child(keyword, None)
            detail = f"{keyword} {describe(before, after)}"
            if before is MISSING:
                self.emit("bound-narrowed", place, detail)
            elif after is MISSING:
                self.emit("bound-widened", place, detail, removed=True)
            elif not (_is_number(before) and _is_number(after)):
                self.emit("keyword-changed", place, detail)
            else:
                tighter = after > before if keyword in LOWER_BOUNDS else after < before
                self.emit("bound-narrowed" if tighter else "bound-widened", place, detail)

    def required(self, at: At, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Report each property that became required or optional."""
        was = [str(name) for name in old.get("required") or []]
        now = [str(name) for name in new.get("required") or []]
        for name in now:
            if name not in was:
                place = replace(at.child("required"), human=(*at.human, name))
                self.emit("required-added", place, f"{name!r} is now required")
        for name in was:
            if name not in now:
                place = replace(at.child("required"), human=(*at.human, name))
                self.emit(
                    "required-removed",
                    place,
                    f"{name!r} is now optional",
                    removed="required" not in new,
                )

    def properties(self, at: At, old: Any, new: Any) -> None:
        """Report added and removed properties; compare the ones on both sides."""
        container = at.child("properties")
        for name in keys(old, new):
            before, after = get(old, name), get(new, name)
            if same(before, after):
                continue
            place = container.child(name, name)
            if before is MISSING:
                self.emit("property-added", place, f"new property {name!r}")
            elif after is MISSING:
                self.emit("property-removed", place, f"property {name!r} removed", removed=True)
            else:
                self.schema(place, before, after)

    def additional_properties(self, at: At, old: Any, new: Any) -> None:
        """Compare `additionalProperties`: true, a schema, false (most to least open)."""
        before = True if old is MISSING else old
        after = True if new is MISSING else new
        place = at.child("additionalProperties", "additional properties")
        if isinstance(before, dict) and isinstance(after, dict):
            self.schema(place, before, after)
            return
        # True allows any extra property, a schema some, False none.
        openness = {True: 2, False: 0}
        old_rank = openness.get(before, 1) if isinstance(before, bool) else 1
        new_rank = openness.get(after, 1) if isinstance(after, bool) else 1
        detail = describe(old, new)
        if new_rank < old_rank:
            self.emit("additional-properties-narrowed", place, detail)
        elif new_rank > old_rank:
            self.emit("additional-properties-widened", place, detail)

    def subschema(self, at: At, key: str, old: Any, new: Any, added: str, removed: str) -> None:
        """Compare a single subschema keyword (items, then, else); absent allows anything."""
        place = at.child(key, schema_label(key, key))
        if old is MISSING:
            self.emit(added, place, f"{key} added")
        elif new is MISSING:
            self.emit(removed, place, f"{key} removed", removed=True)
        else:
            self.schema(place, old, new)

    def _entries(
        self, at: At, keyword: str, old: Any, new: Any, key: Callable[[Any], str]
    ) -> Iterator[tuple[At, Any, Any]]:
        """Pair the entries of two lists of subschemas; an unpaired side is MISSING."""
        old_list = old if isinstance(old, list) else []
        new_list = new if isinstance(new, list) else []
        pairs, lost, gained = _match(old_list, new_list, key)
        container = at.child(keyword)
        for i, j in pairs:
            place = replace(
                container.child(j, schema_label(keyword, j)),
                old_pointer=f"{container.old_pointer}/{i}",
            )
            yield place, old_list[i], new_list[j]
        for i in lost:
            yield container.child(i, schema_label(keyword, i)), old_list[i], MISSING
        for j in gained:
            yield container.child(j, schema_label(keyword, j)), MISSING, new_list[j]

    def alternatives(self, at: At, keyword: str, old: Any, new: Any) -> None:
        """Compare anyOf/oneOf branches, paired by `$ref` or type, then in order."""
        if old is MISSING or new is MISSING:
            rule = "constraint-narrowed" if old is MISSING else "constraint-widened"
            self.emit(rule, at.child(keyword, keyword), describe(old, new), removed=new is MISSING)
            return
        for place, before, after in self._entries(at, keyword, old, new, _branch_key):
            if before is MISSING:
                self.emit("alternative-added", place, f"new branch {short(after)}")
            elif after is MISSING:
                self.emit(
                    "alternative-removed", place, f"branch {short(before)} removed", removed=True
                )
            else:
                self.schema(place, before, after)

    def all_of(self, at: At, old: Any, new: Any) -> None:
        """Compare allOf entries (rules), paired by `$ref` or equality, then in order."""
        for place, before, after in self._entries(at, "allOf", old, new, _entry_key):
            if before is MISSING:
                self.emit("rule-added", place, f"new rule {short(after)}")
            elif after is MISSING:
                self.emit("rule-removed", place, f"rule {short(before)} removed", removed=True)
            else:
                self.schema(place, before, after)
