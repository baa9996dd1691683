"""The `x-imagegen-provenance` extension: the evidence behind a spec's decisions.

A spec's `description`s speak to API callers; the evidence (what the provider's page says, what
the public reference says, and why the spec chose as it did) sits beside the part it explains as
a list of entries:

    x-imagegen-provenance:
      - facets: [bounds]            # what the entry explains (FACETS)
        fields: [input_tokens]      # optional: on an object, the properties it speaks for
        source: the provider page's words
        reference: the public reference's words
        decision: what the spec decides, and why
        summary: optional one line; entries with one make the README's table
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from imagegen_spec.core.pointers import escape_pointer_token

KEYWORD: Final = "x-imagegen-provenance"

ComparedFacet = Literal[
    "type",
    "enum",
    "default",
    "bounds",
    "required",
    "nullable",
    "additionalProperties",
    "properties",
    "security",
    "parameters",
]
"""The facets the reference check compares: a difference in one needs an entry naming it."""
DecisionFacet = Literal["overview", "responses", "rule", "meaning", "servers"]
"""Decisions with no facet of the reference to compare: the API as a whole, declared error
responses, cross-field rules, what a value means, server URLs."""
Facet = ComparedFacet | DecisionFacet
COMPARED_FACETS: Final = frozenset(get_args(ComparedFacet))
FACETS: Final = COMPARED_FACETS | frozenset(get_args(DecisionFacet))

_TEXT_FIELDS = ("source", "reference", "decision")
_KEYS = frozenset({"facets", "fields", *_TEXT_FIELDS, "summary"})
_PROSE_KEYS = ("description", "summary", "title")
_INTERNAL_WORD = re.compile(r"\bseeds?\b", re.IGNORECASE)
"""The project's internal name for the provider pages; callers know them by their address."""


@dataclass(frozen=True)
class Provenance:
    """One entry, with the JSON pointer of the spec node that carries it."""

    pointer: str
    facets: tuple[str, ...]
    fields: tuple[str, ...]
    source: str
    reference: str
    decision: str
    summary: str | None

    def explains(self, facet: str, field: str | None = None) -> bool:
        """Tell whether this entry speaks for a facet (of one property, when `fields` is set)."""
        if facet not in self.facets:
            return False
        return not self.fields or field in self.fields


def _walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every mapping in a document with its JSON pointer, not entering provenance values."""
    if isinstance(node, Mapping):
        yield pointer, node
        for key, value in node.items():
            if key != KEYWORD:
                yield from _walk(value, f"{pointer}/{escape_pointer_token(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")


def collect(spec: Mapping[str, Any]) -> list[Provenance]:
    """Every well-formed provenance entry of a spec, in document order (see `problems`)."""
    found = []
    for pointer, node in _walk(spec):
        entries = node.get(KEYWORD)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, Mapping) or _entry_problems(entry):
                continue
            summary = entry.get("summary")
            found.append(
                Provenance(
                    pointer=pointer,
                    facets=tuple(entry["facets"]),
                    fields=tuple(entry.get("fields", ())),
                    source=_prose(entry["source"]),
                    reference=_prose(entry["reference"]),
                    decision=_prose(entry["decision"]),
                    summary=_prose(summary) if summary is not None else None,
                )
            )
    return found


def by_pointer(entries: list[Provenance]) -> dict[str, list[Provenance]]:
    """The entries grouped by the pointer of the node that carries them."""
    grouped: dict[str, list[Provenance]] = {}
    for entry in entries:
        grouped.setdefault(entry.pointer, []).append(entry)
    return grouped


def problems(spec: Mapping[str, Any]) -> list[str]:
    """What is wrong with a spec's provenance entries and caller-facing prose ([] if nothing)."""
    found = []
    for pointer, node in _walk(spec):
        for key in _PROSE_KEYS:
            text = node.get(key)
            if isinstance(text, str) and _INTERNAL_WORD.search(text):
                found.append(
                    f"{pointer}/{key}: says 'seed'; name the provider by its documentation page"
                )
        if KEYWORD not in node:
            continue
        entries = node[KEYWORD]
        if not isinstance(entries, list) or not entries:
            found.append(f"{pointer}/{KEYWORD}: must be a non-empty list of entries")
            continue
        for index, entry in enumerate(entries):
            where = f"{pointer}/{KEYWORD}/{index}"
            if not isinstance(entry, Mapping):
                found.append(f"{where}: an entry must be a mapping")
                continue
            found += [f"{where}: {problem}" for problem in _entry_problems(entry)]
            for text in (entry.get(key) for key in (*_TEXT_FIELDS, "summary")):
                if isinstance(text, str) and _INTERNAL_WORD.search(text):
                    found.append(f"{where}: says 'seed'; name the provider by its page")
            fields = entry.get("fields", [])
            declared = node.get("properties", {})
            unknown = [name for name in fields if isinstance(name, str) and name not in declared]
            if unknown:
                found.append(f"{where}: fields {unknown} are not properties of this schema")
    return found


def _entry_problems(entry: Mapping[str, Any]) -> list[str]:
    found = []
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        found.append(f"unknown keys {unknown}; an entry holds {sorted(_KEYS)}")
    facets = entry.get("facets")
    if not isinstance(facets, list) or not facets:
        found.append(f"`facets` must be a non-empty list of {sorted(FACETS)}")
    else:
        wrong = [facet for facet in facets if facet not in FACETS]
        if wrong:
            found.append(f"unknown facets {wrong}; known: {sorted(FACETS)}")
    fields = entry.get("fields", [])
    if not isinstance(fields, list) or not all(isinstance(name, str) for name in fields):
        found.append("`fields` must be a list of property names")
    for key in _TEXT_FIELDS:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            found.append(f"`{key}` must be a non-empty string")
    if "summary" in entry and (not isinstance(entry["summary"], str) or not entry["summary"]):
        found.append("`summary` must be a non-empty string when given")
    return found


def _prose(text: str) -> str:
    """A text on one line (YAML block scalars keep their line breaks)."""
    return " ".join(text.split())
