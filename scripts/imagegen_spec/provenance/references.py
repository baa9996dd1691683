"""Where a spec differs from the public reference it follows, facet by facet.

The comparison covers the operation's security, its parameters, the JSON request body, the
success and error response bodies and, for a `text/event-stream` response, each event's JSON
object (paired by its `type`; a spec's schema may be the server-sent event, whose `data` holds
the object as `contentSchema`), and per schema the facets of `entries.COMPARED_FACETS`. Each
difference names the spec nodes whose `x-imagegen-provenance` may explain it: the property as
written and every schema its `$ref`s and nullable `anyOf` lead to, and for `required` and
`properties` (or an entry listing the property in `fields`) the object that holds it.

References are read as published: OpenAPI 3.0's `nullable`, OpenAI's `anyOf` of a string and an
enum of strings (any string), and Azure's `allOf` composition. In a spec `allOf` holds only
cross-field rules (README, "What the specs decide"), so it is not merged into the facets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from imagegen_spec.core.pointers import escape_pointer_token, resolve_pointer
from imagegen_spec.core.provenance import KEYWORD, Provenance, by_pointer

BOUNDS: Final = (
    "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
    "minLength", "maxLength", "minItems", "maxItems",
)  # fmt: skip
_MISSING: Final = object()


@dataclass(frozen=True)
class Difference:
    """One facet where the spec and its reference disagree."""

    facet: str
    where: str
    spec: str
    reference: str
    nodes: tuple[str, ...]
    """Pointers of the spec nodes whose entries may explain it."""
    parents: tuple[str, ...] = ()
    """Pointers of the object holding the property the difference is about."""
    field: str | None = None
    """The property's name, when the difference is about one property."""

    def __str__(self) -> str:
        """One line: facet, place, both values and where an entry may go."""
        return (
            f"{self.facet} at {self.where}: spec {self.spec}, reference {self.reference} "
            f"(explain it in {KEYWORD} at {(self.nodes or self.parents or ('?',))[0]})"
        )

    def explained_by(self, entries: Mapping[str, list[Provenance]]) -> bool:
        """Tell whether an entry at one of its nodes (or its object) names this facet."""
        for node in self.nodes:
            if any(entry.explains(self.facet) for entry in entries.get(node, [])):
                return True
        for parent in self.parents:
            for entry in entries.get(parent, []):
                if self.facet in entry.facets and (
                    self.field in entry.fields
                    or (not entry.fields and self.facet in ("required", "properties"))
                ):
                    return True
        return False


