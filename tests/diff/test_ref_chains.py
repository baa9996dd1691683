"""A `$ref` to a component that is itself a `$ref` with keywords beside it (a chain).

When the diff follows a retargeted or removed `$ref`, the keywords along the chain (here a
`default` next to the inner `$ref`) must be compared too, not only the chain's end.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from imagegen_spec.core.specs import Spec, load_spec
from imagegen_spec.diff.schema_diff import SpecDiffError
from imagegen_spec.diff.spec_diff import diff_specs

SCHEMAS = "#/components/schemas/"


def with_size(spec: Spec, size: Any, **components: Any) -> Spec:
    """azure's spec whose request `size` is `size`, with extra component schemas."""
    edited = copy.deepcopy(spec)
    schemas = edited["components"]["schemas"]
    schemas.update(components)
    schemas["ImageGenerationsRequest"]["properties"]["size"] = size
    return edited


@pytest.fixture
def chained() -> Spec:
    """`size` is a `$ref` to SizeA, which is a `$ref` to ImageSize beside a default."""
    size_a = {"$ref": SCHEMAS + "ImageSize", "default": "1024x1024"}
    return with_size(load_spec("azure"), {"$ref": SCHEMAS + "SizeA"}, SizeA=size_a)


def rule_ids(old: Spec, new: Spec) -> dict[str, str]:
    return {change.rule.id: change.detail for change in diff_specs(old, new)}


def test_a_retargeted_ref_compares_the_keywords_along_each_chain(chained: Spec) -> None:
    size_b = {"$ref": SCHEMAS + "ImageSize", "default": "256x256"}
    new = with_size(chained, {"$ref": SCHEMAS + "SizeB"}, SizeB=size_b)
    found = rule_ids(chained, new)
    assert "ref-retargeted" in found, f"expected the retarget reported: {found}"
    assert found.get("default-changed") == '"1024x1024" → "256x256"', (
        f"expected the default beside the inner $ref compared: {found}"
    )


def test_a_ref_replaced_inline_compares_the_keywords_along_its_chain(chained: Spec) -> None:
    image_size = chained["components"]["schemas"]["ImageSize"]
    new = with_size(chained, {**image_size, "default": "256x256"})
    found = rule_ids(chained, new)
    assert found.get("default-changed") == '"1024x1024" → "256x256"', (
        f"expected a changed default, not an added one: {found}"
    )
    assert "default-added" not in found, f"expected the old default to be seen: {found}"


def test_a_circular_chain_is_a_clear_error(chained: Spec) -> None:
    old = with_size(
        chained,
        {"$ref": SCHEMAS + "Loop"},
        Loop={"$ref": SCHEMAS + "Loop2"},
        Loop2={"$ref": SCHEMAS + "Loop"},
    )
    new = with_size(chained, {"type": "string"})
    with pytest.raises(SpecDiffError, match="circular \\$ref"):
        diff_specs(old, new)
