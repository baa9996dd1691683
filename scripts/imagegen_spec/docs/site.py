"""Build the static docs site: index, references, comparison, conformance, docs pages, llms.txt.

Layout of the output directory:
    index.html                   the variants with their versions, links, latest conformance
    comparison.html              how the variants differ (generated from the specs)
    comparison.md                the same as Markdown (the README's copy, with its headings)
    conformance.html             the conformance summary, when reports/ holds one
    reference/VARIANT.html       Redoc's API reference of each variant (of its derived copy)
    reference/VARIANT.md         the Markdown reference of each variant
    assets/redoc-V.standalone.js Redoc's script, one file shared by the references
    specs/VARIANT.yaml           each spec, as stored (the real one, not Redoc's copy)
    docs/NAME.html, docs/NAME.md every Markdown page of the repository's docs/
    llms.txt                     the site for language models (the llms.txt convention)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imagegen_spec.core.operation import operation
from imagegen_spec.core.specs import REPO_ROOT, load_spec, spec_path, spec_sha256, variants
from imagegen_spec.docs.compare import Comparison, build_comparison
from imagegen_spec.docs.conformance import (
    CONFORMANCE_SUMMARIES,
    find_summary,
    overview_html,
    summary_html,
)
from imagegen_spec.docs.derived import derived_spec
from imagegen_spec.docs.llms import COMPARISON_MARKDOWN, llms_txt
from imagegen_spec.docs.offline import make_offline
from imagegen_spec.docs.redoc import DocsBuildError, build_reference, redocly_version
from imagegen_spec.docs.redoc_bundle import shared_bundle, use_shared_bundle
from imagegen_spec.docs.reference_markdown import reference_markdown
from imagegen_spec.docs.render_html import (
    HEADER_HEIGHT_PX,
    ConformanceSummary,
    DocPage,
    SiteMap,
    VariantPage,
    render_comparison,
    render_conformance,
    render_doc_page,
    render_index,
    with_site_header,
)
from imagegen_spec.docs.render_markdown import render_markdown
from imagegen_spec.docs.samples import redoc_languages

DEFAULT_OUT = REPO_ROOT / "site"
DOCS_DIR = REPO_ROOT / "docs"
"""The repository's Markdown pages (benchmarks, decisions, gateways, ...): each is shown."""
GENERATED_FOLDERS = ("reference", "assets", "specs", "docs")
"""The output's folders the build owns: emptied before each build, so nothing stale stays."""


@dataclass(frozen=True)
class SiteReport:
    """What a build wrote."""

    out_dir: Path
    pages: tuple[Path, ...]
    neutralised: dict[str, list[str]]
    conformance_source: Path | None
    comparison: Comparison
    site: SiteMap

    @property
    def total_bytes(self) -> int:
        """The weight of the whole site: every file it wrote, in bytes."""
        return sum(path.stat().st_size for path in self.pages)


def reference_path(variant: str) -> str:
    """Where a variant's API reference page is, relative to the site root."""
    return f"reference/{variant}.html"


def reference_markdown_path(variant: str) -> str:
    """Where a variant's Markdown reference is, relative to the site root."""
    return f"reference/{variant}.md"


def doc_pages(docs_dir: Path = DOCS_DIR) -> tuple[DocPage, ...]:
    """The Markdown pages of `docs/`, sorted by file name, titled by their stem."""
    return tuple(
        DocPage(
            key=f"docs:{path.stem}",
            title=path.stem.replace("-", " ").replace("_", " ").capitalize(),
            source=_display(path),
            href=f"docs/{path.stem}.html",
            markdown=f"docs/{path.name}",
        )
        for path in sorted(docs_dir.glob("*.md"))
    )


def site_map(
    comparison: Comparison,
    conformance_source: Path | None,
    pages: tuple[DocPage, ...] = (),
) -> SiteMap:
    """What the site's own pages show, read from the specs, the comparison and the summary."""
    found = []
    for variant in comparison.variants:
        info = load_spec(variant)["info"]
        found.append(
            VariantPage(
                name=variant,
                title=str(info["title"]),
                summary=str(info.get("summary", "")),
                version=str(info["version"]),
                sha256=spec_sha256(variant),
                reference=reference_path(variant),
                reference_markdown=reference_markdown_path(variant),
                spec=f"specs/{variant}.yaml",
            )
        )
    rows = [row for section in comparison.sections for row in section.rows]
    conformance = None
    if conformance_source is not None:
        markdown = conformance_source.read_text(encoding="utf-8")
        conformance = ConformanceSummary(_display(conformance_source), overview_html(markdown))
    return SiteMap(
        variants=tuple(found),
        pages=pages,
        differing_rows=sum(row.differs for row in rows),
        total_rows=len(rows),
        redocly_version=redocly_version(),
        conformance=conformance,
        reference=comparison.reference,
    )


def build_site(
    out_dir: Path = DEFAULT_OUT,
    *,
    conformance_candidates: Iterable[Path] = CONFORMANCE_SUMMARIES,
    chosen: Iterable[str] | None = None,
    docs_dir: Path = DOCS_DIR,
    base_url: str = "",
) -> SiteReport:
    """Build the whole site into `out_dir` (made if missing; our own files are replaced).

    `base_url` (the published site's URL, ending in `/`) makes the links of llms.txt absolute.
    """
    comparison = build_comparison(chosen if chosen is not None else variants())
    conformance_source = find_summary(tuple(conformance_candidates))
    pages = doc_pages(docs_dir)
    site = site_map(comparison, conformance_source, pages)
    out_dir.mkdir(parents=True, exist_ok=True)
    for folder in GENERATED_FOLDERS:
        shutil.rmtree(out_dir / folder, ignore_errors=True)
    written: list[Path] = []
    neutralised: dict[str, list[str]] = {}

    redoc_pages = _redoc_pages(comparison.variants)
    bundle = shared_bundle(next(iter(redoc_pages.values())))
    written.append(_write(out_dir / "assets" / bundle.name, bundle.text))
    for variant, html in redoc_pages.items():
        target = out_dir / reference_path(variant)
        if shared_bundle(html).name != bundle.name:
            raise DocsBuildError(f"{target.name}: built for another Redoc bundle")
        html = use_shared_bundle(html, f"../assets/{bundle.name}")
        html = with_site_header(html, site, f"reference:{variant}", root="../")
        try:
            html, removed = make_offline(html)
        except ValueError as error:
            raise DocsBuildError(f"{target.name}: {error}") from None
        neutralised[reference_path(variant)] = removed
        written.append(_write(target, html))
        markdown = reference_markdown(operation(variant), f"../specs/{variant}.yaml")
        written.append(_write(out_dir / reference_markdown_path(variant), markdown))
        spec_copy = out_dir / "specs" / f"{variant}.yaml"
        spec_copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(spec_path(variant), spec_copy)
        written.append(spec_copy)

    written.append(_write(out_dir / "comparison.html", render_comparison(site, comparison)))
    markdown = "# How the variants differ\n\n" + render_markdown(comparison, heading_level=2)
    written.append(_write(out_dir / COMPARISON_MARKDOWN, markdown))
    conformance_page = out_dir / "conformance.html"
    if conformance_source is not None:
        summary = summary_html(conformance_source.read_text(encoding="utf-8"))
        written.append(_write(conformance_page, render_conformance(site, summary)))
    else:
        conformance_page.unlink(missing_ok=True)  # a stale page from an earlier build
    for page in pages:
        markdown = (docs_dir / Path(page.markdown).name).read_text(encoding="utf-8")
        written.append(_write(out_dir / page.href, render_doc_page(site, page, markdown)))
        written.append(_write(out_dir / page.markdown, markdown))
    written.append(_write(out_dir / "index.html", render_index(site)))
    written.append(_write(out_dir / "llms.txt", llms_txt(site, base_url)))
    return SiteReport(out_dir, tuple(written), neutralised, conformance_source, comparison, site)


def redoc_options(variant: str) -> dict[str, Any]:
    """Redoc's options for a reference: the real spec to download, the header, the samples."""
    spec = f"../specs/{variant}.yaml"
    return {
        "downloadUrls": [{"url": spec, "title": f"{variant}.yaml"}],
        "scrollYOffset": HEADER_HEIGHT_PX,
        "codeSamples": {"languages": redoc_languages()},
    }


def _redoc_pages(chosen: Iterable[str]) -> Mapping[str, str]:
    """Redoc's page of each variant's derived copy (one Redocly run per spec, in parallel)."""
    chosen = tuple(chosen)
    with tempfile.TemporaryDirectory() as scratch:
        outputs = {variant: Path(scratch) / f"{variant}.html" for variant in chosen}
        inputs = {}
        for variant in chosen:
            inputs[variant] = Path(scratch) / f"{variant}.json"
            inputs[variant].write_text(
                json.dumps(derived_spec(operation(variant)), ensure_ascii=False), encoding="utf-8"
            )
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            runs = [
                pool.submit(build_reference, inputs[variant], output, redoc_options(variant))
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
