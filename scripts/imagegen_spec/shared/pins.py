"""Exact pins (`name==version`) read from a dependency group, with `packaging`'s parser."""

from __future__ import annotations

from collections.abc import Iterable

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name


def exact_pins(requirements: Iterable[object]) -> dict[str, str]:
    """The `name==version` pins among requirement strings, by canonical name.

    Other entries (a range, an `{include-group}` table, an unparsable string) are skipped.
    """
    pins: dict[str, str] = {}
    for entry in requirements:
        if not isinstance(entry, str):
            continue
        try:
            requirement = Requirement(entry)
        except InvalidRequirement:
            continue
        specifiers = list(requirement.specifier)
        if len(specifiers) == 1 and specifiers[0].operator == "==":
            pins[canonicalize_name(requirement.name)] = specifiers[0].version
    return pins


def canonical(name: str) -> str:
    """A distribution name in its canonical form (PEP 503: lower case, runs of -_. as -)."""
    return str(canonicalize_name(name))
