"""The site's own pages (index, comparison, conformance) as HTML, from Jinja2 templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from imagegen_spec.docs.compare import Comparison
from imagegen_spec.docs.offline import add_offline_head

TEMPLATES = Path(__file__).parent / "templates"
_CODE_SPAN = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class VariantPage:
    """What the site says about one variant and where its pages are (relative to the root)."""

    name: str
    title: str
    summary: str
    sha256: str
    reference: str
    spec: str


@dataclass(frozen=True)
class SiteMap:
    """What every page of the site needs to know: the variants, the comparison's size, ..."""

    variants: tuple[VariantPage, ...]
    differing_rows: int
    total_rows: int
    redocly_version: str
    conformance_source: str | None
    conformance_candidates: tuple[str, ...]


def code_spans(text: str) -> Markup:
    """Escape text for HTML and turn its `backtick` spans into <code> elements."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["code_spans"] = code_spans
    return environment


def _render(template: str, current: str, site: SiteMap, **context: object) -> str:
    html = (
        _environment().get_template(template).render(site=site, current=current, root="", **context)
    )
    return add_offline_head(html)


def render_index(site: SiteMap) -> str:
    """The index page: the variants with their references and specs, comparison, conformance."""
    return _render("index.html.j2", "index", site)


def render_comparison(site: SiteMap, comparison: Comparison) -> str:
    """The comparison page: one table per section, differences highlighted."""
    return _render("comparison.html.j2", "comparison", site, comparison=comparison)


def render_conformance(site: SiteMap, summary_html: str) -> str:
    """The conformance page around the summary's rendered Markdown."""
    return _render("conformance.html.j2", "conformance", site, summary_html=summary_html)
