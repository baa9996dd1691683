"""The spec copy the generators read: request defaults become prose, everything else stays."""

from __future__ import annotations

import copy
from typing import Any

from imagegen_spec.core.operation import operation
from imagegen_spec.generate.generator_spec import default_note, generator_spec, listed_default

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/images": {
            "post": {
                "parameters": [{"$ref": "#/components/parameters/Version"}],
                "requestBody": {"$ref": "#/components/requestBodies/Create"},
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Out"}}
                        }
                    }
                },
            }
        }
    },
    "components": {
        "parameters": {
            "Version": {"name": "v", "in": "query", "schema": {"type": "string", "default": "1"}}
        },
        "requestBodies": {
            "Create": {
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}
            }
        },
        "schemas": {
            "In": {
                "type": "object",
                "properties": {
                    "size": {"$ref": "#/components/schemas/Size", "default": "big"},
                    "n": {"type": "integer", "default": 1, "description": "How many."},
                },
            },
            "Size": {"type": "string", "enum": ["big", "small"]},
            "Out": {"type": "object", "properties": {"n": {"type": "integer", "default": 1}}},
        },
    },
}


def test_request_defaults_move_into_descriptions_and_responses_keep_theirs() -> None:
    original = copy.deepcopy(SPEC)
    copied = generator_spec(SPEC)
    assert original == SPEC, "expected the spec itself unchanged"
    schemas = copied["components"]["schemas"]
    fields = schemas["In"]["properties"]
    assert "default" not in fields["size"] and "default" not in fields["n"]
    assert fields["n"]["description"] == f"How many.\n\n{default_note(1)}\n"
    assert default_note("big") in fields["size"]["description"]
    assert listed_default("size", "big") in schemas["In"]["description"]
    assert listed_default("n", 1) in schemas["In"]["description"]
    version = copied["components"]["parameters"]["Version"]["schema"]
    assert "default" not in version and default_note("1") in version["description"]
    assert schemas["Out"]["properties"]["n"]["default"] == 1, "a response default stays"


def test_no_request_default_is_left_in_any_variant(variant: str) -> None:
    op = operation(variant)
    copied = generator_spec(op.spec)

    def defaults(node: Any, where: str) -> list[str]:
        if isinstance(node, dict):
            found = [where] if "default" in node else []
            return found + [p for k, v in node.items() for p in defaults(v, f"{where}/{k}")]
        if isinstance(node, list):
            return [p for i, v in enumerate(node) for p in defaults(v, f"{where}/{i}")]
        return []

    request_schema = copied["paths"][op.path][op.method]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    name = request_schema["$ref"].rsplit("/", 1)[-1]
    left = defaults(copied["components"]["schemas"][name], name)
    assert left == [], f"{variant}: request defaults left for the generators: {left}"
