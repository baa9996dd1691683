"""The seeds' own request and response examples, validated against their variant's spec.

Each fixture either validates, or the test states exactly which values cannot and why.
"""

from __future__ import annotations

import pytest

from imagegen_spec.core.operation import operation
from imagegen_spec.core.validation import validator
from tests.conftest import load_fixture

# (variant, fixture, what it is, the paths of the values that cannot validate -> why)
CASES = [
    ("azure", "azure.request.json", "request", {}),
    (
        "azure",
        "azure.response-200.json",
        "200",
        {
            ("created",): "the seed shows created as the string '1676540381'; the spec decides an "
            "integer unix time (Azure's schema and example files use an integer)",
        },
    ),
    ("gpt-image", "gpt-image.request.json", "request", {}),
    # b64_json "..." is a placeholder, not base64: contentEncoding is an annotation in 2020-12.
    ("gpt-image", "gpt-image.response-200.json", "200", {}),
    ("gpt-image", "gpt-image.response-422.json", "422", {}),
    ("dalle", "dalle.request.json", "request", {}),
    # The seed's example answers an n=1 dall-e-3 request with two images: not a schema matter.
    ("dalle", "dalle.response-200.json", "200", {}),
    ("dalle", "dalle.image.json", "Image", {}),
]


@pytest.mark.parametrize(
    ("variant", "fixture", "what", "expected_failures"),
    CASES,
    ids=[case[1] for case in CASES],
)
def test_seed_example(
    variant: str, fixture: str, what: str, expected_failures: dict[tuple[str, ...], str]
) -> None:
    op = operation(variant)
    if what == "request":
        schema_pointer = op.request_schema_pointer
    elif what.isdigit():
        found = op.response_schema_pointer(what)
        assert found is not None, f"{variant} must declare a {what} response"
        schema_pointer = found
    else:
        schema_pointer = f"/components/schemas/{what}"
    errors = validator(variant).errors(schema_pointer, load_fixture(f"seeds/{fixture}"))
    failing = {tuple(str(part) for part in error.absolute_path) for error in errors}
    assert failing == set(expected_failures), (
        f"expected exactly {sorted(expected_failures)} to fail, got "
        f"{[(list(error.absolute_path), error.message) for error in errors]}"
    )
