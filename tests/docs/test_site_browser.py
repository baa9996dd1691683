"""The built site as a reader sees it in headless Chromium: true fields, samples, one site.

Each reference is checked field by field against the spec (required marker, listed values, the
rules in words), its code samples against the generator; every page for its shared header and
links, for fitting a 400 px screen and for following the reader's colour scheme. Every visit
ends with `assert_clean`: no request left 127.0.0.1 (the browser has no network) and no console
error.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from imagegen_spec.core.operation import Operation, operation
from imagegen_spec.core.pointers import flatten, resolve_pointer
from imagegen_spec.core.specs import variants
from imagegen_spec.docs.derived import field_rule_lines
from imagegen_spec.docs.describe import facts
from imagegen_spec.docs.samples import published_samples
from imagegen_spec.docs.site import SiteReport, reference_path
from imagegen_spec.docs.stream import streams
from tests.docs.conftest import ColorScheme, Visit, assert_stream_shown

pytestmark = pytest.mark.slow  # every test here drives Chromium

NARROW = 400
ADDITIONAL_PROPERTIES = ("", "property name*")
"""The row Redoc draws for a body that allows other fields (`additionalProperties: true`)."""
REDOC_LOCATIONS = {"headers": "header", "cookies": "cookie"}

# Every request field Redoc drew: its name, location (`in`, empty for a body field), whether
# its header row carries the "required" marker, the values it lists, and its whole text.
FIELDS_JS = """() => [...document.querySelectorAll('.schema-property-item[id*="t=request"]')].map(
  el => ({
    name: el.querySelector('.schema-name')?.textContent ?? '',
    location: (el.id.match(/[&?]in=([^&]+)/) || [null, ''])[1],
    required: [...el.firstElementChild.querySelectorAll('span')].some(
      span => span.textContent.trim() === 'required'),
    values: [...el.querySelectorAll('[data-testid="schema-enum-values"] span')]
      .map(span => span.textContent.trim()).filter(text => text !== 'Enum:'),
    text: el.innerText,
  }))"""

# The colour behind the middle of the page's main content: the first opaque background of the
# element there or of its ancestors (Redoc paints its panels, not the body).
BACKGROUND_JS = """() => {
  let el = document.elementFromPoint(innerWidth / 2, Math.min(innerHeight - 10, 300));
  for (; el; el = el.parentElement) {
    const colour = getComputedStyle(el).backgroundColor;
    const alpha = colour.startsWith('rgba') ? parseFloat(colour.split(',')[3]) : 1;
    if (alpha > 0.5) return colour;
  }
  return getComputedStyle(document.documentElement).backgroundColor;
}"""


def open_operation(visit: Visit, variant: str, *, width: int = 1280) -> Operation:
    """Open a reference and its operation from the menu, as a reader would, then resize."""
    op = operation(variant)
    visit.open(reference_path(variant))
    visit.page.locator("a", has_text=op.path).first.click()
    visit.page.get_by_role("heading", name=op.definition["summary"]).first.wait_for()
    if width != 1280:
        visit.page.set_viewport_size({"width": width, "height": 900})
        visit.page.wait_for_timeout(300)
    return op


def expected_fields(op: Operation) -> dict[tuple[str, str], dict[str, Any]]:
    """Each request field as the spec declares it: required, values (JSON, as Redoc lists)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for parameter in op.parameters:
        schema = resolve_pointer(op.spec, parameter.schema_pointer)
        found[(parameter.location, parameter.name)] = _expected(op, schema, parameter.required, ())
    body = flatten(op.spec, resolve_pointer(op.spec, op.request_schema_pointer))
    required = set(body.get("required", []))
    for name, schema in body["properties"].items():
        found[("", name)] = _expected(op, schema, name in required, field_rule_lines(op, name))
    return found


def _expected(op: Operation, schema: Any, required: bool, rules: tuple[str, ...]) -> dict[str, Any]:
    found = facts(op.spec, schema)
    values = list(found.enum or ())
    if found.enum is not None and found.nullable:
        values.append(None)
    branches = flatten(op.spec, schema).get("anyOf") or []
    if found.enum is None and branches:
        # Some branches enumerate, others do not (a size list or a pattern): Redoc draws each
        # branch on a tab and lists the values of the first one, which it opens.
        values = list(flatten(op.spec, branches[0]).get("enum", []))
    return {
        "required": required,
        "values": sorted(json.dumps(value) for value in values),
        "rules": rules,
    }


@pytest.mark.parametrize("width", [1280, NARROW])
@pytest.mark.parametrize("variant", variants())
def test_every_request_field_shows_the_spec_s_required_values_and_rules(
    visit: Visit, variant: str, width: int
) -> None:
    op = open_operation(visit, variant, width=width)
    shown = visit.page.evaluate(FIELDS_JS)
    drawn = {
        (REDOC_LOCATIONS.get(field["location"], field["location"]), field["name"]): field
        for field in shown
    }
    assert len(shown) == len(drawn), f"{variant}: expected each request field drawn once"
    expected = expected_fields(op)
    body = flatten(op.spec, resolve_pointer(op.spec, op.request_schema_pointer))
    if body.get("additionalProperties", True) is not False:
        assert drawn.pop(ADDITIONAL_PROPERTIES, None) is not None, (
            f"{variant}: expected Redoc to show that other body fields are allowed"
        )
    assert set(drawn) == set(expected), f"{variant}: expected exactly the spec's fields"
    for key, want in expected.items():
        field = drawn[key]
        where = f"{variant} {'.'.join(filter(None, key))} at {width} px"
        assert field["required"] == want["required"], (
            f"{where}: expected required={want['required']}"
        )
        assert sorted(field["values"]) == want["values"], (
            f"{where}: expected the values {want['values']}, Redoc lists {field['values']}"
        )
        for rule in want["rules"]:
            assert rule in field["text"], f"{where}: expected the rule {rule!r} beside it"
    if width == NARROW:
        if streams(op):
            assert_stream_shown(visit, op)
        visit.screenshot(f"reference-{variant}-operation-{width}")
    visit.assert_clean()


