"""Facts of a JSON Schema that several readers state: whether it takes null, and its bounds.

The docs' comparison and the change report both say whether a field is nullable and what its
bounds are; they read it here, so the two cannot disagree about one field. A schema accepts
null through any of these spellings, and `split_nullable` folds them into one flag:
`type: [T, 'null']`, a `{type: 'null'}` branch of an `anyOf`/`oneOf`, `null` among the values of
an `enum`, and OpenAPI 3.0's `nullable: true`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NULL_TYPE = "null"
NULLABLE_FLAG = "nullable"
"""OpenAPI 3.0's spelling; 3.1 has none, but older documents and hand edits still use it."""
BRANCH_KEYWORDS = ("anyOf", "oneOf")


@dataclass(frozen=True)
class BoundKeywords:
    """The keywords bounding one kind of size (`length`: minLength..maxLength)."""

    kind: str
    lower: str
    exclusive_lower: str | None
    upper: str
    exclusive_upper: str | None


BOUNDS = (
    BoundKeywords("", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"),
    BoundKeywords("length", "minLength", None, "maxLength", None),
    BoundKeywords("items", "minItems", None, "maxItems", None),
    BoundKeywords("properties", "minProperties", None, "maxProperties", None),
    BoundKeywords("contains", "minContains", None, "maxContains", None),
)
LOWER_BOUNDS = tuple(
    keyword
    for bound in BOUNDS
    for keyword in (bound.lower, bound.exclusive_lower)
    if keyword is not None
)
"""Every lower-bound keyword: raising one tightens a schema."""
UPPER_BOUNDS = tuple(
    keyword
    for bound in BOUNDS
    for keyword in (bound.upper, bound.exclusive_upper)
    if keyword is not None
)
"""Every upper-bound keyword: lowering one tightens a schema."""


def is_null_schema(node: Any) -> bool:
    """Tell whether a schema is `{type: 'null'}` (with at most a title or description)."""
    return (
        isinstance(node, Mapping)
        and node.get("type") == NULL_TYPE
        and set(node) <= {"type", "title", "description"}
    )


def is_nullable_wrapper(branches: list[Any]) -> bool:
    """Tell whether an anyOf/oneOf is `[X, {type: 'null'}]`: X, nullable."""
    return len(branches) == 2 and sum(is_null_schema(branch) for branch in branches) == 1


def split_nullable(schema: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema with its null spellings taken out, and whether it accepted null.

    A spelling is only taken out where something else remains: `type: 'null'` alone, or an
    `anyOf` of null branches only, is the null schema itself and stays as it is. An `anyOf`/
    `oneOf` left with one branch keeps it as a one-branch list (readers may merge it).
    """
    rest = dict(schema)
    nullable = rest.pop(NULLABLE_FLAG, False) is True
    types = rest.get("type")
    if isinstance(types, list) and NULL_TYPE in types and len(types) > 1:
        nullable = True
        others = [name for name in types if name != NULL_TYPE]
        rest["type"] = others[0] if len(others) == 1 else others
    for keyword in BRANCH_KEYWORDS:
        branches = rest.get(keyword)
        if not isinstance(branches, list) or len(branches) < 2:
            continue
        others = [branch for branch in branches if not is_null_schema(branch)]
        if others and len(others) < len(branches):
            nullable = True
            rest[keyword] = others
    values = rest.get("enum")
    if isinstance(values, list) and None in values and len(values) > 1:
        nullable = True
        rest["enum"] = [value for value in values if value is not None]
    return rest, nullable
