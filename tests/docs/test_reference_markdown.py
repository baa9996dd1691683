"""The Markdown reference of each variant and the site's llms.txt, read back as a reader would."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from imagegen_spec.core.events import EventStream
from imagegen_spec.core.operation import Operation
from imagegen_spec.core.pointers import flatten, resolve_pointer
from imagegen_spec.core.specs import variants
from imagegen_spec.docs.derived import field_rule_lines
from imagegen_spec.docs.describe import facts, show
from imagegen_spec.docs.llms import COMPARISON_MARKDOWN, llms_txt
from imagegen_spec.docs.reference_markdown import reference_markdown
from imagegen_spec.docs.samples import published_samples
from imagegen_spec.docs.site import SiteReport, reference_markdown_path
from imagegen_spec.docs.stream import sse_transcript


def table_rows(markdown: str) -> dict[str, list[str]]:
    """The rows of every table, by their first cell (`name` without backticks)."""
    rows: dict[str, list[str]] = {}
    for line in markdown.splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows.setdefault(cells[0].strip("`"), cells)
    return rows


def test_every_body_field_with_its_required_values_and_rules(op: Operation) -> None:
    markdown = reference_markdown(op, "../specs/x.yaml")
    body = flatten(op.spec, resolve_pointer(op.spec, op.request_schema_pointer))
    rows = table_rows(markdown.split("### Request body", 1)[1].split("### Responses", 1)[0])
    for name, schema in body["properties"].items():
        assert name in rows, f"{op.variant}: expected a row for body field {name}"
        _, required, _type, values, *_rest = rows[name]
        assert required == ("yes" if name in body.get("required", []) else "no"), name
        found = facts(op.spec, schema)
        expected = [*(found.enum or ()), *([None] if found.nullable and found.enum else [])]
        shown = [value.strip("`") for value in values.split(", ")] if values else []
        assert shown == [show(value) for value in expected], f"{op.variant}.{name}: values"
        for line in field_rule_lines(op, name):
            assert line in rows[name][-1], f"{op.variant}.{name}: expected rule {line!r}"


def test_responses_and_samples_are_listed(op: Operation) -> None:
    markdown = reference_markdown(op, "../specs/x.yaml")
    responses = markdown.split("### Responses", 1)[1]
    for status in op.statuses:
        assert f"\n| {status} |" in responses, f"{op.variant}: expected status {status}"
    fences = [
        token.content for token in MarkdownIt("commonmark").parse(markdown) if token.type == "fence"
    ]
    for sample in published_samples(op):
        assert sample.source.rstrip() + "\n" in fences, f"expected the {sample.label} sample"


def test_a_streamed_answer_lists_each_event_s_fields_and_an_example_sequence(
    op: Operation,
) -> None:
    markdown = reference_markdown(op, "../specs/x.yaml")
    stream = EventStream.of(op)
    if stream is None:
        assert "### Streamed response" not in markdown, f"{op.variant}: expected no stream"
        return
    part = markdown.split("### Streamed response", 1)[1].split("### Code samples", 1)[0]
    events = [event for event in (stream.partial, stream.completed) if event is not None]
    for event in events:
        assert f"#### `{event.name}`" in part, f"{op.variant}: expected the event {event.name}"
        section = part.split(f"#### `{event.name}`", 1)[1].split("#### ", 1)[0]
        rows = table_rows(section)
        for name in event.properties:
            assert name in rows, f"{op.variant} {event.name}: expected the field {name}"
    fences = [
        token.content for token in MarkdownIt("commonmark").parse(part) if token.type == "fence"
    ]
    assert fences == [sse_transcript(op).rstrip() + "\n"], f"{op.variant}: expected the sequence"
    names = re.findall(r"^event: (.+)$", fences[0], re.MULTILINE)
    assert names[-1] == stream.completed.name, "expected the completed event last"
    assert set(names) <= {event.name for event in events}


def test_llms_txt_follows_the_convention(site: SiteReport) -> None:
    text = (site.out_dir / "llms.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# imagegen-spec", "expected an H1 with the project's name first"
    assert lines[2].startswith("> "), "expected a blockquote summary after the H1"
    assert sum(line.startswith("# ") for line in lines) == 1, "expected exactly one H1"
    sections = [line[3:] for line in lines if line.startswith("## ")]
    assert sections[0] == "API references" and sections[-1] == "Optional"
    links = re.findall(r"^- \[([^\]]+)\]\(([^)]+)\)(?:: .+)?$", text, re.MULTILINE)
    entries = [line for line in lines if line.startswith("- ")]
    assert len(links) == len(entries), "expected every list entry to be [title](url): text"
    targets = {url for _, url in links}
    for variant in variants():
        assert reference_markdown_path(variant) in targets, f"expected {variant}'s reference"
    assert COMPARISON_MARKDOWN in targets, "expected the comparison as Markdown"
    assert "## Comparison" in lines and f"read against {site.comparison.reference}" in text
    for _, url in links:
        assert not urlsplit(url).scheme, "without --base-url the links are relative"
        assert (site.out_dir / url).is_file(), f"expected llms.txt's link {url} to exist"


def test_a_base_url_makes_the_links_absolute(site: SiteReport) -> None:
    text = llms_txt(site.site, "https://example.org/imagegen-spec/")
    assert "](https://example.org/imagegen-spec/reference/dalle.md)" in text
