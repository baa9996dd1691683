"""The Markdown comparison, the README's copy of it, and the HTML helpers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imagegen_spec.docs.__main__ import main
from imagegen_spec.docs.compare import Comparison, Departure, build_comparison
from imagegen_spec.docs.readme import END, README, START, readme_comparison, refresh_readme
from imagegen_spec.docs.render_html import code_spans
from imagegen_spec.docs.render_markdown import DIFFERS_MARK, MISSING_MARK, escape, render_markdown


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return build_comparison()


def test_the_readme_holds_the_current_comparison(comparison: Comparison) -> None:
    current = readme_comparison(README.read_text(encoding="utf-8"))
    assert current == render_markdown(comparison).strip(), (
        "expected README.md's comparison to match the specs: run `nox -s generate` to refresh it"
    )


def test_check_readme_command_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check-readme"]) == 0
    assert "up to date" in capsys.readouterr().out


@pytest.mark.parametrize(
    "options",
    [["--check-readme", "--no-readme"], ["--readme-only", "--check-readme"]],
)
def test_conflicting_options_are_refused(options: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(options)
    assert exit_info.value.code == 2


def test_readme_only_refreshes_without_building_the_site(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_site(out: Path) -> None:
        raise AssertionError("expected --readme-only not to build the site")

    monkeypatch.setattr("imagegen_spec.docs.__main__.build_site", no_site)
    assert main(["--readme-only"]) == 0
    assert "comparison already up to date" in capsys.readouterr().out


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_every_table_line_has_one_cell_per_column(comparison: Comparison) -> None:
    markdown = render_markdown(comparison)
    tables = [block for block in markdown.split("\n\n") if block.startswith("|")]
    if comparison.reference is not None:
        summary = tables.pop(0).splitlines()
        assert len(summary) == len(comparison.providers) + 2, "expected one line per provider"
        assert len({unescaped_pipes(line) for line in summary}) == 1
    assert len(tables) == len(comparison.sections)
    for table, section in zip(tables, comparison.sections, strict=True):
        lines = table.splitlines()
        assert len(lines) == len(section.rows) + 2, f"{section.key}: header, rule, one per row"
        widths = {unescaped_pipes(line) for line in lines}
        assert len(widths) == 1, f"{section.key}: expected equal column counts, got {widths}"
        for line, row in zip(lines[2:], section.rows, strict=True):
            assert line.startswith(f"| {DIFFERS_MARK} |") == row.differs
            assert line.count(MISSING_MARK) >= len(row.missing_in())


def test_markdown_escaping() -> None:
    assert escape("a|b <c> *d* `e`") == "a\\|b &lt;c&gt; \\*d\\* \\`e\\`"
    assert escape("`code`", code=True) == "`code`"


def test_refresh_writes_between_the_markers_only(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\n{START}\nold\n{END}\n\nAfter.\n", encoding="utf-8")
    assert refresh_readme("new table\n", readme) is True
    assert (
        readme.read_text(encoding="utf-8")
        == f"# Title\n\n{START}\n\nnew table\n\n{END}\n\nAfter.\n"
    )
    assert refresh_readme("new table\n", readme) is False


def test_a_readme_without_markers_is_a_clear_error(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n", encoding="utf-8")
    with pytest.raises(ValueError, match="comparison:start"):
        refresh_readme("table", readme)


def test_code_spans_escape_html_first() -> None:
    assert str(code_spans("use `<b>` & `x`")) == "use <code>&lt;b&gt;</code> &amp; <code>x</code>"


def test_a_failed_build_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("", encoding="utf-8")
    assert main(["--out", str(not_a_directory), "--no-readme"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("imagegen docs: error: ") and "Traceback" not in error, error
    assert error.count("\n") == 1, error


def test_against_a_reference_bold_marks_what_departs_from_it() -> None:
    comparison = build_comparison(("azure", "dalle", "gpt-image"), reference="dalle")
    markdown = render_markdown(comparison)
    assert "read against `dalle` (the first column)" in markdown
    assert "### Each provider against dalle" in markdown
    tables = [block for block in markdown.split("\n\n") if block.startswith("|")]
    summary = tables[0].splitlines()
    assert summary[0].startswith("| provider | entries as dalle |")
    found = {f.variant: f for f in comparison.departures()}
    for line in summary[2:]:
        variant = line.split("|")[1].strip().strip("`")
        assert f"| {found[variant].counts[Departure.SAME]} |" in line, line
    request = tables[1 + [s.key for s in comparison.sections].index("request")].splitlines()[2:]
    rows = comparison.section("request").rows
    for line, row in zip(request, rows, strict=True):
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[4:-1]]
        for variant, cell in zip(comparison.variants, cells, strict=True):
            bold = cell.startswith("**")
            assert bold == (variant in comparison.marked(row)), f"{row.label}/{row.facet}"
