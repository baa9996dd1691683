"""The comparison model: every expected value is read from the spec documents themselves."""

from __future__ import annotations

from typing import Any

import pytest

from imagegen_spec.core.operation import operation
from imagegen_spec.core.pointers import flatten, resolve_pointer
from imagegen_spec.core.specs import variants
from imagegen_spec.docs.compare import NONE, Comparison, Row, build_comparison, request_schema
from imagegen_spec.docs.describe import show


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return build_comparison()


def body_properties(variant: str) -> dict[str, Any]:
    op = operation(variant)
    return dict(flatten(op.spec, request_schema(op))["properties"])


def body_rules(variant: str) -> list[dict[str, Any]]:
    op = operation(variant)
    return list(flatten(op.spec, request_schema(op)).get("allOf", []))


def test_every_variant_has_a_column(comparison: Comparison) -> None:
    assert comparison.variants == variants()
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
            condition = rule["if"]["properties"]
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
