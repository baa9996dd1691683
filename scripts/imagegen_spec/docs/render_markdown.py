"""The comparison as GitHub-flavoured Markdown (the README's copy)."""

from __future__ import annotations

from imagegen_spec.docs.compare import Cell, Comparison, Row, Section
from imagegen_spec.shared.tables import markdown_row

MISSING_MARK = "—"
DIFFERS_MARK = "≠"
LEGEND = (
    f"Generated from `spec/*.yaml` by `nox -s generate` (and `nox -s docs`); do not edit by hand. "
    f"`{DIFFERS_MARK}` marks a row whose variants differ, **bold** the cells that differ from "
    f"the others, `{MISSING_MARK}` a variant without that field, `none` a field that does not "
    f"set that facet."
)


def render_markdown(comparison: Comparison, heading_level: int = 3) -> str:
    """Render the comparison as Markdown: a legend and one table per section."""
    parts = [LEGEND]
    for section in comparison.sections:
        parts.append(f"{'#' * heading_level} {section.title}")
        parts.append(escape(section.note, code=True))
        parts.append(_table(comparison.variants, section))
    return "\n\n".join(parts) + "\n"


def _table(variants: tuple[str, ...], section: Section) -> str:
    header = [DIFFERS_MARK, "field", *(["facet"] if section.has_facets else []), *variants]
    lines = [markdown_row(header), markdown_row(["---"] * len(header))]
    previous_label = None
    for row in section.rows:
        label = f"`{row.label}`" if row.label != previous_label else ""
        previous_label = row.label
        cells = [_cell(row, variant) for variant in variants]
        facet = [row.facet] if section.has_facets else []
        lines.append(markdown_row([DIFFERS_MARK if row.differs else "", label, *facet, *cells]))
    return "\n".join(lines)


def _cell(row: Row, variant: str) -> str:
    cell: Cell = row.cells[variant]
    if cell is None:
        return MISSING_MARK
    text = "<br>".join(escape(line) for line in cell)
    return f"**{text}**" if variant in row.odd_variants else text


def escape(text: str, code: bool = False) -> str:
    """Escape text for a Markdown table cell; with `code`, keep `backticks` as code spans."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return text if code else text.replace("`", "\\`")
