"""The comparison model: every expected value is read from the spec documents themselves."""

from __future__ import annotations

import re
from typing import Any

import pytest

from imagegen_spec.core.events import EVENT_STREAM
from imagegen_spec.core.operation import operation
from imagegen_spec.core.pointers import flatten, resolve_pointer
from imagegen_spec.core.specs import variants
from imagegen_spec.docs.compare import (
    NONE,
    REFERENCE_VARIANT,
    Comparison,
    Departure,
    Row,
    build_comparison,
    entry_departure,
    request_schema,
)
from imagegen_spec.docs.describe import show
from imagegen_spec.docs.stream import event_schemas


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return build_comparison()


def body_properties(variant: str) -> dict[str, Any]:
    op = operation(variant)
    return dict(flatten(op.spec, request_schema(op))["properties"])


def body_rules(variant: str) -> list[dict[str, Any]]:
    op = operation(variant)
    return list(flatten(op.spec, request_schema(op)).get("allOf", []))


def test_every_variant_has_a_column_the_reference_first(comparison: Comparison) -> None:
    assert set(comparison.variants) == set(variants())
    assert comparison.reference == REFERENCE_VARIANT
    others = tuple(variant for variant in variants() if variant != REFERENCE_VARIANT)
    assert comparison.variants == (REFERENCE_VARIANT, *others), "expected openai first"
    assert comparison.providers == others
    for section in comparison.sections:
        for row in section.rows:
            assert set(row.cells) == set(variants()), f"{section.key}/{row.label}: one cell each"


def test_n_bounds_are_read_from_each_spec(comparison: Comparison) -> None:
    row = comparison.row("request", "n", "bounds")
    expected = {}
    for variant in variants():
        n = body_properties(variant)["n"]
        expected[variant] = (f"{n['minimum']}..{n['maximum']}",)
    assert dict(row.cells) == expected
    assert row.differs == (len(set(expected.values())) > 1)


def test_n_bounds_are_the_ones_the_providers_document(comparison: Comparison) -> None:
    # The seeds' figures (ANCHORS.md): a spec edit that changes them must show up here.
    cells = comparison.row("request", "n", "bounds").cells
    assert (cells["dalle"], cells["gpt-image"], cells["azure"]) == (
        ("1..10",),
        ("1..4",),
        ("1..1",),
    )


def test_a_model_dependent_rule_is_stated_on_the_field_it_constrains(
    comparison: Comparison,
) -> None:
    found = 0
    for variant in variants():
        for rule in body_rules(variant):
            condition = rule["if"].get("properties", {})
            if len(condition) != 1 or "const" not in next(iter(condition.values())):
                continue
            ((subject, test),) = condition.items()
            for name, constraint in rule.get("then", {}).get("properties", {}).items():
                if "enum" not in constraint:
                    continue
                values = ", ".join(show(value) for value in constraint["enum"])
                expected = f"if {subject} = {show(test['const'])}: {name} ∈ {{{values}}}"
                cell = comparison.row("request", name, "rules").cells[variant]
                assert cell is not None and expected in cell, f"{variant}: expected {expected!r}"
                found += 1
    assert found, "expected at least one spec to hold a model-dependent enum rule"


def test_an_else_branch_reads_as_unless(comparison: Comparison) -> None:
    found = 0
    for variant in variants():
        for rule in body_rules(variant):
            for name, constraint in rule.get("else", {}).get("properties", {}).items():
                if "maxLength" in constraint:
                    cell = comparison.row("request", name, "rules").cells[variant]
                    assert cell is not None
                    assert any(
                        line.startswith("unless ")
                        and line.endswith(f"{name} length ≤ {constraint['maxLength']}")
                        for line in cell
                    ), f"{variant}: expected an 'unless' line for {name}, got {cell}"
                    found += 1
    assert found, "expected a spec with an else-branch maxLength rule"


def test_the_rules_row_lists_each_rule_or_none(comparison: Comparison) -> None:
    row = comparison.row("rules", "request body")
    for variant in variants():
        cell = row.cells[variant]
        assert cell is not None
        if body_rules(variant):
            assert len(cell) == len(body_rules(variant)), f"{variant}: one line per allOf entry"
            assert all(line.startswith(("if ", "unless ")) for line in cell)
        else:
            assert cell == (NONE,), f"{variant} has no allOf: expected 'none'"


def test_a_field_only_some_variants_have_is_missing_for_the_others(
    comparison: Comparison,
) -> None:
    fields = {variant: set(body_properties(variant)) for variant in variants()}
    every: set[str] = set().union(*fields.values())
    common: set[str] = every.intersection(*fields.values())
    partial = every - common
    assert partial, "expected the specs to differ in their request fields"
    for name in partial:
        row = comparison.row("request", name, "type")
        expected_missing = tuple(v for v in variants() if name not in fields[v])
        assert row.missing_in() == expected_missing, f"{name}: expected — for {expected_missing}"
        assert row.differs