@dataclass
class _Facts:
    """The compared facets of one schema, flattened."""

    types: frozenset[str] = frozenset()
    nullable: bool = False
    enum: frozenset[Any] | None = None
    default: Any = _MISSING
    bounds: dict[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    additional: bool = True
    items: tuple[Any, str] | None = None
    nodes: list[str] = field(default_factory=list)


def _hashable(value: Any) -> Any:
    return repr(value) if isinstance(value, (dict, list)) else value


def _facts(document: Mapping[str, Any], node: Any, at: str, *, compose: bool) -> _Facts:
    """Flatten a schema: follow `$ref`s, read nullability, merge branches and compositions."""
    facts = _Facts()
    _merge(document, node, at, facts, compose=compose, seen=set())
    if not facts.types and facts.properties:
        facts.types = frozenset({"object"})  # OpenAI's ImagesResponse of 2025-03 omits `type`
    return facts


def _merge(
    document: Mapping[str, Any],
    node: Any,
    at: str,
    facts: _Facts,
    *,
    compose: bool,
    seen: set[str],
) -> None:
    if not isinstance(node, Mapping):
        return
    facts.nodes.append(at)
    for key, value in node.items():
        if key == "$ref":
            continue
        if key == "type":
            kinds = value if isinstance(value, list) else [value]
            facts.nullable |= "null" in kinds
            facts.types = frozenset(kind for kind in kinds if kind != "null") or facts.types
        elif key == "nullable":
            facts.nullable |= value is True
        elif key == "enum":
            facts.nullable |= None in value
            facts.enum = frozenset(_hashable(item) for item in value if item is not None)
        elif key == "const":  # an enum of one value
            facts.nullable |= value is None
            facts.enum = frozenset() if value is None else frozenset({_hashable(value)})
        elif key == "default" and facts.default is _MISSING:
            facts.default = value
        elif key in BOUNDS:
            facts.bounds.setdefault(key, value)
        elif key == "required" and isinstance(value, list):
            facts.required |= frozenset(value)
        elif key == "properties":
            for name, child in value.items():
                facts.properties.setdefault(
                    name, (child, f"{at}/properties/{escape_pointer_token(name)}")
                )
        elif key == "additionalProperties":
            facts.additional = value is not False
        elif key == "items":
            facts.items = (value, f"{at}/items")
    if "$ref" in node:
        ref = str(node["$ref"])
        if ref not in seen:
            seen.add(ref)
            target = resolve_pointer(document, ref.removeprefix("#"))
            _merge(document, target, ref.removeprefix("#"), facts, compose=compose, seen=seen)
    for keyword in ("anyOf", "oneOf"):
        if keyword in node:
            _merge_branches(document, node[keyword], f"{at}/{keyword}", facts, compose, seen)
    if compose and "allOf" in node:
        for index, part in enumerate(node["allOf"]):
            _merge(document, part, f"{at}/allOf/{index}", facts, compose=compose, seen=seen)


def _merge_branches(
    document: Mapping[str, Any],
    branches: list[Any],
    at: str,
    facts: _Facts,
    compose: bool,
    seen: set[str],
) -> None:
    """Merge `anyOf` branches: null makes the schema nullable; an open branch opens the enum."""
    real = []
    for index, branch in enumerate(branches):
        flat = _facts(document, branch, f"{at}/{index}", compose=compose)
        if not flat.types and flat.nullable and flat.enum is None:
            facts.nullable = True
        else:
            real.append((branch, f"{at}/{index}", flat))
    if len(real) == 1:
        _merge(document, real[0][0], real[0][1], facts, compose=compose, seen=seen)
        return
    facts.types = frozenset().union(*(flat.types for _, _, flat in real))
    facts.nullable |= any(flat.nullable for _, _, flat in real)
    enums = [flat.enum for _, _, flat in real]
    facts.enum = None if any(enum is None for enum in enums) else frozenset().union(*enums)  # type: ignore[arg-type]


def _show(value: Any) -> str:
    if value is _MISSING:
        return "none"
    if value is None:
        return "any value"
    if isinstance(value, dict):
        return ", ".join(f"{key} {bound}" for key, bound in value.items()) or "none"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(map(str, value))) + "}"
    return repr(value)


class _Comparison:
    """One spec against one reference; `differences` in the order found, each listed once."""

    def __init__(self, spec: Mapping[str, Any], reference: Mapping[str, Any]) -> None:
        self.spec = spec
        self.reference = reference
        self.differences: dict[tuple[Any, ...], Difference] = {}

    def add(self, difference: Difference) -> None:
        key = (difference.facet, difference.nodes, difference.parents, difference.field)
        self.differences.setdefault(key, difference)

    def schema(
        self,
        where: str,
        spec_node: Any,
        spec_at: str,
        ref_node: Any,
        parents: tuple[str, ...] = (),
        name: str | None = None,
    ) -> None:
        ours = _facts(self.spec, spec_node, spec_at, compose=False)
        theirs = _facts(self.reference, ref_node, "", compose=True)
        nodes = tuple(ours.nodes)

        def differ(facet: str, mine: Any, others: Any) -> None:
            if mine != others:
                self.add(Difference(facet, where, _show(mine), _show(others), nodes, parents, name))

        differ("type", ours.types, theirs.types)
        differ("nullable", ours.nullable, theirs.nullable)
        differ("enum", ours.enum, theirs.enum)
        differ("default", ours.default, theirs.default)
        differ("bounds", ours.bounds, theirs.bounds)
        if ours.properties or theirs.properties or "object" in ours.types | theirs.types:
            self.object(where, ours, theirs, nodes)
        if ours.items is not None and theirs.items is not None:
            self.schema(f"{where}[]", ours.items[0], ours.items[1], theirs.items[0])

    def object(self, where: str, ours: _Facts, theirs: _Facts, nodes: tuple[str, ...]) -> None:
        if ours.additional != theirs.additional:
            self.add(
                Difference(
                    "additionalProperties",
                    where,
                    "open" if ours.additional else "closed",
                    "open" if theirs.additional else "closed",
                    nodes,
                )
            )
        for name in [*ours.properties, *(n for n in theirs.properties if n not in ours.properties)]:
            place = f"{where} > {name}"
            mine = ours.properties.get(name)
            child_nodes = (
                tuple(_facts(self.spec, mine[0], mine[1], compose=False).nodes) if mine else ()
            )
            if (name in ours.required) != (name in theirs.required):
                self.add(
                    Difference(
                        "required",
                        place,
                        "required" if name in ours.required else "optional",
                        "required" if name in theirs.required else "optional",
                        child_nodes,
                        nodes,
                        name,
                    )
                )
            if mine is None or name not in theirs.properties:
                self.add(
                    Difference(
                        "properties",
                        place,
                        "declared" if mine else "absent",
                        "declared" if name in theirs.properties else "absent",
                        child_nodes,
                        nodes,
                        name,
                    )
                )
                continue
            self.schema(place, mine[0], mine[1], theirs.properties[name][0], nodes, name)


