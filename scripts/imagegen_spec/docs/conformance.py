"""The conformance summary the conformance runner leaves in reports/, rendered for the site."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.docs.render_html import markdown_html

CONFORMANCE_SUMMARIES = (
    REPO_ROOT / "reports" / "conformance" / "summary.md",
    REPO_ROOT / "reports" / "conformance.md",
)
"""Where the conformance summary may be, in order of preference (the first found is shown)."""

_TITLE = re.compile(r"\A\s*# [^\n]*\n")
_SECTION = re.compile(r"^## ", re.MULTILINE)


def find_summary(candidates: Iterable[Path] = CONFORMANCE_SUMMARIES) -> Path | None:
    """The first conformance summary that exists, or None."""
    return next((path for path in candidates if path.is_file()), None)


def summary_html(markdown: str) -> str:
    """Render a summary's Markdown (CommonMark and tables; raw HTML is escaped, not passed)."""
    return markdown_html(markdown)


def overview_html(markdown: str) -> str:
    """The summary's overview for the index: its text before the first section, untitled."""
    overview = _SECTION.split(_TITLE.sub("", markdown, count=1), maxsplit=1)[0]
    return markdown_html(overview)