def test_a_parameter_only_one_variant_has_is_missing_for_the_others(
    comparison: Comparison,
) -> None:
    for variant in variants():
        for parameter in operation(variant).parameters:
            row = comparison.row(
                "parameters", f"{parameter.name} ({parameter.location})", "required"
            )
            assert row.cells[variant] == ("yes" if parameter.required else "no",)
            for other in variants():
                names = {(p.location, p.name.lower()) for p in operation(other).parameters}
                if (parameter.location, parameter.name.lower()) not in names:
                    assert row.cells[other] is None, f"expected — for {other}"


def test_defaults_enums_and_nullability_follow_the_spec(comparison: Comparison) -> None:
    for variant in variants():
        op = operation(variant)
        for name, schema in body_properties(variant).items():
            flat = flatten(op.spec, schema)
            default = comparison.row("request", name, "default") if "default" in flat else None
            if default is not None:
                assert default.cells[variant] == (show(flat["default"]),), f"{variant}.{name}"
            declared = flat.get("type")
            if isinstance(declared, list):
                nullable = comparison.row("request", name, "nullable").cells[variant]
                assert nullable == ("yes" if "null" in declared else "no",), f"{variant}.{name}"


def test_equal_enum_sets_in_different_orders_read_the_same(comparison: Comparison) -> None:
    for name in set.intersection(*(set(body_properties(v)) for v in variants())):
        enums = {}
        for variant in variants():
            op = operation(variant)
            schema = flatten(op.spec, body_properties(variant)[name])
            branches = [flatten(op.spec, b) for b in schema.get("anyOf", [])] or [schema]
            values = [v for b in branches for v in b.get("enum", [])]
            if values:
                enums[variant] = frozenset(values)
        row = next(
            (r for r in comparison.section("request").rows if (r.label, r.facet) == (name, "enum")),
            None,
        )
        for first in enums:
            for second in enums:
                if enums[first] == enums[second]:
                    assert row is not None and row.cells[first] == row.cells[second], name


def test_auth_is_read_from_the_security_schemes(comparison: Comparison) -> None:
    row = comparison.row("auth", "credential sent as")
    for variant in variants():
        op = operation(variant)
        for scheme in op.security_schemes.values():
            cell = row.cells[variant]
            assert cell is not None
            if scheme["type"] == "apiKey":
                assert f"{scheme['in']} {scheme['name']}" in cell
            else:
                assert any("Authorization" in line for line in cell)


def test_error_statuses_and_their_schemas(comparison: Comparison) -> None:
    section = comparison.section("errors")
    declared = {v: {s for s in operation(v).statuses if s[0] in "45"} for v in variants()}
    assert {row.label for row in section.rows} == set.union(*declared.values())
    for row in section.rows:
        for variant in variants():
            cell = row.cells[variant]
            if row.label not in declared[variant]:
                assert cell is None, f"{row.label}: expected — for {variant}"
                continue
            op = operation(variant)
            pointer = op.response_schema_pointer(row.label)
            assert pointer is not None
            schema = resolve_pointer(op.spec, pointer)
            name = schema["$ref"].rsplit("/", 1)[-1]
            properties = flatten(op.spec, schema)["properties"]
            assert cell is not None and cell[0].startswith(name), f"{variant} {row.label}"
            for field in properties:
                assert field in cell[0], f"{variant} {row.label}: expected top-level {field}"


def test_success_response_fields_say_whether_they_are_required(comparison: Comparison) -> None:
    for variant in variants():
        op = operation(variant)
        pointer = op.response_schema_pointer("200")
        assert pointer is not None
        flat = flatten(op.spec, resolve_pointer(op.spec, pointer))
        for name in flat["properties"]:
            cell = comparison.row("response", name).cells[variant]
            expected = "required" if name in flat.get("required", []) else "optional"
            assert cell is not None and expected in cell[0], f"{variant}.{name}: {expected}"


def test_odd_variants_are_the_minority_and_never_the_missing() -> None:
    row = Row("x", "", {"a": ("1",), "b": ("1",), "c": ("2",)})
    assert row.differs and row.odd_variants == {"c"}
    tie = Row("x", "", {"a": ("1",), "b": ("2",), "c": None})
    assert tie.odd_variants == {"a", "b"} and tie.missing_in() == ("c",)
    same = Row("x", "", {"a": ("1",), "b": ("1",)})
    assert not same.differs and not same.odd_variants


def test_unknown_section_or_row_says_what_was_looked_for(comparison: Comparison) -> None:
    with pytest.raises(KeyError, match="no section 'nope'"):
        comparison.section("nope")
    with pytest.raises(KeyError, match="no row 'nope'"):
        comparison.row("request", "nope")


def test_a_cell_departs_from_the_reference_s_as_same_differs_absent_or_added() -> None:
    row = Row("x", "", {"ref": ("1",), "same": ("1",), "other": ("2",), "gone": None})
    assert row.departure("same", "ref") is Departure.SAME
    assert row.departure("other", "ref") is Departure.DIFFERS
    assert row.departure("gone", "ref") is Departure.ABSENT
    only = Row("y", "", {"ref": None, "has": ("1",), "lacks": None})
    assert only.departure("has", "ref") is Departure.ADDED
    assert only.departure("lacks", "ref") is Departure.SAME, "neither having it is no departure"


