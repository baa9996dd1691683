"""The site's `llms.txt` (the llms.txt convention): what the site holds, for language models.

An H1 with the project's name, a blockquote summary, a short note, then H2 sections of
`- [title](url): description` lists: the Markdown references first, the specs, the repository's
docs pages, and an `Optional` section with the HTML pages.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable

from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.docs.render_html import SiteMap

COMPARISON_MARKDOWN = "comparison.md"
"""Where the site keeps the comparison as Markdown."""

PYPROJECT = REPO_ROOT / "pyproject.toml"


def project_description() -> str:
    """The project's one-line description, as pyproject.toml states it."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return str(project["description"])


def llms_txt(site: SiteMap, base_url: str = "") -> str:
    """The llms.txt of the site; `base_url` (ending in `/`) makes its links absolute."""

    def links(entries: Iterable[tuple[str, str, str]]) -> str:
        return "\n".join(f"- [{title}]({base_url}{href}): {text}" for title, href, text in entries)

    references = [
        (
            f"{variant.name} API reference",
            variant.reference_markdown,
            f"{variant.title}, version {variant.version}: {variant.summary}",
        )
        for variant in site.variants
    ]
    specs = [
        (f"{variant.name}.yaml", variant.spec, f"the OpenAPI 3.1 document of {variant.name}")
        for variant in site.variants
    ]
    against = f", each provider read against {site.reference}" if site.reference else ""
    comparison = [
        (
            "How the variants differ",
            COMPARISON_MARKDOWN,
            f"every field, rule, response, streamed event and error of the variants{against}",
        )
    ]
    pages = [(page.title, page.markdown, f"from {page.source}") for page in site.pages]
    optional = [
        ("Comparison", "comparison.html", "HTML tables of how the variants differ"),
        *(
            (f"{variant.name} reference (Redoc)", variant.reference, "the interactive reference")
            for variant in site.variants
        ),
    ]
    if site.conformance is not None:
        optional.append(("Conformance", "conformance.html", "the latest conformance summary"))
    sections = [
        "# imagegen-spec",
        f"> {project_description()}",
        "The specs are the single source of truth. Each Markdown reference lists every field "
        "of the request with its values and the model-dependent rules in words, the "
        "responses and errors (a streamed answer's events with an example sequence), and code "
        "samples (curl, Python, Node; streamed ones where the variant streams) that are run "
        "against the mock.",
        "## API references\n\n" + links(references),
        "## Comparison\n\n" + links(comparison),
        "## Specs\n\n" + links(specs),
    ]
    if pages:
        sections.append("## Docs\n\n" + links(pages))
    sections.append("## Optional\n\n" + links(optional))
    return "\n\n".join(sections) + "\n"
