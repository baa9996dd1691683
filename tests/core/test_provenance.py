"""core.provenance: entries read from the specs, malformed ones and maintainer wording reported."""

from __future__ import annotations

from typing import Any

import pytest

from imagegen_spec.core.provenance import KEYWORD, collect, problems
from imagegen_spec.core.specs import load_spec

GOOD = {"facets": ["bounds"], "source": "the page", "reference": "the ref", "decision": "why"}


def spec_with(entry: Any, description: str = "The number of images.") -> dict[str, Any]:
    return {
        "components": {
            "schemas": {
                "Request": {
                    "type": "object",
                    "properties": {"n": {"type": "integer", "description": description}},
                    KEYWORD: [entry],
                }
            }
        }
    }


def test_specs_are_clean(variant: str) -> None:
    assert problems(load_spec(variant)) == []


def test_every_spec_explains_itself(variant: str) -> None:
    entries = collect(load_spec(variant))
    assert entries, f"{variant} carries no provenance"
    assert any(entry.pointer in ("", "/info") for entry in entries), "an overview entry on info"
    assert all(entry.decision and entry.source and entry.reference for entry in entries)


def test_entry_is_collected_with_its_pointer() -> None:
    [entry] = collect(spec_with({**GOOD, "decision": "line one\n  line two"}))
    assert entry.pointer == "/components/schemas/Request"
    assert entry.decision == "line one line two", "block scalars are joined on one line"
    assert entry.explains("bounds") and not entry.explains("enum")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({**GOOD, "facets": ["colour"]}, "unknown facets ['colour']"),
        ({**GOOD, "facets": []}, "`facets` must be a non-empty list"),
        ({k: v for k, v in GOOD.items() if k != "decision"}, "`decision` must be a non-empty"),
        ({**GOOD, "reference": "  "}, "`reference` must be a non-empty"),
        ({**GOOD, "why": "x"}, "unknown keys ['why']"),
        ({**GOOD, "fields": ["m"]}, "fields ['m'] are not properties"),
        ({**GOOD, "source": "seed 001 says so"}, "says 'seed'"),
    ],
)
def test_malformed_entry_is_reported(entry: dict[str, Any], expected: str) -> None:
    found = problems(spec_with(entry))
    assert any(expected in problem for problem in found), f"expected {expected!r} in {found}"
    if expected != "says 'seed'" and "fields" not in expected:
        assert collect(spec_with(entry)) == [], "a malformed entry is not collected"


def test_seed_in_a_description_is_reported() -> None:
    found = problems(spec_with(GOOD, description="The seed's default is 1."))
    assert found == [
        "/components/schemas/Request/properties/n/description: says 'seed'; name the provider "
        "by its documentation page"
    ]


def test_lint_reports_provenance_problems() -> None:
    from imagegen_spec.lint import check_provenance

    result = check_provenance("azure")
    assert result.ok, result.output
