"""`nox -s conformance` without arguments: every variant against the embedded mock passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imagegen_spec.conformance import __main__ as conformance
from imagegen_spec.conformance.credentials import placeholder
from imagegen_spec.conformance.results import VariantResult, collect, read_events
from imagegen_spec.conformance.st_config import CUSTOM_CHECKS
from imagegen_spec.core.specs import variants
from tests.conformance.conftest import FAST, KEY

pytestmark = pytest.mark.slow  # full Schemathesis runs


def read_result(report_dir: Path, variant: str) -> VariantResult:
    """Rebuild a variant's result from the files the run wrote."""
    directory = report_dir / variant
    stats = json.loads((directory / "guard-stats.json").read_text(encoding="utf-8"))
    result = VariantResult(variant=variant, target="")
    return collect(result, read_events(directory / "events.ndjson"), stats, placeholder(variant))


@pytest.mark.parametrize("variant", variants())
def test_the_embedded_mock_conforms(
    variant: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(conformance, "generate_key", lambda: KEY)

    status = conformance.main(["--variant", variant, "--report-dir", str(tmp_path), *FAST])

    output = capsys.readouterr().out
    result = read_result(tmp_path, variant)
    assert status == 0, f"expected the mock to pass every check:\n{output[-3000:]}"
    assert result.failures == 0 and not result.errors, result
    assert set(result.cases_by_phase) == {"examples", "coverage", "fuzzing"}, result.cases_by_phase
    assert result.cases_sent >= 50, f"expected a real run, got {result.cases_sent} cases"
    missing = set(CUSTOM_CHECKS) - set(result.checks_by_name)
    assert not missing, f"custom checks that never ran: {missing}"
    assert "not_a_server_error" in result.checks_by_name
    for name in ("junit.xml", "recording.har", "events.ndjson", "schemathesis.toml"):
        assert (tmp_path / variant / name).is_file(), f"{name} was not written"
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert f"| {variant} | embedded mock |" in summary and "| pass |" in summary, summary
    assert "requests by phase: examples" in output and f"{variant}  " in output, output[-2000:]
    assert f"| {variant} | embedded mock |" in summary and "CUT SHORT" not in output


def test_the_generated_key_is_never_printed_or_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conformance, "generate_key", lambda: KEY)

    status = conformance.main(
        ["--variant", "azure", "--phases", "examples", "--report-dir", str(tmp_path)]
    )

    output = capsys.readouterr().out
    assert status == 0, output[-3000:]
    assert KEY not in output, "the key was printed"
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert written, "no report was written"
    for path in written:
        assert KEY not in path.read_text(encoding="utf-8", errors="replace"), f"key in {path}"
    har = (tmp_path / "azure" / "recording.har").read_text(encoding="utf-8")
    assert '"value": "$IMAGEGEN_AZURE_API_KEY"' in har, "expected the placeholder in the HAR"
