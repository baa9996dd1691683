"""Every facet where a spec differs from its public reference carries a provenance entry."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from imagegen_spec.core.provenance import collect
from imagegen_spec.core.specs import Spec, load_spec, variants
from imagegen_spec.provenance.references import differences, unexplained

REFERENCES = Path(__file__).parents[1] / "fixtures" / "references"
INDEX: dict[str, str] = json.loads((REFERENCES / "index.json").read_text(encoding="utf-8"))


def reference(variant: str) -> dict[str, Any]:
    return dict(json.loads((REFERENCES / INDEX[variant]).read_text(encoding="utf-8")))


def unexplained_in(spec: Spec, variant: str) -> list[str]:
    return [str(found) for found in unexplained(spec, reference(variant), collect(spec))]


def test_every_variant_has_a_reference() -> None:
    assert sorted(INDEX) == sorted(variants()), "tests/fixtures/references/index.json"
    notes = (REFERENCES / "README.md").read_text(encoding="utf-8")
    for path in REFERENCES.glob("*-*.json"):
        assert f"`{path.name}`" in notes, f"the README must give source and licence of {path.name}"


def test_every_difference_is_explained(variant: str) -> None:
    missing = unexplained_in(load_spec(variant), variant)
    assert missing == [], "differences from the reference without provenance:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize(
    ("variant", "facet", "where"),
    [
        ("azure", "security", "security oauth2"),
        ("azure", "parameters", "parameter deployment-id (path)"),
        ("azure", "bounds", "parameter api-version (query)"),
        ("azure", "required", "response 400 > error > code"),
        ("dalle", "enum", "request body > model"),
        ("dalle", "additionalProperties", "request body"),
        ("gpt-image", "bounds", "request body > n"),
        ("gpt-image", "properties", "request body > stream"),
        ("gpt-image", "properties", "response 200 > data[] > url"),
        ("gpt-image", "default", "request body > response_format"),
        ("openai", "default", "request body > model"),
        ("openai", "enum", "response 200 > size"),
        ("openai", "enum", "response 200 event image_generation.partial_image > size"),
        (
            "openai",
            "properties",
            "response 200 event image_generation.completed > usage > output_tokens_details",
        ),
        (
            "openai",
            "bounds",
            "response 200 event image_generation.partial_image > partial_image_index",
        ),
    ],
)
def test_known_difference_is_found(variant: str, facet: str, where: str) -> None:
    found = {(d.facet, d.where) for d in differences(load_spec(variant), reference(variant))}
    assert (facet, where) in found, f"expected a {facet} difference at {where} in {sorted(found)}"


def test_resolved_differences_are_gone() -> None:
    """azure's error `param`/`type` and its open request body now match Azure's reference."""
    found = {(d.facet, d.where) for d in differences(load_spec("azure"), reference("azure"))}
    assert ("nullable", "response 400 > error > param") not in found
    assert ("nullable", "response 400 > error > type") not in found
    assert ("additionalProperties", "request body") not in found


def test_planted_difference_fails() -> None:
    spec = copy.deepcopy(load_spec("azure"))
    spec["components"]["schemas"]["ImageGenerationsRequest"]["properties"]["user"]["maxLength"] = 64
    missing = unexplained_in(spec, "azure")
    assert len(missing) == 1, missing
    assert missing[0].startswith("bounds at request body > user"), missing


def test_planted_enum_on_a_referenced_component_fails() -> None:
    spec = copy.deepcopy(load_spec("dalle"))
    spec["components"]["schemas"]["ImageStyle"]["enum"] = ["vivid"]
    missing = unexplained_in(spec, "dalle")
    assert [line.split(":")[0] for line in missing] == ["enum at request body > style"], missing


def test_removed_entry_fails() -> None:
    spec = copy.deepcopy(load_spec("gpt-image"))
    del spec["components"]["schemas"]["CreateImageRequest"]["properties"]["n"][
        "x-imagegen-provenance"
    ]
    missing = unexplained_in(spec, "gpt-image")
    assert [line.split(":")[0] for line in missing] == ["bounds at request body > n"], missing


def test_entry_for_another_facet_does_not_explain() -> None:
    spec = copy.deepcopy(load_spec("gpt-image"))
    entry = spec["components"]["schemas"]["CreateImageRequest"]["properties"]["n"][
        "x-imagegen-provenance"
    ][0]
    entry["facets"] = ["default"]
    assert unexplained_in(spec, "gpt-image"), "an entry naming `default` must not explain bounds"


def test_planted_security_alternative_fails() -> None:
    spec = copy.deepcopy(load_spec("dalle"))
    spec["components"]["securitySchemes"]["apiKey"] = {
        "type": "apiKey",
        "in": "header",
        "name": "k",
    }
    spec["security"].append({"apiKey": []})
    missing = unexplained_in(spec, "dalle")
    assert [line.split(":")[0] for line in missing] == ["security at security apiKey/header/k"]


def test_reference_spellings_are_read_as_published() -> None:
    """OpenAPI 3.0 `nullable`, OpenAI's anyOf of a string and an enum, Azure's allOf."""
    ours = {
        "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {"schema": {
            "type": "object",
            "properties": {
                "model": {"type": ["string", "null"]},
                "size": {"anyOf": [{"$ref": "#/components/schemas/Size"}, {"type": "null"}]},
                "error": {"type": "object", "properties": {"code": {"type": "string"}}},
            },
        }}}}, "responses": {}}}},
        "components": {"schemas": {"Size": {"type": "string", "enum": ["a", "b"]}}},
    }  # fmt: skip
    theirs = {
        "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {"schema": {
            "type": "object",
            "properties": {
                "model": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["m"]}],
                          "nullable": True},
                "size": {"type": "string", "enum": ["b", "a"], "nullable": True},
                "error": {"allOf": [{"$ref": "#/components/schemas/Base"}]},
            },
        }}}}, "responses": {}}}},
        "components": {"schemas": {"Base": {"type": "object",
                                            "properties": {"code": {"type": "string"}}}}},
    }  # fmt: skip
    assert differences(ours, theirs) == []


def test_a_streamed_event_the_spec_lacks_is_a_difference() -> None:
    spec = copy.deepcopy(load_spec("openai"))
    union = spec["components"]["schemas"]["ImageGenStreamEvent"]
    union["oneOf"] = [
        branch for branch in union["oneOf"] if not branch["$ref"].endswith("PartialImageEvent")
    ]
    found = {(d.facet, d.where) for d in differences(spec, reference("openai"))}
    expected = ("properties", "response 200 event image_generation.partial_image")
    assert expected in found, f"expected {expected} among {sorted(found)}"
