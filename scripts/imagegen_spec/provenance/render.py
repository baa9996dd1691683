"""The README's "What the specs decide" table and `docs/decisions.md`, from the entries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from imagegen_spec.core.pointers import resolve_pointer
from imagegen_spec.core.provenance import Provenance
from imagegen_spec.shared.blocks import Markers

START = "<!-- decisions:start -->"
END = "<!-- decisions:end -->"
MARKERS = Markers(START, END)
GENERATED_NOTE = (
    "Generated from the specs' `x-imagegen-provenance` entries by `nox -s docs`; "
    "do not edit by hand."
)


def _tokens(pointer: str) -> list[str]:
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]


def place(spec: Mapping[str, Any], pointer: str) -> str:
    """A readable name for the spec node at a pointer (`CreateImageRequest.n`, `parameter ...`)."""
    tokens = _tokens(pointer)
    if not tokens or tokens[0] == "info":
        return "the API"
    if tokens[0] == "servers":
        return f"server `{resolve_pointer(spec, pointer).get('url', '')}`"
    if tokens[0] == "paths":
        rest = tokens[3:]
        if rest[:1] == ["parameters"]:
            parameter = resolve_pointer(spec, "/" + "/".join(pointer.split("/")[1:6]))
            return f"parameter `{parameter['name']}` ({parameter['in']})"
        if rest[:1] == ["responses"]:
            return f"response {rest[1]}"
        if rest[:1] == ["requestBody"]:
            return "request body"
        return f"operation `{tokens[2].upper()} {tokens[1]}`"
    if tokens[:2] == ["components", "securitySchemes"]:
        return f"security scheme `{tokens[2]}`"
    if tokens[:2] == ["components", "responses"]:
        return f"response `{tokens[2]}`"
    if tokens[:2] == ["components", "schemas"]:
        name = tokens[2]
        parts = tokens[3:]
        index = 0
        while index < len(parts):
            part = parts[index]
            if part == "properties" and index + 1 < len(parts):
                name += "." + parts[index + 1]
                index += 2
                continue
            if part == "allOf" and index + 1 < len(parts):
                name += f" rule {int(parts[index + 1]) + 1}"
                index += 2
                continue
            if part == "items":
                name += "[]"
            index += 1
        return f"`{name}`"
    return f"`{pointer}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def readme_table(decisions: Mapping[str, tuple[Mapping[str, Any], list[Provenance]]]) -> str:
    """The table of the entries that carry a `summary`, by variant, in document order."""
    lines = [GENERATED_NOTE, "", "| variant | where | the spec decides |", "|---|---|---|"]
    for variant, (spec, entries) in decisions.items():
        for entry in entries:
            if entry.summary:
                where = place(spec, entry.pointer)
                lines.append(f"| {variant} | {_cell(where)} | {_cell(entry.summary)} |")
    return "\n".join(lines)


def decisions_page(decisions: Mapping[str, tuple[Mapping[str, Any], list[Provenance]]]) -> str:
    """The "Decisions and evidence" page: every entry of every spec, with its evidence."""
    out = [
        "# Decisions and evidence",
        "",
        GENERATED_NOTE,
        "",
        "Each spec follows its provider's documentation page and, where the page is silent, a "
        "public reference: Azure's data-plane inference spec (2025-01-01-preview) or OpenAI's "
        "openapi.yaml. Every place where a spec differs from its reference, or decides what the "
        "page leaves open, carries an `x-imagegen-provenance` entry: what the page says, what "
        "the reference says, and what the spec decides and why. A test compares each spec with "
        "its reference (type, enum, default, bounds, required, nullability, additional "
        "properties, security and parameters) and fails on a difference no entry explains.",
    ]
    for variant, (spec, entries) in decisions.items():
        out += ["", f"## {variant}", "", str(spec["info"]["title"]) + "."]
        for entry in entries:
            out += [
                "",
                f"### {place(spec, entry.pointer)}: {', '.join(entry.facets)}",
                "",
                f"- **The provider's page**: {entry.source}",
                f"- **The reference**: {entry.reference}",
                f"- **Decision**: {entry.decision}",
                f"- **In the spec**: `spec/{variant}.yaml#{entry.pointer}`",
            ]
    return "\n".join(out) + "\n"


def with_table(readme: str, table: str) -> str:
    """The README text with `table` between the decision markers (MarkerError if missing)."""
    return MARKERS.replace(readme, table, f"the README must hold {START} and {END}, in that order")
