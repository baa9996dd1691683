"""The comparison of the variants, as data: sections of rows, one cell per variant.

Everything is read from the specs (through `operation(variant)`): the operation, auth, the path,
query and header parameters, every request body field with its type, enum, default, bounds,
nullability and cross-field rules, the fields of the success response and the error shape of
each status. A row a variant lacks has the cell `None` (rendered "—"); a row whose cells are not
all equal `differs`. The renderers (Markdown, HTML) only lay this out.

When the upstream itself (`REFERENCE_VARIANT`, OpenAI's own API) is among the variants compared,
the comparison reads as "each provider against OpenAI": its column comes first, and every other
variant's cell is a `Departure` from it (same, differs, absent, added), counted per provider.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from imagegen_spec.core.operation import JSON, Operation, operation
from imagegen_spec.core.pointers import flatten, resolve_pointer
from imagegen_spec.core.specs import variants as all_variants
from imagegen_spec.docs.describe import (
    MISSING,
    FieldFacts,
    SchemaFacts,
    condition_phrase,
    facts,
    field_outline,
    ref_name,
    rules,
    rules_about,
    show,
    walk_fields,
)
from imagegen_spec.docs.stream import event_schemas

Cell = tuple[str, ...] | None
"""The lines of one variant's cell; `None` when the variant has no such row."""

NONE = "none"
"""The text of a facet a field does not set (no default, no bounds, ...)."""

REFERENCE_VARIANT = "openai"
"""The upstream the other variants re-expose: when compared, every other cell is read against it."""


