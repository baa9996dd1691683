"""Build the static docs site: index, a Redoc reference per variant, comparison, conformance.

Layout of the output directory:
    index.html              the variants, links, conformance status
    comparison.html         how the variants differ (generated from the specs)
    conformance.html        the conformance summary, when reports/ holds one
    reference/VARIANT.html  Redoc's API reference of each variant
    specs/VARIANT.yaml      each spec, as stored
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from imagegen_spec.core.operation import operation
from imagegen_spec.core.specs import REPO_ROOT, load_spec, spec_path, spec_sha256, variants
from imagegen_spec.docs.compare import Comparison, build_comparison
from imagegen_spec.docs.conformance import CONFORMANCE_SUMMARIES, find_summary, summary_html
from imagegen_spec.docs.offline import make_offline
from imagegen_spec.docs.redoc import DocsBuildError, build_reference, redocly_version
from imagegen_spec.docs.render_html import (
    SiteMap,
    VariantPage,
    render_comparison,
    render_conformance,
    render_index,
)

DEFAULT_OUT = REPO_ROOT / "site"


@dataclass(frozen=True)
class SiteReport:
    """What a build wrote."""

    out_dir: Path
    pages: tuple[Path, ...]
    neutralised: dict[str, list[str]]
    conformance_source: Path | None
    comparison: Comparison


def reference_path(variant: str) -> str:
    """Where a variant's API reference page is, relative to the site root."""
    return f"reference/{variant}.html"


def site_map(
    comparison: Comparison,
    conformance_source: Path | None,
    conformance_candidates: Iterable[Path] = CONFORMANCE_SUMMARIES,
) -> SiteMap:
    """What the site's own pages show, read from the specs and the comparison."""
    pages = []
    for variant in comparison.variants:
        info = load_spec(variant)["info"]
        pages.append(
            VariantPage(
                name=variant,
                title=str(info["title"]),
                summary=str(info.get("summary", "")),
                sha256=spec_sha256(variant),
                reference=reference_path(variant),
                spec=f"specs/{variant}.yaml",
            )
        )
    rows = [row for section in comparison.sections for row in section.rows]
    return SiteMap(
        variants=tuple(pages),
        differing_rows=sum(row.differs for row in rows),
        total_rows=len(rows),
        redocly_version=redocly_version(),
        conformance_source=_display(conformance_source) if conformance_source else None,
        conformance_candidates=tuple(_display(path) for path in conformance_candidates),
    )


def build_site(
    out_dir: Path = DEFAULT_OUT,
    *,
    conformance_candidates: Iterable[Path] = CONFORMANCE_SUMMARIES,
    chosen: Iterable[str] | None = None,
) -> SiteReport:
    """Build the whole site into `out_dir` (made if missing; our own files are replaced)."""
    candidates = tuple(conformance_candidates)
    comparison = build_comparison(chosen if chosen is not None else variants())
    conformance_source = find_summary(candidates)
    site = site_map(comparison, conformance_source, candidates)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    neutralised: dict[str, list[str]] = {}

    for variant, html in _redoc_pages(comparison.variants).items():
        target = out_dir / reference_path(variant)
        try:
            html, removed = make_offline(html)
        except ValueError as error:
            raise DocsBuildError(f"{target.name}: {error}") from None
        neutralised[reference_path(variant)] = removed
        written.append(_write(target, html))
        spec_copy = out_dir / "specs" / f"{variant}.yaml"
        spec_copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(spec_path(variant), spec_copy)
        written.append(spec_copy)

    written.append(_write(out_dir / "comparison.html", render_comparison(site, comparison)))
    conformance_page = out_dir / "conformance.html"
    if conformance_source is not None:
        summary = summary_html(conformance_source.read_text(encoding="utf-8"))
        written.append(_write(conformance_page, render_conformance(site, summary)))
    else:
        conformance_page.unlink(missing_ok=True)  # a stale page from an earlier build
    written.append(_write(out_dir / "index.html", render_index(site)))
    return SiteReport(out_dir, tuple(written), neutralised, conformance_source, comparison)


def _redoc_pages(chosen: Iterable[str]) -> dict[str, str]:
    """Redoc's page of each variant, as Redocly writes it (one CLI run per spec, in parallel)."""
    chosen = tuple(chosen)
    for variant in chosen:
        operation(variant)  # a spec without exactly one operation fails here, clearly
    with tempfile.TemporaryDirectory() as scratch:
        outputs = {variant: Path(scratch) / f"{variant}.html" for variant in chosen}
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            runs = [
                pool.submit(build_reference, spec_path(variant), output)
                for variant, output in outputs.items()
            ]
            for run in runs:
                run.result()  # re-raises a DocsBuildError of any run
        return {variant: path.read_text(encoding="utf-8") for variant, path in outputs.items()}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _display(path: Path) -> str:
    """A path relative to the repository when it is inside it, else as given."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