@pytest.mark.parametrize("variant", variants())
def test_each_code_sample_is_on_the_operation(visit: Visit, variant: str) -> None:
    op = open_operation(visit, variant)
    samples = published_samples(op)
    labels = [sample.label for sample in samples]
    for sample in samples:
        # Redoc remembers the last language chosen (in local storage): find its switch.
        switches = visit.page.get_by_role("button").filter(
            has_text=re.compile("^(" + "|".join(re.escape(label) for label in labels) + ")$")
        )
        assert switches.count() == 1, f"{variant}: expected one language switch"
        switches.first.click()
        visit.page.get_by_role("menuitem", name=sample.label, exact=True).click()
        codes = visit.page.eval_on_selector_all("pre", "pres => pres.map(p => p.textContent)")
        assert sample.source.strip() in [code.strip() for code in codes], (
            f"{variant}: expected the {sample.label} sample in the code panel"
        )
    visit.assert_clean()


def site_pages(site: SiteReport) -> list[str]:
    """Every HTML page of the site, relative to its root."""
    return sorted(
        path.relative_to(site.out_dir).as_posix() for path in site.out_dir.rglob("*.html")
    )


def test_every_page_has_the_shared_header_linking_the_whole_site(
    visit: Visit, site: SiteReport
) -> None:
    expected = {link.href for link in site.site.navigation}
    assert {"index.html", "comparison.html", "conformance.html"} <= expected
    assert {page.href for page in site.site.pages} <= expected, "expected docs/ pages linked"
    pages = site_pages(site)
    assert set(pages) == expected, "expected the header to link every page, and only those"
    for page in pages:
        visit.open(page)
        header = visit.page.locator("header.site-header")
        assert header.count() == 1 and header.is_visible(), f"{page}: expected the site header"
        links = header.locator("nav a")
        hrefs = [
            visit.page.evaluate(
                "url => new URL(url, location.href).href", links.nth(i).get_attribute("href")
            )
            for i in range(links.count())
        ]
        assert sorted(hrefs) == sorted(visit.base_url + href for href in expected), page
        assert header.locator("a.brand").get_attribute("href") is not None
        current = header.locator('nav a[aria-current="page"]')
        assert current.count() == 1, f"{page}: expected its own link marked current"
        assert current.evaluate("a => a.href") == visit.base_url + page
        box = header.bounding_box()
        assert box is not None and box["y"] == 0, f"{page}: expected the header at the top"
        visit.assert_clean()
    for href in expected:
        assert visit.page.request.get(visit.base_url + href).ok, f"expected {href} to answer 200"


def test_the_header_stays_on_top_of_a_reference_s_operation(visit: Visit) -> None:
    open_operation(visit, variants()[0])
    visit.page.mouse.wheel(0, 2000)
    visit.page.wait_for_timeout(300)
    box = visit.page.locator("header.site-header").bounding_box()
    assert box is not None and box["y"] == 0, "expected the sticky header in view after scrolling"
    menu = visit.page.locator(".menu-content").first.bounding_box()
    assert menu is not None and menu["y"] >= box["height"] - 1, "expected Redoc's menu below it"
    visit.assert_clean()


def luminance(colour: str) -> float:
    """The relative luminance (0 black .. 1 white) of a CSS `rgb()`/`rgba()` colour."""
    red, green, blue = (float(part) / 255 for part in re.findall(r"[\d.]+", colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_follows_the_colour_scheme_and_fits_400_px(
    visit: Visit, site: SiteReport, scheme: ColorScheme
) -> None:
    for page in site_pages(site):
        # The header test loads every page until the network idles; here the load suffices.
        visit.open(page, width=NARROW, scheme=scheme, settle="load")
        width = visit.page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW, (
            f"{page}: expected no horizontal scrolling at {NARROW} px, got {width}"
        )
        background = luminance(visit.page.evaluate(BACKGROUND_JS))
        if scheme == "dark":
            assert background < 0.2, (
                f"{page}: expected a dark background, luminance {background:.2f}"
            )
        else:
            assert background > 0.8, (
                f"{page}: expected a light background, luminance {background:.2f}"
            )
        if page == "comparison.html":
            boxes = visit.page.eval_on_selector_all(
                ".scroll", "boxes => boxes.map(b => b.scrollWidth > b.clientWidth)"
            )
            assert any(boxes), "expected the comparison's tables to scroll inside their boxes"
        # The first screen, as the reader sees it (the measures above cover the whole page).
        visit.screenshot(
            f"{page.replace('/', '-').removesuffix('.html')}-{NARROW}-{scheme}", full_page=False
        )
        visit.assert_clean()


def test_a_reference_opened_from_disk_works(visit: Visit, site: SiteReport) -> None:
    variant = variants()[0]
    op = operation(variant)
    visit.page.goto((site.out_dir / reference_path(variant)).as_uri(), wait_until="load")
    visit.page.locator("a", has_text=op.path).first.click()
    visit.page.get_by_role("heading", name=op.definition["summary"]).first.wait_for()
    assert visit.page.locator(".schema-property-item").count() > 0, "expected Redoc to run"
    visit.assert_clean()