class Departure(StrEnum):
    """How a variant's cell stands against the reference variant's cell of the same row."""

    SAME = "same"
    DIFFERS = "differs"
    ABSENT = "absent"
    """The reference has the row (a field, a status), the variant has not."""
    ADDED = "added"
    """The variant has the row, the reference has not."""


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a label (field), an optional facet and a cell per variant."""

    label: str
    facet: str
    cells: Mapping[str, Cell]

    @property
    def differs(self) -> bool:
        """Whether the variants disagree (a missing cell counts as a difference)."""
        return len(set(self.cells.values())) > 1

    @property
    def odd_variants(self) -> frozenset[str]:
        """The variants whose cell differs from the one most variants share (all, on a tie).

        A missing cell is never odd: it is marked missing instead.
        """
        present = {variant: cell for variant, cell in self.cells.items() if cell is not None}
        counts = Counter(present.values()).most_common()
        if len(counts) < 2:
            return frozenset()
        if counts[0][1] == counts[1][1]:
            return frozenset(present)
        majority = counts[0][0]
        return frozenset(variant for variant, cell in present.items() if cell != majority)

    def missing_in(self) -> tuple[str, ...]:
        """The variants that have no such row."""
        return tuple(variant for variant, cell in self.cells.items() if cell is None)

    def departure(self, variant: str, reference: str) -> Departure:
        """How the variant's cell stands against the reference's (neither having it is SAME)."""
        mine, theirs = self.cells[variant], self.cells[reference]
        if mine == theirs:
            return Departure.SAME
        if mine is None:
            return Departure.ABSENT
        if theirs is None:
            return Departure.ADDED
        return Departure.DIFFERS


@dataclass(frozen=True)
class Section:
    """A table of the comparison."""

    key: str
    title: str
    note: str
    rows: tuple[Row, ...]

    @property
    def has_facets(self) -> bool:
        """Whether rows are split into facets (type, default, ...) of one field."""
        return any(row.facet for row in self.rows)


@dataclass(frozen=True)
class ProviderDepartures:
    """One provider against the reference, entry by entry, naming the request fields concerned.

    An entry is a row label of a section with all its facets (a field's type, default, ...).
    """

    variant: str
    counts: Mapping[Departure, int]
    """How many entries stand each way."""
    differing_fields: tuple[str, ...]
    """Request body fields both have, with a facet that differs."""
    absent_fields: tuple[str, ...]
    """Request body fields the reference has and the provider lacks."""
    added_fields: tuple[str, ...]
    """Request body fields the provider has and the reference lacks."""


def entry_departure(rows: Iterable[Row], variant: str, reference: str) -> Departure:
    """How a variant stands against the reference over the rows (facets) of one entry.

    SAME when every row agrees; ABSENT or ADDED when every row that does not agree is so;
    DIFFERS otherwise.
    """
    found = {row.departure(variant, reference) for row in rows} - {Departure.SAME}
    if not found:
        return Departure.SAME
    if len(found) == 1:
        return found.pop()
    return Departure.DIFFERS


@dataclass(frozen=True)
class Comparison:
    """The whole comparison of the variants.

    With a `reference` (the first of `variants`), a provider's cell is marked where it departs
    from the reference's; without one, where it differs from what most variants share.
    """

    variants: tuple[str, ...]
    sections: tuple[Section, ...]
    reference: str | None = None

    @property
    def providers(self) -> tuple[str, ...]:
        """The variants read against the reference (all of them when there is none)."""
        return tuple(variant for variant in self.variants if variant != self.reference)

    def marked(self, row: Row) -> frozenset[str]:
        """The variants whose cell a renderer highlights in a row.

        Against a reference: the providers whose cell differs from it or that add the row.
        Without one: the variants that differ from the majority (`Row.odd_variants`).
        """
        if self.reference is None:
            return row.odd_variants
        return frozenset(
            variant
            for variant in self.providers
            if row.departure(variant, self.reference) in (Departure.DIFFERS, Departure.ADDED)
        )

    def departing(self, row: Row) -> tuple[str, ...]:
        """The providers whose cell departs from the reference's in a row (none without one)."""
        reference = self.reference
        if reference is None:
            return ()
        return tuple(
            variant
            for variant in self.providers
            if row.departure(variant, reference) is not Departure.SAME
        )

    def departures(self) -> tuple[ProviderDepartures, ...]:
        """Each provider's departures from the reference, by entry (empty without one)."""
        reference = self.reference
        if reference is None:
            return ()
        entries: dict[tuple[str, str], list[Row]] = {}
        for section in self.sections:
            for row in section.rows:
                entries.setdefault((section.key, row.label), []).append(row)
        found = []
        for variant in self.providers:
            by_entry = {
                key: entry_departure(rows, variant, reference) for key, rows in entries.items()
            }
            counts = Counter(by_entry.values())
            found.append(
                ProviderDepartures(
                    variant,
                    {departure: counts.get(departure, 0) for departure in Departure},
                    _request_fields(by_entry, Departure.DIFFERS),
                    _request_fields(by_entry, Departure.ABSENT),
                    _request_fields(by_entry, Departure.ADDED),
                )
            )
        return tuple(found)

    def section(self, key: str) -> Section:
        """The section with a key, or KeyError naming the known keys."""
        for section in self.sections:
            if section.key == key:
                return section
        known = ", ".join(section.key for section in self.sections)
        raise KeyError(f"no section {key!r}; known: {known}")

    def row(self, section: str, label: str, facet: str = "") -> Row:
        """One row, by section key, label and facet, or KeyError saying what was looked for."""
        for row in self.section(section).rows:
            if row.label == label and row.facet == facet:
                return row
        raise KeyError(f"no row {label!r} (facet {facet!r}) in section {section!r}")


@dataclass(frozen=True)
class _Field:
    """A field (parameter or body property) of one variant, before rows are made."""

    label: str
    required: bool
    facts: SchemaFacts
    rules: tuple[str, ...]


FACETS: tuple[tuple[str, bool], ...] = (
    # (facet, shown even when no variant sets it)
    ("type", True),
    ("required", True),
    ("nullable", True),
    ("enum", False),
    ("default", False),
    ("bounds", False),
    ("rules", False),
)


def _request_fields(
    by_entry: Mapping[tuple[str, str], Departure], departure: Departure
) -> tuple[str, ...]:
    """The request body fields (section `request`) that stand one way."""
    return tuple(
        label
        for (section, label), found in by_entry.items()
        if section == "request" and found is departure
    )


def build_comparison(
    variants: Iterable[str] | None = None, *, reference: str | None = REFERENCE_VARIANT
) -> Comparison:
    """Build the comparison of the named variants (all by default) from their specs.

    When `reference` (OpenAI's own API by default) is among them, its column comes first and
    the others are read against it; otherwise each cell is read against the majority.
    """
    chosen = tuple(variants) if variants is not None else all_variants()
    if reference not in chosen:
        reference = None
    if reference is not None:
        chosen = (reference, *(variant for variant in chosen if variant != reference))
    operations = {variant: operation(variant) for variant in chosen}
    return Comparison(
        variants=chosen,
        reference=reference,
        sections=(
            Section(
                "operation",
                "Operation",
                "The one operation of each spec and what it answers.",
                _rows_by_label(operations, _operation_rows),
            ),
            Section(
                "auth",
                "Authentication",
                "The security schemes the operation requires.",
                _rows_by_label(operations, _auth_rows),
            ),
            Section(
                "parameters",
                "Path, query and header parameters",
                "Parameters of the operation (the credential header is under Authentication).",
                _field_rows(operations, _parameter_fields),
            ),
            Section(
                "request",
                "Request body fields",
                "Each field of the JSON request body. `rules` are the field's part of the "
                "cross-field rules below; a rule's constraint applies when the field is given.",
                _field_rows(operations, _body_fields),
            ),
            Section(
                "rules",
                "Cross-field rules",
                "The `allOf` of `if`/`then`/`else` of the request schema, in words.",
                _rows_by_label(operations, _rule_rows),
            ),
            Section(
                "response",
                "Success response fields",
                "Every field of the success response body, nested (`data[].url` is `url` of each "
                "item of `data`).",
                _rows_by_label(operations, _response_rows),
            ),
            Section(
                "stream",
                "Streamed events",
                "The `text/event-stream` a success response carries with `stream: true`: each "
                "event (named by its `type`) and its fields (`?` marks an optional field).",
                _rows_by_label(operations, _stream_rows),
            ),
            Section(
                "errors",
                "Error responses",
                "The body schema of each error status and its fields (`?` marks an optional "
                "field, `[]` an array).",
                _rows_by_label(operations, _error_rows, sort=True),
            ),
        ),
    )


def success_status(op: Operation) -> str | None:
    """The first 2xx status the operation declares."""
    return next((status for status in op.statuses if status.startswith("2")), None)


def request_schema(op: Operation) -> Any:
    """The (unresolved) JSON request body schema of the operation, or None."""
    try:
        return resolve_pointer(op.spec, op.request_schema_pointer)
    except (KeyError, IndexError):
        return None


def _rows_by_label(
    operations: Mapping[str, Operation],
    cells_of: Callable[[Operation], dict[str, tuple[str, ...]]],
    *,
    sort: bool = False,
) -> tuple[Row, ...]:
    """Rows from each variant's {label: lines}, labels in first-seen (or sorted) order."""
    per_variant = {variant: cells_of(op) for variant, op in operations.items()}
    labels = list(dict.fromkeys(label for cells in per_variant.values() for label in cells))
    if sort:
        labels.sort()
    return tuple(
        Row(label, "", {variant: cells.get(label) for variant, cells in per_variant.items()})
        for label in labels
    )


def _field_rows(
    operations: Mapping[str, Operation],
    fields_of: Callable[[Operation], list[tuple[str, _Field]]],
) -> tuple[Row, ...]:
    """One row per facet of each field; fields matched across variants by key."""
    per_variant = {variant: dict(fields_of(op)) for variant, op in operations.items()}
    keys = list(dict.fromkeys(key for fields in per_variant.values() for key in fields))
    rows = []
    for key in keys:
        present = [fields[key] for fields in per_variant.values() if key in fields]
        enum_order = _enum_order(present)
        for facet, always in FACETS:
            cells: dict[str, Cell] = {
                variant: _facet(fields[key], facet, enum_order) if key in fields else None
                for variant, fields in per_variant.items()
            }
            if always or any(cell not in (None, (NONE,)) for cell in cells.values()):
                rows.append(Row(present[0].label, facet, cells))
    return tuple(rows)


def _facet(field: _Field, facet: str, enum_order: Mapping[str, int]) -> tuple[str, ...]:
    found = field.facts
    if facet == "type":
        return (found.type_text,)
    if facet == "required":
        return ("yes" if field.required else "no",)
    if facet == "nullable":
        return ("yes" if found.nullable else "no",)
    if facet == "enum":
        if found.enum is None:
            return (NONE,)
        return (
            ", ".join(sorted((show(value) for value in found.enum), key=enum_order.__getitem__)),
        )
    if facet == "default":
        return (show(found.default),) if found.default is not MISSING else (NONE,)
    if facet == "bounds":
        return tuple(str(bound) for bound in found.bounds) or (NONE,)
    if facet == "rules":
        return field.rules or (NONE,)
    raise ValueError(f"unknown facet {facet!r}")


def _enum_order(fields: list[_Field]) -> dict[str, int]:
    """One order for the enum values of a field across variants, so equal sets read equal."""
    shown = (show(value) for field in fields for value in field.facts.enum or ())
    return {value: index for index, value in enumerate(dict.fromkeys(shown))}


def _operation_rows(op: Operation) -> dict[str, tuple[str, ...]]:
    definition = op.definition
    request_body = op.resolve(definition.get("requestBody")) or {}
    schema = flatten(op.spec, request_schema(op))
    servers = op.definition.get("servers") or op.spec.get("servers") or []
    additional = schema.get("additionalProperties", True)
    return {
        "method and path": (f"{op.method.upper()} {op.path}",),
        "operationId": (op.operation_id,),
        "servers": tuple(str(server["url"]) for server in servers) or (NONE,),
        "request body": (
            ", ".join(request_body.get("content", {})) or NONE,
            "required" if request_body.get("required") else "optional",
        ),
        "unknown body fields": (
            "rejected (additionalProperties: false)" if additional is False else "allowed",
        ),
        "response statuses": (", ".join(op.statuses),),
        "success media types": _success_media_types(op),
    }


def _success_media_types(op: Operation) -> tuple[str, ...]:
    status = success_status(op)
    pointer = op.response_pointer(status) if status else None
    if pointer is None:
        return (NONE,)
    return (", ".join(resolve_pointer(op.spec, pointer).get("content", {})) or NONE,)


def _auth_rows(op: Operation) -> dict[str, tuple[str, ...]]:
    schemes = op.security_schemes
    if not schemes:
        return {"scheme": ("none",), "credential sent as": ("nothing",)}
    return {
        "scheme": tuple(f"{name} ({_scheme_kind(scheme)})" for name, scheme in schemes.items()),
        "credential sent as": tuple(_scheme_carrier(scheme) for scheme in schemes.values()),
    }


def _scheme_kind(scheme: Mapping[str, Any]) -> str:
    if scheme.get("type") == "http":
        return f"http {scheme.get('scheme', '')}".strip()
    return str(scheme.get("type"))


def _scheme_carrier(scheme: Mapping[str, Any]) -> str:
    if scheme.get("type") == "apiKey":
        return f"{scheme.get('in')} {scheme.get('name')}"
    if scheme.get("type") == "http":
        kind = str(scheme.get("scheme", "")).capitalize()
        return f"header Authorization: {kind} <credential>"
    return str(scheme.get("type"))


def _parameter_fields(op: Operation) -> list[tuple[str, _Field]]:
    found = []
    for parameter in op.parameters:
        name = parameter.name
        key = f"{parameter.location} {name.lower() if parameter.location == 'header' else name}"
        schema = resolve_pointer(op.spec, parameter.schema_pointer)
        found.append(
            (
                key,
                _Field(
                    f"{name} ({parameter.location})",
                    parameter.required,
                    facts(op.spec, schema),
                    (),
                ),
            )
        )
    return found


def _body_fields(op: Operation) -> list[tuple[str, _Field]]:
    schema = request_schema(op)
    if schema is None:
        return []
    flat = flatten(op.spec, schema)
    required = set(flat.get("required", []))
    body_rules = rules(op.spec, schema)
    return [
        (
            name,
            _Field(
                name,
                name in required,
                facts(op.spec, child),
                rules_about(body_rules, name, see="see cross-field rules"),
            ),
        )
        for name, child in flat.get("properties", {}).items()
    ]


def _rule_rows(op: Operation) -> dict[str, tuple[str, ...]]:
    schema = request_schema(op)
    found = rules(op.spec, schema) if schema is not None else ()
    return {"request body": tuple(rule.text for rule in found) or (NONE,)}


def _response_rows(op: Operation) -> dict[str, tuple[str, ...]]:
    status = success_status(op)
    pointer = op.response_schema_pointer(status) if status else None
    if pointer is None:
        return {}
    rows: dict[str, tuple[str, ...]] = {"HTTP status": (str(status),)}
    for field in walk_fields(op.spec, resolve_pointer(op.spec, pointer)):
        lines = [_field_text(field)]
        returned_when = field.schema.get("x-imagegen-returned-when")
        if returned_when is not None:
            lines.append(f"returned when {condition_phrase(op.spec, returned_when)}")
        rows[field.path] = tuple(lines)
    return rows


def _stream_rows(op: Operation) -> dict[str, tuple[str, ...]]:
    return {
        f"event {event.name}": (f"{event.schema_name or 'inline schema'} {event.outline}",)
        for event in event_schemas(op)
    }


def _field_text(field: FieldFacts) -> str:
    """A response field in one line: its type (and values), required or optional, nullable."""
    text = field.facts.type_text
    if field.facts.enum is not None:
        text += " ∈ {" + ", ".join(show(value) for value in field.facts.enum) + "}"
    parts = [text, "required" if field.required else "optional"]
    if field.facts.nullable:
        parts.append("nullable")
    return ", ".join(parts)


def _error_rows(op: Operation) -> dict[str, tuple[str, ...]]:
    rows = {}
    for status in op.statuses:
        if status.startswith(("1", "2", "3")):
            continue
        response_pointer = op.response_pointer(status)
        assert response_pointer is not None
        response = resolve_pointer(op.spec, response_pointer)
        media = response.get("content", {}).get(JSON)
        lines = []
        if media is None:
            lines.append("no JSON body")
        else:
            schema = media.get("schema")
            lines.append(f"{ref_name(schema) or 'inline schema'} {field_outline(op.spec, schema)}")
        headers = list(response.get("headers", {}))
        if headers:
            lines.append(f"headers: {', '.join(headers)}")
        rows[status] = tuple(lines)
    return rows
