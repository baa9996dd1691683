"""Tables for people: Markdown (reports, README, docs) and aligned plain text (terminals)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

LEFT = "---"
RIGHT = "---:"


def markdown_row(cells: Sequence[str]) -> str:
    """One Markdown table row (cells already escaped)."""
    return "| " + " | ".join(cells) + " |"


def markdown_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    align: Sequence[str] | None = None,
) -> str:
    """A Markdown table; `align` holds one `LEFT` or `RIGHT` per column (all left by default)."""
    rule = "|" + "|".join(align or [LEFT] * len(header)) + "|"
    return "\n".join([markdown_row(header), rule, *(markdown_row(row) for row in rows)])


def pipe_escape(text: str) -> str:
    """A cell's text with `|` escaped and line breaks made spaces (a row is one line)."""
    return text.replace("|", "\\|").replace("\n", " ")


def text_table(
    rows: Sequence[Sequence[str]], right: Collection[int] = (), indent: str = ""
) -> list[str]:
    """Rows as aligned text lines (columns two spaces apart); `right` columns are right-aligned."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines
