"""The built site's files: offline, one shared Redoc script, versions, conformance, weight."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from imagegen_spec.core.specs import REPO_ROOT, load_spec, spec_path, variants
from imagegen_spec.docs.compare import build_comparison
from imagegen_spec.docs.conformance import (
    CONFORMANCE_SUMMARIES,
    find_summary,
    overview_html,
    summary_html,
)
from imagegen_spec.docs.offline import CONTENT_SECURITY_POLICY, remote_asset_urls
from imagegen_spec.docs.render_html import render_index
from imagegen_spec.docs.render_markdown import render_markdown
from imagegen_spec.docs.site import (
    SiteReport,
    build_site,
    doc_pages,
    reference_markdown_path,
    reference_path,
    site_map,
)
from tests.docs.conftest import reuse_redoc_pages

# The whole site as `nox -s docs` built it at c118faf (before this layout): three references of
# 2.57 MB each, Redoc's script inlined into every one. The site must weigh at most half of what
# that layout would weigh with today's number of variants (one such reference each).
SITE_BYTES_BEFORE_THREE = 7_843_530
SITE_BYTES_BEFORE = SITE_BYTES_BEFORE_THREE * len(variants()) // 3
SITE_BYTES_BUDGET = SITE_BYTES_BEFORE // 2


def test_the_site_has_every_page(site: SiteReport) -> None:
    pages = {page.relative_to(site.out_dir).as_posix() for page in site.out_dir.rglob("*.html")}
    assert pages == {
        "index.html",
        "comparison.html",
        "conformance.html",
        *(reference_path(variant) for variant in variants()),
        *(page.href for page in doc_pages()),
    }
    for variant in variants():
        assert (site.out_dir / reference_markdown_path(variant)).is_file()
    assert (site.out_dir / "llms.txt").is_file()
    comparison = (site.out_dir / "comparison.md").read_text(encoding="utf-8")
    assert render_markdown(site.comparison, heading_level=2) in comparison, (
        "expected the comparison's Markdown on the site"
    )


def test_every_page_is_offline(site: SiteReport) -> None:
    for page in sorted(site.out_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert remote_asset_urls(html) == [], f"{page.name}: expected no remote asset"
        assert CONTENT_SECURITY_POLICY in html, f"{page.name}: expected the offline policy"
    (script,) = (site.out_dir / "assets").glob("*.js")
    assert remote_asset_urls(script.read_text(encoding="utf-8")) == [], f"{script.name}: remote"


def test_the_references_share_one_redoc_script(site: SiteReport) -> None:
    (script,) = (site.out_dir / "assets").glob("redoc-*.standalone.js")
    bundle = script.read_text(encoding="utf-8")
    assert "export{" not in bundle[-200:], "expected a classic script (no ES module export)"
    assert "logo-mini" not in bundle, "expected the 'API docs by' badge's CDN logo replaced"
    images = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", bundle)
    assert any(b">Redoc</text>" in base64.b64decode(image) for image in images), (
        "expected the 'API docs by' badge to read Redoc"
    )
    for variant in variants():
        html = (site.out_dir / reference_path(variant)).read_text(encoding="utf-8")
        assert html.count(f'<script src="../assets/{script.name}"></script>') == 1, (
            f"{variant}: expected the page to load the shared {script.name}"
        )
        assert len(html) < len(bundle) / 4, f"{variant}: expected Redoc's script not inlined"
        assert 'type="module"' not in html, f"{variant}: expected no module script"


def test_the_published_specs_are_the_real_ones(site: SiteReport) -> None:
    for variant in variants():
        copy = site.out_dir / "specs" / f"{variant}.yaml"
        assert copy.read_bytes() == spec_path(variant).read_bytes(), f"{variant}: spec changed"
        html = (site.out_dir / reference_path(variant)).read_text(encoding="utf-8")
        assert f'"url":"../specs/{variant}.yaml"' in html, (
            f"{variant}: expected Redoc's download button to offer the real spec"
        )


def test_the_site_weighs_at_most_half_of_before(site: SiteReport) -> None:
    weight = site.total_bytes
    print(
        f"\nsite weight: {weight:,} bytes in {len(site.pages)} files "
        f"({weight / SITE_BYTES_BEFORE:.0%} of {SITE_BYTES_BEFORE:,} before)"
    )
    assert weight == sum(path.stat().st_size for path in site.out_dir.rglob("*") if path.is_file())
    assert weight <= SITE_BYTES_BUDGET, (
        f"expected the site to weigh at most {SITE_BYTES_BUDGET:,} bytes, it weighs {weight:,}"
    )


def test_the_index_shows_each_version_and_the_latest_summary(site: SiteReport) -> None:
    html = (site.out_dir / "index.html").read_text(encoding="utf-8")
    for variant in variants():
        version = load_spec(variant)["info"]["version"]
        block = re.search(rf'<li data-variant="{variant}">(.*?)</li>', html, re.DOTALL)
        assert block is not None, f"expected the index to list {variant}"
        assert f"version {version}" in block.group(1), f"{variant}: expected version {version}"
    assert "<td>azure</td>" in html, "expected the summary's table on the index"
    assert "<h1>Conformance summary</h1>" not in html, "expected the overview without its title"


def test_conformance_summary_is_rendered_with_raw_html_escaped(site: SiteReport) -> None:
    assert site.conformance_source is not None
    html = (site.out_dir / "conformance.html").read_text(encoding="utf-8")
    assert "<table>" in html and "<td>azure</td>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_the_overview_is_what_comes_before_the_first_section() -> None:
    markdown = "# Conformance summary\n\nRun today.\n\n| a |\n|---|\n| 1 |\n\n## azure\n\nmore\n"
    html = overview_html(markdown)
    assert "Run today." in html and "<table>" in html
    assert "azure" not in html and "Conformance summary" not in html


def test_without_a_summary_the_index_says_nothing_of_it(tmp_path: Path) -> None:
    candidates = (tmp_path / "conformance" / "summary.md", tmp_path / "conformance.md")
    assert find_summary(candidates) is None
    html = render_index(site_map(build_comparison(), None))
    assert "conformance" not in html.lower(), "expected no conformance section nor link"


def test_the_second_candidate_is_accepted(tmp_path: Path) -> None:
    second = tmp_path / "conformance.md"
    second.write_text("# ok\n", encoding="utf-8")
    assert find_summary((tmp_path / "missing.md", second)) == second
    assert CONFORMANCE_SUMMARIES[0].name == "summary.md"
    assert summary_html("# ok\n") == "<h1>ok</h1>\n"


def test_a_rebuild_drops_stale_pages(
    tmp_path: Path, site: SiteReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both builds reuse the session's Redoc page of dalle (`site` made it); the rest is rebuilt.
    reuse_redoc_pages(monkeypatch)
    summary = tmp_path / "summary.md"
    summary.write_text("# Conformance\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "gateways.md").write_text("# Gateways\n\nProbed.\n", encoding="utf-8")
    out = tmp_path / "site"
    build_site(out, conformance_candidates=(summary,), chosen=("dalle",), docs_dir=docs)
    assert (out / "conformance.html").exists()
    assert (out / "docs" / "gateways.html").exists()
    (docs / "gateways.md").unlink()
    report = build_site(
        out, conformance_candidates=(tmp_path / "none.md",), chosen=("dalle",), docs_dir=docs
    )
    assert report.conformance_source is None
    assert not (out / "conformance.html").exists()
    assert not (out / "docs" / "gateways.html").exists(), "expected the stale page removed"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "conformance.html" not in index and "gateways" not in index


def test_every_docs_page_is_rendered_and_linked(site: SiteReport) -> None:
    index = (site.out_dir / "index.html").read_text(encoding="utf-8")
    pages = doc_pages()
    assert pages, "expected docs/ to hold Markdown pages (benchmarks.md at least)"
    for page in pages:
        html = (site.out_dir / page.href).read_text(encoding="utf-8")
        assert 'id="page-content"' in html and "<h1>" in html, f"{page.href}: not rendered"
        assert f'href="{page.href}"' in index, f"expected the index to link {page.href}"
        source = (REPO_ROOT / page.source).read_text(encoding="utf-8")
        assert (site.out_dir / page.markdown).read_text(encoding="utf-8") == source
