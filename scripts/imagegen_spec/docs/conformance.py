"""The conformance summary the conformance runner leaves in reports/, rendered for the site."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from markdown_it import MarkdownIt

from imagegen_spec.core.specs import REPO_ROOT

CONFORMANCE_SUMMARIES = (
    REPO_ROOT / "reports" / "conformance" / "summary.md",
    REPO_ROOT / "reports" / "conformance.md",
)
"""Where the conformance summary may be, in order of preference (the first found is shown)."""


def find_summary(candidates: Iterable[Path] = CONFORMANCE_SUMMARIES) -> Path | None:
    """The first conformance summary that exists, or None."""
    return next((path for path in candidates if path.is_file()), None)


def summary_html(markdown: str) -> str:
    """Render a summary's Markdown (CommonMark and tables; raw HTML is escaped, not passed)."""
    renderer = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    return str(renderer.render(markdown))
