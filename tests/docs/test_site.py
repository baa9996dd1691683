"""The built site's files: every page offline, the conformance summary shown or said missing."""

from __future__ import annotations

from pathlib import Path

from imagegen_spec.core.specs import spec_path, variants
from imagegen_spec.docs.compare import build_comparison
from imagegen_spec.docs.conformance import CONFORMANCE_SUMMARIES, find_summary, summary_html
from imagegen_spec.docs.offline import CONTENT_SECURITY_POLICY, remote_asset_urls
from imagegen_spec.docs.render_html import render_index
from imagegen_spec.docs.site import SiteReport, build_site, reference_path, site_map


def test_every_page_is_offline(site: SiteReport) -> None:
    pages = sorted(site.out_dir.rglob("*.html"))
    assert {page.relative_to(site.out_dir).as_posix() for page in pages} == {
        "index.html",
        "comparison.html",
        "conformance.html",
        *(reference_path(variant) for variant in variants()),
    }
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert remote_asset_urls(html) == [], f"{page.name}: expected no remote asset"
        assert CONTENT_SECURITY_POLICY in html, f"{page.name}: expected the offline policy"


def test_reference_pages_are_redoc_with_its_script_inlined(site: SiteReport) -> None:
    for variant in variants():
        html = (site.out_dir / reference_path(variant)).read_text(encoding="utf-8")
        assert "__redoc_state" in html or "Redoc" in html, f"{variant}: expected a Redoc page"
        assert "<script src=" not in html, f"{variant}: expected no external script"
        assert (site.out_dir / "specs" / f"{variant}.yaml").read_bytes() == spec_path(
            variant
        ).read_bytes()


def test_conformance_summary_is_rendered_with_raw_html_escaped(site: SiteReport) -> None:
    assert site.conformance_source is not None
    html = (site.out_dir / "conformance.html").read_text(encoding="utf-8")
    assert "<table>" in html and "<td>azure</td>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_index_says_when_there_is_no_conformance_summary(tmp_path: Path) -> None:
    candidates = (tmp_path / "conformance" / "summary.md", tmp_path / "conformance.md")
    assert find_summary(candidates) is None
    html = render_index(site_map(build_comparison(), None, candidates))
    assert "No conformance summary yet" in html
    for candidate in candidates:
        assert str(candidate) in html, f"expected the index to name {candidate}"
    assert 'href="conformance.html"' not in html


def test_the_second_candidate_is_accepted(tmp_path: Path) -> None:
    second = tmp_path / "conformance.md"
    second.write_text("# ok\n", encoding="utf-8")
    assert find_summary((tmp_path / "missing.md", second)) == second
    assert CONFORMANCE_SUMMARIES[0].name == "summary.md"
    assert summary_html("# ok\n") == "<h1>ok</h1>\n"


def test_a_rebuild_without_summary_drops_the_stale_conformance_page(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Conformance\n", encoding="utf-8")
    out = tmp_path / "site"
    build_site(out, conformance_candidates=(summary,), chosen=("dalle",))
    assert (out / "conformance.html").exists()
    report = build_site(out, conformance_candidates=(tmp_path / "none.md",), chosen=("dalle",))
    assert report.conformance_source is None
    assert not (out / "conformance.html").exists()
    assert "No conformance summary yet" in (out / "index.html").read_text(encoding="utf-8")
