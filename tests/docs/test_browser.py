"""Every page of the built site, loaded in headless Chromium from a server on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from imagegen_spec.core.operation import operation
from imagegen_spec.core.pointers import flatten
from imagegen_spec.core.specs import variants
from imagegen_spec.docs.compare import request_schema
from imagegen_spec.docs.site import SiteReport, reference_path
from imagegen_spec.docs.stream import streams
from tests.docs.conftest import Visit, assert_stream_shown

pytestmark = pytest.mark.slow


def names_the_spec_declares(variant: str) -> list[str]:
    """Every parameter and request body field name of a variant, read from its spec."""
    op = operation(variant)
    body = flatten(op.spec, request_schema(op))
    return [parameter.name for parameter in op.parameters] + list(body["properties"])


@pytest.mark.parametrize("variant", variants())
def test_reference_renders_the_operation_and_every_parameter(visit: Visit, variant: str) -> None:
    op = operation(variant)
    visit.open(reference_path(variant))
    # Redoc shows each operation on a route of its own: open it as a reader would, from the
    # overview's list of operations, then wait for the operation's summary as its heading.
    visit.page.locator("a", has_text=op.path).first.click()
    visit.page.get_by_role("heading", name=op.definition["summary"]).first.wait_for()
    for name in names_the_spec_declares(variant):
        shown = visit.page.get_by_text(name, exact=True)
        assert shown.count() > 0, f"{variant}: expected parameter {name!r} on the reference page"
        assert shown.first.is_visible(), f"{variant}: expected parameter {name!r} to be visible"
    text = visit.page.inner_text("body")
    for status in op.statuses:
        assert status in text, f"{variant}: expected response status {status} on the page"
    visit.screenshot(f"reference-{variant}")
    if streams(op):
        assert_stream_shown(visit, op)
    visit.assert_clean()


def rendered_rows(visit: Visit) -> list[dict[str, Any]]:
    """Every row of every comparison table, as the browser shows it."""
    rows: list[dict[str, Any]] = visit.page.eval_on_selector_all(
        "table.comparison tbody tr",
        """rows => rows.map(row => ({
            section: row.closest('table').dataset.section,
            label: row.dataset.label,
            facet: row.dataset.facet,
            differs: row.classList.contains('differs'),
            cells: Object.fromEntries([...row.querySelectorAll('td.cell')].map(
                cell => [cell.dataset.variant, cell.innerText])),
            missing: [...row.querySelectorAll('td.cell.missing')].map(c => c.dataset.variant),
            odd: [...row.querySelectorAll('td.cell.odd')].map(cell => cell.dataset.variant),
            departs: row.dataset.departs ?? null,
            departure: Object.fromEntries([...row.querySelectorAll('td.cell[data-departure]')]
                .map(cell => [cell.dataset.variant, cell.dataset.departure])),
        }))""",
    )
    return rows


def test_comparison_shows_every_row_of_the_model(visit: Visit, site: SiteReport) -> None:
    visit.open("comparison.html")
    rows = rendered_rows(visit)
    expected = [(section.key, row) for section in site.comparison.sections for row in section.rows]
    assert len(rows) == len(expected), "expected one table row per row of the comparison"
    for shown, (section, row) in zip(rows, expected, strict=True):
        where = f"{section}/{row.label}/{row.facet}"
        assert (shown["section"], shown["label"], shown["facet"]) == (
            section,
            row.label,
            row.facet,
        ), f"expected row {where} in this place"
        for variant, cell in row.cells.items():
            text = "—" if cell is None else "\n".join(cell)
            assert shown["cells"][variant] == text, f"{where}: expected {variant} to read {text!r}"
        assert shown["differs"] == row.differs, f"{where}: expected differs={row.differs}"
        assert sorted(shown["missing"]) == sorted(row.missing_in()), f"{where}: missing marks"
        marked = site.comparison.marked(row)
        assert sorted(shown["odd"]) == sorted(marked), f"{where}: highlighted cells"
        departs = shown["departs"]
        if site.comparison.reference is None:
            assert departs is None, f"{where}: expected no departures without a reference"
            continue
        assert (departs or "").split() == list(site.comparison.departing(row)), where
        for variant in site.comparison.providers:
            departure = row.departure(variant, site.comparison.reference)
            assert shown["departure"][variant] == departure, f"{where}: {variant} {departure}"
    visit.screenshot("comparison")
    visit.assert_clean()


def test_comparison_names_every_parameter_of_every_variant(visit: Visit) -> None:
    visit.open("comparison.html")
    labels = set(
        visit.page.eval_on_selector_all("tr[data-label]", "rs => rs.map(r => r.dataset.label)")
    )
    for variant in variants():
        for parameter in operation(variant).parameters:
            label = f"{parameter.name} ({parameter.location})"
            assert label in labels, f"expected a comparison row for {variant}'s {label}"
        body = flatten(operation(variant).spec, request_schema(operation(variant)))
        for name in body["properties"]:
            assert name in labels, f"expected a comparison row for {variant}'s body field {name}"
    visit.assert_clean()


def test_only_differences_hides_the_rows_that_agree(visit: Visit, site: SiteReport) -> None:
    visit.open("comparison.html")
    rows = visit.page.locator("table.comparison tbody tr")
    differing = sum(row.differs for section in site.comparison.sections for row in section.rows)
    assert 0 < differing < rows.count(), "expected some rows to agree and some to differ"
    visit.page.get_by_label("Show only rows that differ").check()
    visible = sum(1 for index in range(rows.count()) if rows.nth(index).is_visible())
    assert visible == differing, f"expected only the {differing} differing rows to stay visible"
    visit.page.get_by_label("Show only rows that differ").uncheck()
    comparison = site.comparison
    assert comparison.reference is not None, "expected the comparison read against openai"
    summary = visit.page.locator("table.departures tbody tr")
    assert summary.count() == len(comparison.providers), "expected a summary line per provider"
    for found in comparison.departures():
        line = visit.page.locator(f'table.departures tr[data-variant="{found.variant}"]')
        for departure, count in found.counts.items():
            cell = line.locator(f'td[data-departure="{departure}"]')
            assert cell.inner_text() == str(count), f"{found.variant}: {departure} count"
    provider = comparison.providers[0]
    visit.page.locator("#against").select_option(provider)
    departing = sum(
        bool(provider in comparison.departing(row))
        for section in comparison.sections
        for row in section.rows
    )
    visible = sum(1 for index in range(rows.count()) if rows.nth(index).is_visible())
    assert 0 < departing == visible, (
        f"expected only the {departing} rows where {provider} departs from openai visible"
    )
    headers = visit.page.locator("table.comparison").first.locator("th[data-variant]")
    shown = [
        headers.nth(index).get_attribute("data-variant")
        for index in range(headers.count())
        if headers.nth(index).is_visible()
    ]
    assert shown == [comparison.reference, provider], f"expected only openai's and {provider}'s"
    visit.assert_clean()


def test_index_links_every_page_and_the_conformance_summary(visit: Visit) -> None:
    visit.open("index.html")
    hrefs = visit.page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
    for variant in variants():
        assert any(href.endswith(reference_path(variant)) for href in hrefs), (
            f"expected the index to link {variant}'s reference"
        )
    for href in hrefs:
        response = visit.page.request.get(href)
        assert response.ok, f"expected the index's link {href} to answer 200"
    assert "conformance summary" in visit.page.inner_text("#conformance-status")
    visit.screenshot("index")
    visit.page.locator("#conformance-status a").click()
    visit.page.wait_for_load_state("networkidle")
    summary = visit.page.locator("#conformance-summary")
    assert summary.locator("table").count() == 1, "expected the summary's table rendered"
    assert "<script>" in summary.inner_text(), "expected raw HTML in the summary shown as text"
    visit.screenshot("conformance")
    visit.assert_clean()