def test_an_entry_departs_as_its_facets_do() -> None:
    def facet(ref: tuple[str, ...] | None, mine: tuple[str, ...] | None) -> Row:
        return Row("f", "", {"ref": ref, "me": mine})

    assert entry_departure([facet(("a",), ("a",))] * 2, "me", "ref") is Departure.SAME
    lacks = [facet(("a",), None), facet(("b",), None)]
    assert entry_departure(lacks, "me", "ref") is Departure.ABSENT
    # An enum facet only the provider sets: ADDED beside SAME facets is still ADDED.
    adds = [facet(None, ("a",)), facet(None, None)]
    assert entry_departure(adds, "me", "ref") is Departure.ADDED
    mixed = [facet(("a",), ("b",)), facet(("a",), ("a",))]
    assert entry_departure(mixed, "me", "ref") is Departure.DIFFERS


@pytest.fixture(scope="module")
def against_dalle() -> Comparison:
    """The three provider variants read against one of them (dalle), whatever the reference."""
    return build_comparison(("azure", "dalle", "gpt-image"), reference="dalle")


def test_a_reference_s_column_comes_first_and_marks_departures(against_dalle: Comparison) -> None:
    assert against_dalle.variants[0] == "dalle" and against_dalle.providers == (
        "azure",
        "gpt-image",
    )
    for section in against_dalle.sections:
        for row in section.rows:
            marked = against_dalle.marked(row)
            assert "dalle" not in marked, "expected the reference's own cell never marked"
            for variant in against_dalle.providers:
                departure = row.departure(variant, "dalle")
                expected = departure in (Departure.DIFFERS, Departure.ADDED)
                assert (variant in marked) == expected, f"{row.label}/{row.facet}: {variant}"
                assert (variant in against_dalle.departing(row)) == (
                    departure is not Departure.SAME
                )


def test_without_a_reference_the_minority_is_marked() -> None:
    comparison = build_comparison(("azure", "dalle", "gpt-image"), reference=None)
    assert comparison.reference is None and not comparison.departures()
    for section in comparison.sections:
        for row in section.rows:
            assert comparison.marked(row) == row.odd_variants
            assert comparison.departing(row) == ()


def test_each_provider_s_departures_name_the_request_fields_it_lacks_or_adds(
    against_dalle: Comparison,
) -> None:
    reference_fields = set(body_properties("dalle"))
    summaries = {found.variant: found for found in against_dalle.departures()}
    assert set(summaries) == {"azure", "gpt-image"}
    for variant, found in summaries.items():
        fields = set(body_properties(variant))
        assert set(found.absent_fields) == reference_fields - fields, variant
        assert set(found.added_fields) == fields - reference_fields, variant
        for name in found.differing_fields:
            assert name in fields & reference_fields
            assert any(
                row.departure(variant, "dalle") is Departure.DIFFERS
                for row in against_dalle.section("request").rows
                if row.label == name
            ), f"{variant}.{name}: expected a facet that differs"
        entries = {
            (section.key, row.label) for section in against_dalle.sections for row in section.rows
        }
        assert sum(found.counts.values()) == len(entries), "expected every entry counted once"


def test_four_variants_read_against_openai(comparison: Comparison) -> None:
    assert len(comparison.variants) == 4 and comparison.reference == REFERENCE_VARIANT
    summaries = {found.variant: found for found in comparison.departures()}
    openai_fields = set(body_properties(REFERENCE_VARIANT))
    for variant in comparison.providers:
        fields = set(body_properties(variant))
        assert set(summaries[variant].absent_fields) == openai_fields - fields, variant
        assert set(summaries[variant].added_fields) == fields - openai_fields, variant
    # Only the reference streams: every provider lacks each event.
    stream = comparison.section("stream")
    assert stream.rows, "expected the streamed events of openai listed"
    for row in stream.rows:
        assert row.cells[REFERENCE_VARIANT] is not None
        assert set(comparison.departing(row)) == {
            variant for variant in comparison.providers if row.cells[variant] is None
        }


def test_the_streamed_events_are_the_spec_s_event_schemas(comparison: Comparison) -> None:
    for variant in variants():
        events = event_schemas(operation(variant))
        for event in events:
            cell = comparison.row("stream", f"event {event.name}").cells[variant]
            assert cell is not None and cell[0].startswith(f"{event.schema_name} {{"), variant
            for field in event.fields:
                if "." not in field.path:
                    name = field.path if field.required else f"{field.path}?"
                    assert re.search(rf"[{{ ]{re.escape(name)}[,}} ]", cell[0]), (
                        f"{variant} {event.name}: expected the field {name} in {cell[0]}"
                    )
        media = comparison.row("operation", "success media types").cells[variant]
        assert media is not None and (EVENT_STREAM in media[0]) == bool(events), variant
