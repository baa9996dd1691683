"""The generated pydantic models: one per schema, parsing every example, rejecting bad bodies."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import pydantic
import pytest

from imagegen_spec.core.operation import operation, schema_examples
from imagegen_spec.core.pointers import pointer, resolve_pointer
from imagegen_spec.core.specs import variants
from imagegen_spec.generate.config import GENERATED_DIR, MODEL_METADATA_FILE, MODELS_DIR, Names
from tests.generate.conftest import import_generated
from tests.spec.test_request_bodies import REJECT, TABLE

# Rows of tests/spec/test_request_bodies.py's TABLE that the spec rejects and the models accept.
# The models have no cross-field rules: the request schemas state them as `allOf` of
# `if`/`then`/`else`, which datamodel-code-generator ignores.
CROSS_FIELD_ROWS = {
    ("gpt-image", "transparent-jpeg"),
    ("gpt-image", "response-format-url"),
    ("gpt-image", "stream-true"),
    ("dalle", "dalle2-prompt-1001"),
    ("dalle", "model-null-is-dalle2"),
    ("dalle", "dalle2-size-1792x1024"),
    ("dalle", "dalle2-quality-hd"),
    ("dalle", "dalle2-style-natural"),
    ("dalle", "dalle3-n-2"),
    ("dalle", "dalle3-size-512"),
    ("openai", "transparent-jpeg"),
    ("openai", "size-1792x1024-is-dall-e"),
    ("openai", "size-custom-1.5"),
}
# openai's gpt-image-2 size arithmetic is `x-imagegen-size`, which no generator reads: the models
# check only the `WIDTHxHEIGHT` pattern.
SIZE_RULE_ROWS = {
    ("openai", case)
    for case in (
        "size-3856x2160-edge",
        "size-3840x2176-pixels",
        "size-3072x3072-pixels",
        "size-1008x640-too-few",
        "size-1000x1000-not-16",
        "size-1024x1000-not-16",
        "size-3840x1264-beyond-3-to-1",
        "size-1264x3840-beyond-1-to-3",
    )
}
# pydantic's default (lax) mode reads "1" and true as the integer 1, which JSON Schema's
# `integer` rejects; its strict mode would in turn reject 1.0, which JSON Schema accepts.
LAX_COERCION_ROWS = {
    ("azure", "n-string"),
    ("gpt-image", "n-string"),
    ("gpt-image", "n-bool"),
    ("gpt-image", "stream-string"),
    ("dalle", "n-string"),
    ("openai", "stream-string"),
}
MODELS_CANNOT_REJECT = CROSS_FIELD_ROWS | SIZE_RULE_ROWS | LAX_COERCION_ROWS

Validate = Callable[[Any], object]


@dataclass(frozen=True)
class SchemaModels:
    """Finds the generated model (or model field) that stands for a schema in a variant's spec."""

    variant: str
    by_pointer: dict[str, type[pydantic.BaseModel]]

    def _follow_refs(self, schema_pointer: str) -> str:
        spec = operation(self.variant).spec
        node = resolve_pointer(spec, schema_pointer)
        while isinstance(node, dict) and "$ref" in node:
            schema_pointer = node["$ref"].removeprefix("#")
            node = resolve_pointer(spec, schema_pointer)
        return schema_pointer

    def model(self, schema_pointer: str) -> type[pydantic.BaseModel]:
        """The model generated from the schema at a pointer (after its `$ref`s)."""
        return self.by_pointer[self._follow_refs(schema_pointer)]

    def validator(self, schema_pointer: str) -> Validate | None:
        """A function validating a value against the model or model field of a schema.

        None for a header parameter: datamodel-code-generator drops header parameters.
        """
        target = self._follow_refs(schema_pointer)
        if target in self.by_pointer:
            return self.by_pointer[target].model_validate
        op = operation(self.variant)
        for parameter in op.parameters:
            if parameter.schema_pointer == target:
                if parameter.location == "header":
                    return None
                return _field_validator(self.by_pointer[op.pointer], parameter.name)
        owner, _, field = target.rpartition("/properties/")
        return _field_validator(self.by_pointer[owner], field)


