"""The copy of each spec Redoc renders: the same fields, values and required; rules in words."""

from __future__ import annotations

import json
from typing import Any

import pytest

from imagegen_spec.core.events import EventStream, stream_media_pointer
from imagegen_spec.core.operation import Operation, spec_operation
from imagegen_spec.core.pointers import flatten, resolve_pointer
from imagegen_spec.core.specs import load_spec, variants
from imagegen_spec.docs.derived import (
    RULES_HEADING,
    STREAM_EXAMPLE,
    derived_spec,
    field_rule_lines,
    stream_example_summary,
)
from imagegen_spec.docs.describe import facts
from imagegen_spec.docs.samples import published_samples
from imagegen_spec.docs.stream import event_examples, sse_transcript, streams


def body(op: Operation) -> dict[str, Any]:
    return flatten(op.spec, resolve_pointer(op.spec, op.request_schema_pointer))


def derived(op: Operation) -> Operation:
    return spec_operation(op.variant, derived_spec(op))


def has_conditional(node: Any) -> bool:
    if isinstance(node, dict):
        return "if" in node or any(has_conditional(value) for value in node.values())
    if isinstance(node, list):
        return any(has_conditional(value) for value in node)
    return False


def test_the_spec_itself_is_left_alone(op: Operation) -> None:
    before = json.dumps(load_spec(op.variant), sort_keys=True)
    derived_spec(op)
    assert json.dumps(load_spec(op.variant), sort_keys=True) == before


def test_no_conditional_is_left_for_redoc(op: Operation) -> None:
    assert not has_conditional(body(derived(op))), "expected every if/then/else removed"


def test_every_field_keeps_its_required_type_and_values(op: Operation) -> None:
    copy_op = derived(op)
    original, copy = body(op), body(copy_op)
    assert copy["required"] == original["required"]
    assert list(copy["properties"]) == list(original["properties"])
    for name, schema in original["properties"].items():
        was, now = facts(op.spec, schema), facts(copy_op.spec, copy["properties"][name])
        assert (now.types, now.nullable, now.default, now.bounds) == (
            was.types,
            was.nullable,
            was.default,
            was.bounds,
        ), f"{op.variant}.{name}: expected the same type, nullability, default and bounds"
        assert set(now.enum or ()) == set(was.enum or ()), f"{op.variant}.{name}: values"


def test_each_constrained_field_states_its_rules(op: Operation) -> None:
    copy = body(derived(op))
    stated = 0
    for name in body(op)["properties"]:
        lines = field_rule_lines(op, name)
        description = str(copy["properties"][name].get("description", ""))
        for line in lines:
            assert f"- {line}" in description, f"{op.variant}.{name}: expected rule {line!r}"
            stated += 1
        assert (RULES_HEADING in description) == bool(lines), f"{op.variant}.{name}"
    if has_conditional(body(op)):
        assert stated, f"{op.variant}: expected its rules stated on its fields"
        assert RULES_HEADING in copy["description"], "expected the body to state every rule"


def test_dalle_states_the_dall_e_3_rules_on_n_and_size() -> None:
    op = spec_operation("dalle", load_spec("dalle"))
    properties = body(derived(op))["properties"]
    assert "if model = dall-e-3: n ∈ {1, null}" in properties["n"]["description"]
    assert (
        "unless model = dall-e-3: size ∈ {256x256, 512x512, 1024x1024, null}"
        in (properties["size"]["description"])
    )
    assert "decides" in properties["model"]["description"]


def test_a_nullable_enum_becomes_one_schema_with_every_value() -> None:
    op = spec_operation("dalle", load_spec("dalle"))
    size = body(derived(op))["properties"]["size"]
    assert "anyOf" not in size
    assert size["type"] == ["string", "null"]
    assert size["enum"][-1] is None
    assert "Which sizes are accepted depends on" in size["description"], (
        "expected the enum component's description kept"
    )


@pytest.mark.parametrize("variant", variants())
def test_the_operation_carries_the_code_samples(variant: str) -> None:
    op = spec_operation(variant, load_spec(variant))
    copy = resolve_pointer(derived_spec(op), op.pointer)
    assert copy["x-codeSamples"] == [sample.as_redoc() for sample in published_samples(op)]
    streamed = [sample for sample in published_samples(op) if sample.streamed]
    assert len(copy["x-codeSamples"]) == 4 + len(streamed)
    assert bool(streamed) == streams(op), f"{variant}: streamed samples where it streams"


STREAMING = [
    variant for variant in variants() if streams(spec_operation(variant, load_spec(variant)))
]


def test_some_variant_streams() -> None:
    assert STREAMING, "expected a variant whose 200 has a text/event-stream (openai)"


@pytest.mark.parametrize("variant", STREAMING)
def test_a_stream_shows_its_events_object_and_one_transcript(variant: str) -> None:
    op = spec_operation(variant, load_spec(variant))
    media_pointer = stream_media_pointer(op)
    stream = EventStream.of(op)
    assert media_pointer is not None and stream is not None
    media = resolve_pointer(derived_spec(op), media_pointer)
    assert media["examples"] == {
        STREAM_EXAMPLE: {"summary": stream_example_summary(op), "value": sse_transcript(op)}
    }, f"{op.variant}: expected the spec's example events as one transcript"
    assert sse_transcript(op).count("\n\n") == len(event_examples(op)) >= 2
    if stream.frame_pointer is not None:
        assert media["schema"] == {"$ref": "#" + stream.pointer}, (
            "expected the events' JSON object, which Redoc draws, for the frame"
        )


def test_a_field_left_an_any_of_states_its_rules_on_every_branch() -> None:
    found = 0
    for variant in variants():
        op = spec_operation(variant, load_spec(variant))
        copy = body(derived(op))["properties"]
        for name in body(op)["properties"]:
            lines = field_rule_lines(op, name)
            branches = copy[name].get("anyOf")
            if lines and branches:
                found += 1
                assert_rules_on_branches(op, name, branches, lines)
    assert found, "expected a constrained field that stays an anyOf (openai's size)"


def assert_rules_on_branches(
    op: Operation, name: str, branches: list[Any], lines: tuple[str, ...]
) -> None:
    """Each branch is inline and states every rule of the field."""
    for branch in branches:
        assert "$ref" not in branch, f"{op.variant}.{name}: expected inline branches"
        for line in lines:
            assert f"- {line}" in branch.get("description", ""), (
                f"{op.variant}.{name}: expected {line!r} on each branch (Redoc shows a "
                "branch's description, not the field's)"
            )


def test_every_nullable_enum_is_collapsed(op: Operation) -> None:
    copy = body(derived(op))["properties"]
    for name, schema in body(op)["properties"].items():
        found = facts(op.spec, schema)
        if "anyOf" in schema and found.enum is not None and found.nullable:
            assert "anyOf" not in copy[name], f"{op.variant}.{name}: expected one schema"
            assert None in copy[name]["enum"], f"{op.variant}.{name}: expected null listed"
