"""The README's copy of the comparison, kept between two markers and refreshed by the build."""

from __future__ import annotations

from pathlib import Path

from imagegen_spec.specs import REPO_ROOT

README = REPO_ROOT / "README.md"
START = "<!-- comparison:start -->"
END = "<!-- comparison:end -->"


def with_comparison(readme: str, block: str) -> str:
    """The README text with `block` between the markers (ValueError if they are missing)."""
    start = readme.find(START)
    end = readme.find(END)
    if start < 0 or end < start:
        raise ValueError(
            f"the README must hold the markers {START} and {END} (in that order) on lines of "
            "their own; the comparison is written between them"
        )
    return readme[: start + len(START)] + "\n\n" + block.strip() + "\n\n" + readme[end:]


def readme_comparison(readme: str) -> str:
    """The text between the markers, stripped (ValueError if they are missing)."""
    start = readme.find(START)
    end = readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {START} ... {END} block")
    return readme[start + len(START) : end].strip()


def refresh_readme(block: str, path: Path = README) -> bool:
    """Write `block` into the README between the markers; return whether the file changed."""
    current = path.read_text(encoding="utf-8")
    updated = with_comparison(current, block)
    if updated == current:
        return False
    path.write_text(updated, encoding="utf-8")
    return True
