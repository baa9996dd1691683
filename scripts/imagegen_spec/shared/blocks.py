"""Text kept between two marker lines of a file (README, docs), replaced by a build."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from imagegen_spec.shared.errors import UserError


class MarkerError(UserError, ValueError):
    """A file lacks the markers a block is written between (or has them out of order)."""


@dataclass(frozen=True)
class Markers:
    """A pair of marker lines, e.g. `<!-- bench:start -->` and `<!-- bench:end -->`."""

    start: str
    end: str

    def _span(self, text: str) -> tuple[int, int] | None:
        start = text.find(self.start)
        end = text.find(self.end)
        return None if start < 0 or end < start else (start, end)

    def replace(self, text: str, block: str, missing: str) -> str:
        """`text` with `block` between the markers; MarkerError(`missing`) if they are absent."""
        span = self._span(text)
        if span is None:
            raise MarkerError(missing)
        start, end = span
        return text[: start + len(self.start)] + "\n\n" + block.strip() + "\n\n" + text[end:]

    def read(self, text: str, missing: str) -> str:
        """The text between the markers, stripped; MarkerError(`missing`) if they are absent."""
        span = self._span(text)
        if span is None:
            raise MarkerError(missing)
        start, end = span
        return text[start + len(self.start) : end].strip()


def rewrite(path: Path, edit: Callable[[str], str]) -> bool:
    """Apply `edit` to a file's text and write it back if it changed; return whether it did."""
    current = path.read_text(encoding="utf-8")
    updated = edit(current)
    if updated == current:
        return False
    path.write_text(updated, encoding="utf-8")
    return True
