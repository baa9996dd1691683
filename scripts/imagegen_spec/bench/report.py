"""Where the report goes: reports/bench.md whole, and between markers in the docs and README."""

from __future__ import annotations

from pathlib import Path

from imagegen_spec.bench.table import BenchReport, render_markdown, render_summary
from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.shared.blocks import Markers, rewrite

REPORT = REPO_ROOT / "reports" / "bench.md"
DOCS = REPO_ROOT / "docs" / "benchmarks.md"
README = REPO_ROOT / "README.md"
START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
MARKERS = Markers(START, END)


def with_block(text: str, block: str, where: str) -> str:
    """`text` with `block` between the bench markers; MarkerError naming `where` if absent."""
    return MARKERS.replace(text, block, f"{where} must hold {START} and {END} (in that order)")


def write_block(path: Path, block: str) -> bool:
    """Write `block` between the markers of a file; return whether the file changed."""
    return rewrite(path, lambda text: with_block(text, block, str(path)))


def write_report(report: BenchReport, path: Path = REPORT) -> Path:
    """Write the whole report as Markdown (reports/ is not committed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Benchmarks\n\n" + render_markdown(report), encoding="utf-8")
    return path


def publish(report: BenchReport, docs: Path = DOCS, readme: Path = README) -> list[Path]:
    """Put the full tables into the docs page and the summary into the README."""
    changed = []
    if write_block(docs, render_markdown(report)):
        changed.append(docs)
    if write_block(readme, render_summary(report)):
        changed.append(readme)
    return changed