def _field_validator(model: type[pydantic.BaseModel], alias: str) -> Validate:
    field = next(info for name, info in model.model_fields.items() if (info.alias or name) == alias)
    annotation: Any = field.annotation
    if field.metadata:
        annotation = Annotated[(annotation, *field.metadata)]
    return pydantic.TypeAdapter(annotation).validate_python


@functools.cache
def schema_models(variant: str) -> SchemaModels:
    """The models of a variant, by the JSON pointer of the schema each was generated from."""
    module = import_generated(variant, MODELS_DIR)
    folder = GENERATED_DIR / variant / MODELS_DIR / Names(variant).models_package
    metadata = json.loads((folder / MODEL_METADATA_FILE).read_text(encoding="utf-8"))
    return SchemaModels(
        variant,
        {
            pointer(*entry["source_path"]): getattr(module, entry["class_name"])
            for entry in metadata["models"]
        },
    )


def test_every_object_schema_and_the_parameters_have_a_model(variant: str) -> None:
    op = operation(variant)
    found = schema_models(variant).by_pointer
    for name, schema in op.spec["components"]["schemas"].items():
        if schema.get("type") == "object":
            where = pointer("components", "schemas", name)
            assert where in found, f"expected a model for {where}, found {sorted(found)}"
            assert issubclass(found[where], pydantic.BaseModel)
    if any(parameter.location in ("path", "query") for parameter in op.parameters):
        assert op.pointer in found, "expected a model of the path and query parameters"


def test_models_parse_every_example(variant: str) -> None:
    op = operation(variant)
    models = schema_models(variant)
    examples = [*op.examples(), *schema_examples(op.spec)]
    failures, parsed, header_examples = {}, 0, []
    for example in examples:
        validate = models.validator(example.schema_pointer)
        if validate is None:
            header_examples.append(example.where)
            continue
        try:
            validate(example.value)
            parsed += 1
        except pydantic.ValidationError as error:
            failures[example.where] = str(error)
    assert failures == {}, "expected every example of the spec to parse with the models"
    assert parsed >= 5, f"expected the spec to have examples to parse, parsed {parsed}"
    # Skipped: examples of header parameters, which no model holds (next test).
    assert len(header_examples) == sum(
        "example" in resolve_pointer(op.spec, p.schema_pointer.removesuffix("/schema"))
        for p in op.parameters
        if p.location == "header"
    )


def test_header_parameters_have_no_model_field(variant: str) -> None:
    headers = {p.name for p in operation(variant).parameters if p.location == "header"}
    for model in schema_models(variant).by_pointer.values():
        aliases = {info.alias or name for name, info in model.model_fields.items()}
        assert not headers & aliases, (
            f"{model.__name__} now holds header parameters {headers & aliases}: check their "
            "examples with it instead of skipping them"
        )


def test_model_check_can_fail(variant: str) -> None:
    request = schema_models(variant).model(operation(variant).request_schema_pointer)
    with pytest.raises(pydantic.ValidationError):
        request.model_validate({"prompt": 42})


@pytest.mark.parametrize(
    ("variant", "case", "body", "accepted"),
    TABLE,
    ids=[f"{variant}-{case}" for variant, case, _, _ in TABLE],
)
def test_request_model_agrees_with_the_spec(
    variant: str, case: str, body: Any, accepted: bool
) -> None:
    request = schema_models(variant).model(operation(variant).request_schema_pointer)
    try:
        request.model_validate(body)
        model_accepts = True
    except pydantic.ValidationError:
        model_accepts = False
    if (variant, case) in MODELS_CANNOT_REJECT:
        assert model_accepts, (
            f"{variant}/{case}: listed as a rule the models cannot express, but the model "
            "rejects it: remove it from the list"
        )
    else:
        assert model_accepts == accepted, (
            f"{variant}/{case}: expected the model to {'accept' if accepted else 'reject'} {body!r}"
        )


def test_rows_the_models_cannot_reject_are_rejected_by_the_spec() -> None:
    rows = {(variant, case): accepted for variant, case, _, accepted in TABLE}
    for row in sorted(MODELS_CANNOT_REJECT):
        assert rows.get(row) == REJECT, f"expected {row} to be a REJECT row of the TABLE"
    assert {variant for variant, _ in MODELS_CANNOT_REJECT} <= set(variants())
