"""The compiled check (jsonschema-rs) must agree with Python jsonschema on every body."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from imagegen_spec.core.variant import Variant

ODD_VALUES: list[Any] = [None, "x", "", 0, 1, -1, 2.0, 2.5, True, [], {}, 10**30]


def _values(schema: dict[str, Any], runtime: Variant) -> list[Any]:
    """Values around what a property schema allows: its enum, bounds and lengths, and odd ones."""
    schema = runtime.operation.resolve(schema)
    found = list(ODD_VALUES)
    for branch in [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]:
        branch = runtime.operation.resolve(branch)
        found += branch.get("enum", [])
        for bound in ("minimum", "maximum"):
            if bound in branch:
                found += [branch[bound] - 1, branch[bound], branch[bound] + 1]
        for bound in ("minLength", "maxLength"):
            if bound in branch:
                found += ["a" * max(0, branch[bound] + step) for step in (-1, 0, 1)]
    return found


def _bodies(runtime: Variant) -> list[Any]:
    base = {"prompt": "a red fox"}
    bodies: list[Any] = [base, {}, [], "text", None, {"prompt": "a", "unknown": 1}]
    bodies += [
        example.value
        for example in runtime.operation.examples()
        if example.schema_pointer == runtime.request.schema_pointer
    ]
    for name, schema in runtime.request.properties.items():
        bodies += [{**base, name: value} for value in _values(schema, runtime)]
    # Pairs exercise the cross-field rules (model with size, quality, n, ...).
    enums = {
        name: _values(schema, runtime)[len(ODD_VALUES) :]
        for name, schema in runtime.request.properties.items()
    }
    for (first, first_values), (second, second_values) in itertools.combinations(enums.items(), 2):
        for pair in itertools.product(first_values[:6], second_values[:6]):
            bodies.append({**base, first: pair[0], second: pair[1]})
    return bodies


def test_the_compiled_check_agrees_with_jsonschema(variant: str) -> None:
    runtime = Variant(variant)
    pointer = runtime.request.schema_pointer
    bodies = _bodies(runtime)
    assert len(bodies) > 100, "expected a broad sample of bodies"
    disagreements = [
        body
        for body in bodies
        if runtime.request.body_is_valid(body) != runtime.validator.is_valid(pointer, body)
    ]
    assert not disagreements, (
        f"{variant}: jsonschema-rs and jsonschema differ on {disagreements[:5]}"
    )
    valid = sum(runtime.request.body_is_valid(body) for body in bodies)
    assert 0 < valid < len(bodies), "the sample must hold both valid and invalid bodies"


def test_python_decides_what_jsonschema_rs_cannot_read() -> None:
    runtime = Variant("gpt-image")
    body = {"prompt": "a red fox", "\ud800": 1}
    assert runtime.request.body_is_valid(body) == runtime.validator.is_valid(
        runtime.request.schema_pointer, body
    ), "a lone surrogate key must fall back to Python jsonschema, not raise"


@pytest.mark.parametrize(
    ("body", "returned"),
    [({"model": "dall-e-3"}, True), ({"model": "dall-e-2"}, False), ({}, False)],
)
def test_revised_prompt_condition_is_read_from_the_spec(
    body: dict[str, Any], returned: bool
) -> None:
    check = Variant("dalle").responses.returned_when["revised_prompt"]
    assert check(body) is returned, f"x-imagegen-returned-when on {body}"
