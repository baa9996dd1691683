"""Following `$ref`s in a document: `resolve_ref` drops the keywords beside a `$ref`, `flatten`
keeps them over the target's."""

from __future__ import annotations

from typing import Any

import pytest

from imagegen_spec.core.pointers import RefError, flatten, resolve_ref
from imagegen_spec.core.specs import load_spec

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Size": {"type": "string", "enum": ["small", "large"], "description": "target"},
            "Alias": {"$ref": "#/components/schemas/Size", "description": "alias", "default": "s"},
            "Chain": {"$ref": "#/components/schemas/Alias", "title": "chain"},
            "Loop": {"$ref": "#/components/schemas/Loop2"},
            "Loop2": {"$ref": "#/components/schemas/Loop"},
            "Allow": True,
            "a/b~c": {"type": "integer"},
        },
        "parameters": [{"name": "first"}],
    }
}


def test_resolve_ref_follows_the_chain_and_drops_the_keywords_beside_each_ref() -> None:
    node = {"$ref": "#/components/schemas/Chain", "default": "large"}
    assert resolve_ref(DOCUMENT, node) == DOCUMENT["components"]["schemas"]["Size"], (
        "expected the end of the chain, without any keyword from beside a $ref"
    )


def test_resolve_ref_returns_a_node_without_ref_unchanged() -> None:
    node = {"type": "string"}
    assert resolve_ref(DOCUMENT, node) is node, "expected the very node back"
    assert resolve_ref(DOCUMENT, [1, 2]) == [1, 2], "expected a non-object back as it is"
    assert resolve_ref(DOCUMENT, None) is None, "expected None back"


def test_refs_unescape_pointer_tokens_and_index_lists() -> None:
    escaped = {"$ref": "#/components/schemas/a~1b~0c"}
    assert resolve_ref(DOCUMENT, escaped) == {"type": "integer"}, "expected ~1 as / and ~0 as ~"
    indexed = {"$ref": "#/components/parameters/0"}
    assert resolve_ref(DOCUMENT, indexed) == {"name": "first"}, "expected a list index to work"


def test_flatten_merges_the_keywords_beside_each_ref_the_outermost_winning() -> None:
    node = {"$ref": "#/components/schemas/Chain", "default": "large"}
    assert flatten(DOCUMENT, node) == {
        "type": "string",
        "enum": ["small", "large"],
        "description": "alias",
        "title": "chain",
        "default": "large",
    }, "expected the target's keywords, then each layer's, the node's own last"


def test_flatten_copies_and_never_changes_the_document() -> None:
    node = {"$ref": "#/components/schemas/Alias"}
    flat = flatten(DOCUMENT, node)
    flat["enum"] = []
    assert DOCUMENT["components"]["schemas"]["Size"]["enum"] == ["small", "large"], (
        "expected flatten to hand back a new dict"
    )
    assert "$ref" not in flat, "expected no $ref left in a flattened schema"


def test_flatten_of_a_non_object_is_empty_but_keeps_the_keywords_beside_a_ref() -> None:
    assert flatten(DOCUMENT, True) == {}, "expected a boolean schema to flatten to {}"
    assert flatten(DOCUMENT, None) == {}, "expected nothing to flatten to {}"
    node = {"$ref": "#/components/schemas/Allow", "description": "any"}
    assert flatten(DOCUMENT, node) == {"description": "any"}, "expected the sibling kept"


def test_flatten_keeps_the_default_beside_azures_size_ref() -> None:
    spec = load_spec("azure")
    size = spec["components"]["schemas"]["ImageGenerationsRequest"]["properties"]["size"]
    assert "$ref" in size and "default" in size, "the test expects azure's size to be a $ref"
    flat = flatten(spec, size)
    assert flat["default"] == size["default"], "expected the default beside the $ref"
    assert flat["enum"] == resolve_ref(spec, size)["enum"], "expected the target's enum"
    assert "default" not in resolve_ref(spec, size), "expected resolve_ref to drop the default"


@pytest.mark.parametrize("resolve", [resolve_ref, flatten])
@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("#/components/schemas/Missing", "cannot resolve \\$ref '#/components/schemas/Missing'"),
        ("#/components/parameters/7", "cannot resolve"),
        ("#/components/schemas/Size/enum/0/x", "cannot resolve"),
        ("#/components/schemas/Loop", "circular \\$ref '#/components/schemas/Loop'"),
        ("other.yaml#/Size", "only local \\$refs"),
        (42, "only local \\$refs .* found 42"),
    ],
)
def test_a_ref_that_cannot_be_followed_is_a_clear_error(
    resolve: Any, ref: object, message: str
) -> None:
    with pytest.raises(RefError, match=message):
        resolve(DOCUMENT, {"$ref": ref})
