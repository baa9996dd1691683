"""Facts and phrases read from small schemas (the JSON Schema cases the specs may grow into)."""

from __future__ import annotations

import pytest

from imagegen_spec.docs.describe import (
    MISSING,
    condition_phrase,
    constraint_phrase,
    facts,
    field_outline,
    rules,
    show,
    walk_fields,
)

SPEC = {
    "components": {
        "schemas": {
            "Size": {"type": "string", "enum": ["a", "b"]},
            "Alias": {"$ref": "#/components/schemas/Size"},
            "Item": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}},
            },
        }
    }
}


def test_a_ref_with_a_sibling_default_keeps_the_target_and_the_default() -> None:
    found = facts(SPEC, {"$ref": "#/components/schemas/Alias", "default": "b"})
    assert (found.types, found.enum, found.default, found.nullable) == (
        ("string",),
        ("a", "b"),
        "b",
        False,
    )


def test_a_nullable_enum_through_anyof() -> None:
    found = facts(SPEC, {"anyOf": [{"$ref": "#/components/schemas/Size"}, {"type": "null"}]})
    assert found.nullable and found.enum == ("a", "b") and found.types == ("string",)
    assert found.default is MISSING


def test_null_inside_an_enum_is_nullability_not_a_value() -> None:
    found = facts(SPEC, {"enum": [1, None]})
    assert found.nullable and found.enum == (1,) and found.types == ("integer",)


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer", "minimum": 1, "maximum": 4}, ["1..4"]),
        ({"type": "number", "exclusiveMinimum": 0}, ["> 0"]),
        ({"type": "integer", "minimum": 0, "exclusiveMaximum": 5}, ["≥ 0, < 5"]),
        ({"type": "string", "maxLength": 10}, ["length ≤ 10"]),
        ({"type": "array", "minItems": 1}, ["items ≥ 1"]),
        ({"type": "integer", "multipleOf": 8}, ["multiple of 8"]),
    ],
)
def test_bounds(schema: dict[str, object], expected: list[str]) -> None:
    assert [str(bound) for bound in facts(SPEC, schema).bounds] == expected


def test_an_unresolvable_or_remote_ref_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="only local"):
        facts(SPEC, {"$ref": "other.yaml#/X"})


def test_show_renders_json_values_for_people() -> None:
    assert [show(v) for v in (None, True, "", "url", 3, [1])] == [
        "null",
        "true",
        '""',
        "url",
        "3",
        "[1]",
    ]


def test_a_condition_on_an_optional_field_says_it_may_be_absent() -> None:
    assert condition_phrase(SPEC, {"properties": {"m": {"const": "x"}}}) == "(m is absent or m = x)"
    assert (
        condition_phrase(SPEC, {"required": ["m"], "properties": {"m": {"const": "x"}}}) == "m = x"
    )
    assert condition_phrase(SPEC, {"required": ["m"]}) == "m is given"


def test_constraint_phrases() -> None:
    assert constraint_phrase(SPEC, "n", {"enum": [1, None]}) == "n ∈ {1, null}"
    assert constraint_phrase(SPEC, "s", {"type": "null"}) == "s is null"
    assert constraint_phrase(SPEC, "p", {"maxLength": 1000}) == "p length ≤ 1000"
    assert constraint_phrase(SPEC, "n", {"minimum": 1, "maximum": 4}) == "n ∈ 1..4"
    assert constraint_phrase(SPEC, "n", {"not": {"const": 3}}) == "not (n = 3)"
    assert constraint_phrase(SPEC, "x", {"pattern": "^a$", "x-note": 1}) == "x pattern ^a$"


def test_rules_of_an_allof() -> None:
    schema = {
        "allOf": [
            {
                "if": {"required": ["m"], "properties": {"m": {"const": "x"}}},
                "then": {"properties": {"n": {"enum": [1]}}, "required": ["k"]},
                "else": {"properties": {"n": {"maximum": 9}}},
            },
            {"if": {"required": ["f"]}, "else": {"properties": {"c": {"type": "null"}}}},
        ]
    }
    first, second = rules(SPEC, schema)
    assert first.text == "if m = x: n ∈ {1}; k is required; otherwise: n ≤ 9"
    assert first.about("n") == ("if m = x: n ∈ {1}", "unless m = x: n ≤ 9")
    assert first.condition_fields == ("m",)
    assert second.text == "unless f is given: c is null"


def test_walk_fields_goes_into_arrays_and_objects() -> None:
    schema = {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}},
    }
    walked = [(f.path, f.required, f.facts.type_text) for f in walk_fields(SPEC, schema)]
    assert walked == [("items", True, "array of object"), ("items[].id", True, "string")]
    assert field_outline(SPEC, schema) == "{items[] {id}}"
