"""The README's copy of the comparison, kept between two markers and refreshed by the build."""

from __future__ import annotations

from pathlib import Path

from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.shared.blocks import Markers, rewrite

README = REPO_ROOT / "README.md"
START = "<!-- comparison:start -->"
END = "<!-- comparison:end -->"


MARKERS = Markers(START, END)


def with_comparison(readme: str, block: str) -> str:
    """The README text with `block` between the markers (MarkerError if they are missing)."""
    return MARKERS.replace(
        readme,
        block,
        f"the README must hold the markers {START} and {END} (in that order) on lines of "
        "their own; the comparison is written between them",
    )


def readme_comparison(readme: str) -> str:
    """The text between the markers, stripped (MarkerError if they are missing)."""
    return MARKERS.read(readme, f"the README has no {START} ... {END} block")


def refresh_readme(block: str, path: Path = README) -> bool:
    """Write `block` into the README between the markers; return whether the file changed."""
    return rewrite(path, lambda readme: with_comparison(readme, block))
