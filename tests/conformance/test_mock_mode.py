"""`nox -s conformance` without arguments: every variant against the embedded mock passes.

One run of every variant (as `nox -s conformance` makes it, with fewer fuzzing cases) serves
every assertion here: its result per variant, its summary, and that the key is nowhere in what
it printed or wrote.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from imagegen_spec.conformance import __main__ as conformance
from imagegen_spec.conformance.credentials import placeholder
from imagegen_spec.conformance.results import VariantResult, collect, read_events
from imagegen_spec.conformance.st_config import CUSTOM_CHECKS
from imagegen_spec.conformance.stats import GuardStats
from imagegen_spec.core.specs import variants
from tests.conformance.conftest import FAST, KEY

pytestmark = pytest.mark.slow  # one full Schemathesis run of every variant, for the module


def read_result(report_dir: Path, variant: str) -> VariantResult:
    """Rebuild a variant's result from the files the run wrote."""
    directory = report_dir / variant
    stats = GuardStats.read(directory / "guard-stats.json")
    result = VariantResult(variant=variant, target="")
    return collect(result, read_events(directory / "events.ndjson"), stats, placeholder(variant))


@dataclass(frozen=True)
class MockRun:
    """The one embedded-mock run of every variant: its exit status, output and report folder."""

    status: int
    output: str
    report_dir: Path


@pytest.fixture(scope="module")
def mock_run(tmp_path_factory: pytest.TempPathFactory) -> MockRun:
    """`python -m imagegen_spec.conformance` with no target, run once for the module."""
    report_dir = tmp_path_factory.mktemp("conformance")
    output = io.StringIO()
    with pytest.MonkeyPatch.context() as monkeypatch, contextlib.redirect_stdout(output):
        monkeypatch.setattr(conformance, "generate_key", lambda: KEY)
        status = conformance.main(["--report-dir", str(report_dir), *FAST])
    return MockRun(status, output.getvalue(), report_dir)


def test_the_run_passes(mock_run: MockRun) -> None:
    assert mock_run.status == 0, (
        f"expected the mock to pass every check:\n{mock_run.output[-3000:]}"
    )


@pytest.mark.parametrize("variant", variants())
def test_the_embedded_mock_conforms(variant: str, mock_run: MockRun) -> None:
    tmp_path, output = mock_run.report_dir, mock_run.output
    result = read_result(tmp_path, variant)
    assert result.failures == 0 and not result.errors, result
    assert set(result.cases_by_phase) == {"examples", "coverage", "fuzzing"}, result.cases_by_phase
    assert result.cases_sent >= 50, f"expected a real run, got {result.cases_sent} cases"
    missing = set(CUSTOM_CHECKS) - set(result.checks_by_name)
    assert not missing, f"custom checks that never ran: {missing}"
    assert "not_a_server_error" in result.checks_by_name
    for name in ("junit.xml", "recording.har", "events.ndjson", "schemathesis.toml"):
        assert (tmp_path / variant / name).is_file(), f"{name} was not written"
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    rows = [
        line for line in summary.splitlines() if line.startswith(f"| {variant} | embedded mock |")
    ]
    assert len(rows) == 1 and rows[0].endswith("| pass |"), summary
    assert "requests by phase: examples" in output and f"{variant}  " in output, output[-2000:]
    assert "CUT SHORT" not in output, output[-2000:]


def test_the_generated_key_is_never_printed_or_recorded(mock_run: MockRun) -> None:
    assert KEY not in mock_run.output, "the key was printed"
    written = [path for path in mock_run.report_dir.rglob("*") if path.is_file()]
    assert written, "no report was written"
    for path in written:
        assert KEY not in path.read_text(encoding="utf-8", errors="replace"), f"key in {path}"
    har = (mock_run.report_dir / "azure" / "recording.har").read_text(encoding="utf-8")
    assert '"value": "$IMAGEGEN_AZURE_API_KEY"' in har, "expected the placeholder in the HAR"
    har = (mock_run.report_dir / "dalle" / "recording.har").read_text(encoding="utf-8")
    assert '"value": "Bearer $IMAGEGEN_DALLE_API_KEY"' in har, "expected the placeholder in the HAR"


def test_the_openai_run_streamed_and_checked_its_events(mock_run: MockRun) -> None:
    har = json.loads((mock_run.report_dir / "openai" / "recording.har").read_text("utf-8"))
    streamed = [
        entry
        for entry in har["log"]["entries"]
        if entry["response"]["status"] == 200
        and any(
            header["name"].lower() == "content-type" and "text/event-stream" in header["value"]
            for header in entry["response"]["headers"]
        )
    ]
    assert streamed, "expected the openai run to get at least one event stream"
    result = read_result(mock_run.report_dir, "openai")
    assert result.checks_by_name["streamed_images_match_request"] > 0, result.checks_by_name
