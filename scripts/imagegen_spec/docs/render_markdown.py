"""The comparison as GitHub-flavoured Markdown (the README's copy)."""

from __future__ import annotations

from imagegen_spec.docs.compare import Cell, Comparison, Departure, Row, Section
from imagegen_spec.shared.tables import markdown_row

MISSING_MARK = "—"
DIFFERS_MARK = "≠"
GENERATED = (
    "Generated from `spec/*.yaml` by `nox -s generate` (and `nox -s docs`); do not edit by hand."
)
LEGEND = (
    f"{GENERATED} `{DIFFERS_MARK}` marks a row whose variants differ, **bold** the cells that "
    f"differ from the others, `{MISSING_MARK}` a variant without that field, `none` a field "
    f"that does not set that facet."
)
COUNT_COLUMNS: dict[Departure, str] = {
    Departure.SAME: "entries as {reference}",
    Departure.DIFFERS: "entries that differ",
    Departure.ABSENT: "entries it lacks",
    Departure.ADDED: "entries only it has",
}
"""The providers' summary: a column counting each departure (`{reference}` is filled in)."""
FIELD_COLUMNS = (
    "request fields that differ",
    "request fields it lacks",
    "request fields only it has",
)
"""Then the request body fields that differ, are absent, are added (as `ProviderDepartures`)."""
SUMMARY_HEADER = ("provider", *COUNT_COLUMNS.values(), *FIELD_COLUMNS)


def legend(comparison: Comparison) -> str:
    """What the marks mean: against the reference when there is one, else against the majority."""
    reference = comparison.reference
    if reference is None:
        return LEGEND
    return (
        f"{GENERATED} Each provider is read against `{reference}` (the first column): **bold** "
        f"marks a provider's cell that differs from `{reference}`'s (or a row `{reference}` "
        f"lacks), `{MISSING_MARK}` a variant without that field, `{DIFFERS_MARK}` a row whose "
        f"variants differ, `none` a field that does not set that facet."
    )


def render_markdown(comparison: Comparison, heading_level: int = 3) -> str:
    """Render the comparison as Markdown: a legend, the providers' summary, one table a section."""
    parts = [legend(comparison)]
    if comparison.reference is not None:
        parts.append(f"{'#' * heading_level} Each provider against {comparison.reference}")
        parts.append(summary_note(comparison))
        parts.append(summary_table(comparison))
    for section in comparison.sections:
        parts.append(f"{'#' * heading_level} {section.title}")
        parts.append(escape(section.note, code=True))
        parts.append(_table(comparison, section))
    return "\n\n".join(parts) + "\n"


def summary_note(comparison: Comparison) -> str:
    """The sentence above the providers' summary."""
    return (
        f"How many entries of the tables below (an entry: a row's field with all its facets) "
        f"each provider shares with `{comparison.reference}`, changes, lacks or adds, and the "
        "request body fields concerned."
    )


def summary_table(comparison: Comparison) -> str:
    """One line per provider: its departures from the reference, counted and named."""
    header = [column.format(reference=comparison.reference) for column in SUMMARY_HEADER]
    lines = [markdown_row(header), markdown_row(["---"] * len(header))]
    for found in comparison.departures():
        counts = [str(found.counts[departure]) for departure in COUNT_COLUMNS]
        fields = [
            ", ".join(f"`{name}`" for name in names) or "none"
            for names in (found.differing_fields, found.absent_fields, found.added_fields)
        ]
        lines.append(markdown_row([f"`{found.variant}`", *counts, *fields]))
    return "\n".join(lines)


def _table(comparison: Comparison, section: Section) -> str:
    variants = comparison.variants
    header = [DIFFERS_MARK, "field", *(["facet"] if section.has_facets else []), *variants]
    lines = [markdown_row(header), markdown_row(["---"] * len(header))]
    previous_label = None
    for row in section.rows:
        label = f"`{row.label}`" if row.label != previous_label else ""
        previous_label = row.label
        marked = comparison.marked(row)
        cells = [_cell(row, variant, variant in marked) for variant in variants]
        facet = [row.facet] if section.has_facets else []
        lines.append(markdown_row([DIFFERS_MARK if row.differs else "", label, *facet, *cells]))
    return "\n".join(lines)


def _cell(row: Row, variant: str, marked: bool) -> str:
    cell: Cell = row.cells[variant]
    if cell is None:
        return MISSING_MARK
    text = "<br>".join(escape(line) for line in cell)
    return f"**{text}**" if marked else text


def escape(text: str, code: bool = False) -> str:
    """Escape text for a Markdown table cell; with `code`, keep `backticks` as code spans."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return text if code else text.replace("`", "\\`")
