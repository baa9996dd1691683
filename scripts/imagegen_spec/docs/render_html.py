"""The site's own pages (index, comparison, conformance, docs pages) and its shared header.

Every page, Redoc's references included, opens with the same header (`header.html.j2`); the
site's own pages follow the reader's `prefers-color-scheme` and fit a 400 px wide screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from imagegen_spec.docs.compare import Comparison
from imagegen_spec.docs.offline import add_offline_head
from imagegen_spec.docs.render_markdown import COUNT_COLUMNS, SUMMARY_HEADER, summary_note

TEMPLATES = Path(__file__).parent / "templates"
HEADER_HEIGHT_PX = 44
"""The shared header's height: fixed (its links scroll sideways on a narrow screen), so that
Redoc, told it as `scrollYOffset`, keeps its sticky menu below it."""
_CODE_SPAN = re.compile(r"`([^`]+)`")
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class VariantPage:
    """What the site says about one variant and where its pages are (relative to the root)."""

    name: str
    title: str
    summary: str
    version: str
    sha256: str
    reference: str
    reference_markdown: str
    spec: str


@dataclass(frozen=True)
class DocPage:
    """A Markdown page of the repository's `docs/`, shown on the site."""

    key: str
    title: str
    source: str
    href: str
    markdown: str


@dataclass(frozen=True)
class ConformanceSummary:
    """The latest conformance summary: where it is and its overview (before its sections)."""

    source: str
    overview_html: str


@dataclass(frozen=True)
class NavLink:
    """One link of the shared header."""

    key: str
    label: str
    href: str


@dataclass(frozen=True)
class SiteMap:
    """What every page of the site needs to know: the variants, the pages, the comparison's size."""

    variants: tuple[VariantPage, ...]
    pages: tuple[DocPage, ...]
    differing_rows: int
    total_rows: int
    redocly_version: str
    conformance: ConformanceSummary | None
    reference: str | None = None
    """The variant the comparison reads the others against (OpenAI's own API), if compared."""

    @property
    def navigation(self) -> tuple[NavLink, ...]:
        """The header's links, in order: home, comparison, references, conformance, docs pages."""
        links = [
            NavLink("index", "Home", "index.html"),
            NavLink("comparison", "Comparison", "comparison.html"),
        ]
        links += [NavLink(f"reference:{v.name}", v.name, v.reference) for v in self.variants]
        if self.conformance is not None:
            links.append(NavLink("conformance", "Conformance", "conformance.html"))
        links += [NavLink(page.key, page.title, page.href) for page in self.pages]
        return tuple(links)


def code_spans(text: str) -> Markup:
    """Escape text for HTML and turn its `backtick` spans into <code> elements."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


def markdown_html(markdown: str) -> str:
    """Render Markdown (CommonMark and tables; raw HTML is escaped, not passed)."""
    renderer = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    return str(renderer.render(markdown))


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


def _render(template: str, current: str, site: SiteMap, root: str = "", **context: object) -> str:
    html = (
        _environment()
        .get_template(template)
        .render(site=site, current=current, root=root, header_height=HEADER_HEIGHT_PX, **context)
    )
    return add_offline_head(html)


def render_index(site: SiteMap) -> str:
    """The index page: the variants with their references and specs, comparison, conformance."""
    return _render("index.html.j2", "index", site)


def render_comparison(site: SiteMap, comparison: Comparison) -> str:
    """The comparison page: one table per section, differences highlighted."""
    return _render(
        "comparison.html.j2",
        "comparison",
        site,
        comparison=comparison,
        summary_header=SUMMARY_HEADER,
        count_columns=tuple(COUNT_COLUMNS),
        summary_note=summary_note(comparison) if comparison.reference else "",
    )


def render_conformance(site: SiteMap, summary_html: str) -> str:
    """The conformance page around the summary's rendered Markdown."""
    return _render("conformance.html.j2", "conformance", site, summary_html=summary_html)


def render_doc_page(site: SiteMap, page: DocPage, markdown: str) -> str:
    """A page of `docs/` rendered from its Markdown (it sits one folder below the root)."""
    return _render(
        "page.html.j2",
        page.key,
        site,
        root="../",
        title=page.title,
        source=page.source,
        content_html=markdown_html(markdown),
    )


def with_site_header(page: str, site: SiteMap, current: str, root: str) -> str:
    """A page (Redoc's) with the site's header inserted right after its `<body>`."""
    match = _BODY.search(page)
    if match is None:
        raise ValueError("the page has no <body> to put the site's header in")
    header = (
        _environment()
        .get_template("header.html.j2")
        .render(site=site, current=current, root=root, header_height=HEADER_HEIGHT_PX)
    )
    return page[: match.end()] + "\n" + header + page[match.end() :]