def _operation(document: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """The one operation of a document: (path, method, operation object)."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch"):
                return path, method, operation
    raise ValueError("the document has no operation")


def _json_schema(container: Mapping[str, Any]) -> Any:
    return container.get("content", {}).get("application/json", {}).get("schema")


EVENT_STREAM: Final = "text/event-stream"


def _stream_events(
    document: Mapping[str, Any], container: Mapping[str, Any], at: str
) -> dict[str, tuple[Any, str]]:
    """Each event's JSON object schema of a `text/event-stream` response, by its `type`.

    The media type's schema is either the union of the events' objects (OpenAI's reference) or
    the server-sent event whose `data` carries that union as `contentSchema` (the specs).
    """
    node = container.get("content", {}).get(EVENT_STREAM, {}).get("schema")
    at = f"{at}/content/{escape_pointer_token(EVENT_STREAM)}/schema"
    node, at = _follow(document, node, at)
    content = node.get("properties", {}).get("data", {}) if isinstance(node, Mapping) else {}
    if isinstance(content, Mapping) and "contentSchema" in content:
        node, at = _follow(
            document, content["contentSchema"], f"{at}/properties/data/contentSchema"
        )
    if not isinstance(node, Mapping):
        return {}
    keyword = "oneOf" if "oneOf" in node else "anyOf" if "anyOf" in node else None
    branches = (
        [(node, at)]
        if keyword is None
        else [(branch, f"{at}/{keyword}/{index}") for index, branch in enumerate(node[keyword])]
    )
    events = {}
    for branch, branch_at in branches:
        target, _ = _follow(document, branch, branch_at)
        kind = target.get("properties", {}).get("type", {}) if isinstance(target, Mapping) else {}
        names = [kind["const"]] if "const" in kind else list(kind.get("enum", []))
        for name in names:
            events[str(name)] = (branch, branch_at)
    return events


def _follow(document: Mapping[str, Any], node: Any, at: str) -> tuple[Any, str]:
    """Follow `$ref`s from a node: the schema they lead to and its pointer."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = str(node["$ref"])
        if ref in seen:
            break
        seen.add(ref)
        at = ref.removeprefix("#")
        node = resolve_pointer(document, at)
    return node, at


def _security(
    document: Mapping[str, Any], operation: Mapping[str, Any]
) -> dict[tuple[Any, ...], str]:
    """Each accepted way to authenticate, described by its scheme, with the scheme's pointer."""
    schemes = document.get("components", {}).get("securitySchemes", {})
    found = {}
    for requirement in operation.get("security", document.get("security", [])):
        for name in requirement:
            scheme = schemes[name]
            key = (
                scheme.get("type"),
                str(scheme.get("scheme", "")).lower(),
                scheme.get("in"),
                scheme.get("name"),
            )
            found[key] = f"/components/securitySchemes/{escape_pointer_token(name)}"
    return found


def differences(spec: Mapping[str, Any], reference: Mapping[str, Any]) -> list[Difference]:
    """Every facet where a spec's operation differs from its reference's."""
    comparison = _Comparison(spec, reference)
    path, method, operation = _operation(spec)
    ref_operation = _operation(reference)[2]
    op_at = f"/paths/{escape_pointer_token(path)}/{method}"

    ours, theirs = _security(spec, operation), _security(reference, ref_operation)
    for key in [*ours, *(k for k in theirs if k not in ours)]:
        if (key in ours) != (key in theirs):
            described = "/".join(str(part) for part in key if part)
            comparison.add(
                Difference(
                    "security",
                    f"security {described}",
                    "accepted" if key in ours else "not accepted",
                    "accepted" if key in theirs else "not accepted",
                    (ours[key],) if key in ours else (*ours.values(), op_at),
                )
            )

    def parameters(
        document: Mapping[str, Any], op: Mapping[str, Any], at: str
    ) -> dict[tuple[str, str], tuple[Any, str]]:
        found = {}
        for index, parameter in enumerate(op.get("parameters", [])):
            pointer = f"{at}/parameters/{index}"
            if "$ref" in parameter:
                pointer = parameter["$ref"].removeprefix("#")
                parameter = resolve_pointer(document, pointer)
            name = parameter["name"].lower() if parameter["in"] == "header" else parameter["name"]
            found[(parameter["in"], name)] = (parameter, pointer)
        return found

    our_parameters = parameters(spec, operation, op_at)
    their_parameters = parameters(reference, ref_operation, "")
    for key in [*our_parameters, *(k for k in their_parameters if k not in our_parameters)]:
        where = f"parameter {key[1]} ({key[0]})"
        if key not in our_parameters or key not in their_parameters:
            same_place = [p for (place, _), (_, p) in our_parameters.items() if place == key[0]]
            nodes = (our_parameters[key][1],) if key in our_parameters else (*same_place, op_at)
            comparison.add(
                Difference(
                    "parameters",
                    where,
                    "declared" if key in our_parameters else "absent",
                    "declared" if key in their_parameters else "absent",
                    nodes,
                )
            )
            continue
        (mine, mine_at), (other, _) = our_parameters[key], their_parameters[key]
        if bool(mine.get("required")) != bool(other.get("required")):
            comparison.add(
                Difference(
                    "required",
                    where,
                    str(mine.get("required")),
                    str(other.get("required")),
                    (mine_at,),
                )
            )
        before = len(comparison.differences)
        comparison.schema(
            where, mine.get("schema", {}), f"{mine_at}/schema", other.get("schema", {})
        )
        for found_key in list(comparison.differences)[before:]:
            found = comparison.differences[found_key]
            comparison.differences[found_key] = Difference(
                found.facet, found.where, found.spec, found.reference, (mine_at, *found.nodes)
            )

    body, ref_body = operation.get("requestBody", {}), ref_operation.get("requestBody", {})
    comparison.schema(
        "request body",
        _json_schema(body),
        f"{op_at}/requestBody/content/application~1json/schema",
        _json_schema(ref_body),
    )
    responses, ref_responses = operation["responses"], ref_operation["responses"]
    for status, response in responses.items():
        response_at = f"{op_at}/responses/{status}"
        if "$ref" in response:
            response_at = response["$ref"].removeprefix("#")
            response = resolve_pointer(spec, response_at)
        counterpart = ref_responses.get(status)
        if counterpart is None and not status.startswith("2"):
            counterpart = ref_responses.get("default")
        if (
            counterpart is None
            or _json_schema(response) is None
            or _json_schema(counterpart) is None
        ):
            continue
        comparison.schema(
            f"response {status}",
            _json_schema(response),
            f"{response_at}/content/application~1json/schema",
            _json_schema(counterpart),
        )
    for status, response in responses.items():
        counterpart = ref_responses.get(status)
        if counterpart is None:
            continue
        response_at = f"{op_at}/responses/{status}"
        if "$ref" in response:
            response_at = response["$ref"].removeprefix("#")
            response = resolve_pointer(spec, response_at)
        ours_events = _stream_events(spec, response, response_at)
        theirs_events = _stream_events(reference, counterpart, "")
        stream_at = f"{response_at}/content/{escape_pointer_token(EVENT_STREAM)}/schema"
        for name in [*ours_events, *(n for n in theirs_events if n not in ours_events)]:
            where = f"response {status} event {name}"
            if name not in ours_events or name not in theirs_events:
                comparison.add(
                    Difference(
                        "properties",
                        where,
                        "declared" if name in ours_events else "absent",
                        "declared" if name in theirs_events else "absent",
                        (ours_events[name][1],) if name in ours_events else (stream_at,),
                    )
                )
                continue
            comparison.schema(where, *ours_events[name], theirs_events[name][0])
    return list(comparison.differences.values())


def unexplained(
    spec: Mapping[str, Any], reference: Mapping[str, Any], entries: list[Provenance]
) -> list[Difference]:
    """The differences from the reference that no provenance entry explains."""
    grouped = by_pointer(entries)
    return [found for found in differences(spec, reference) if not found.explained_by(grouped)]
