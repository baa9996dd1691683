"""Every example in every spec validates against the schema it illustrates."""

from __future__ import annotations

from imagegen_spec.core.operation import Operation, schema_examples
from imagegen_spec.core.validation import validator


def test_operation_has_examples_for_request_and_every_response(op: Operation) -> None:
    wheres = [example.where for example in op.examples()]
    assert any("/requestBody/" in where for where in wheres), "expected a request example"
    for status in op.statuses:
        response_pointer = op.response_pointer(status)
        assert any(where.startswith(f"{response_pointer}/") for where in wheres), (
            f"expected an example for response {status}"
        )


def test_every_example_validates(op: Operation) -> None:
    checker = validator(op.variant)
    examples = [*op.examples(), *schema_examples(op.spec)]
    assert len(examples) >= 8, "expected the spec to carry examples"
    problems = {
        example.where: [
            error.message for error in checker.errors(example.schema_pointer, example.value)
        ]
        for example in examples
    }
    assert {where: errors for where, errors in problems.items() if errors} == {}


def test_example_check_can_fail(op: Operation) -> None:
    checker = validator(op.variant)
    assert not checker.is_valid(op.request_schema_pointer, {"prompt": 42}), (
        "a prompt of the wrong type must not validate"
    )
