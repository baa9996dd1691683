"""Bad command lines and a missing key get one clear error naming what was wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from imagegen_spec.conformance import __main__ as conformance
from imagegen_spec.conformance.options import DEFAULT_LIVE_MAX_PAID_REQUESTS, parse_options


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--base-url", "api.example.com/v1", "--variant", "dalle"], "--base-url"),
        (["--base-url", "https://api.example.com/v1"], "exactly one --variant"),
        (["--rate-limit", "10/x"], "--rate-limit"),
        (["--rate-limit", "0/m"], "--rate-limit"),
        (["--phases", "examples,stateful"], "--phases"),
        (["--max-examples", "0"], "--max-examples"),
        (["--max-paid-requests", "-1"], "--max-paid-requests"),
        (["--dry-run"], "--dry-run"),
        (["--variant", "nope"], "--variant"),
        (["--variant", "dalle", "--upstream", "127.0.0.1:8100"], "--upstream needs --base-url"),
        (
            ["--variant", "dalle", "--base-url", "http://g/v1", "--upstream", "0.0.0.0:81"],
            "loopback",
        ),
        (
            ["--variant", "dalle", "--base-url", "http://g/v1", "--upstream", "127.0.0.1:x"],
            "--upstream",
        ),
        (["--variant", "dalle", "--upstream-variant", "azure"], "--upstream-variant needs"),
        (["--header", "no-colon"], "--header"),
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--variant", "dalle", "--base-url", "http://g/v1", "--jobs", "2"], "--jobs is for"),
    ],
)
def test_a_bad_argument_is_named(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_options(argv)

    error = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert named in error, f"expected the error to name {named!r}: {error}"
    assert "Traceback" not in error


def test_live_mode_needs_the_key_in_its_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IMAGEGEN_GPT_IMAGE_API_KEY", raising=False)

    status = conformance.main(["--variant", "gpt-image", "--base-url", "https://gw.example/v1"])

    error = capsys.readouterr().err
    assert status == 2
    assert "IMAGEGEN_GPT_IMAGE_API_KEY is not set" in error, error


def test_live_mode_is_capped_unless_told_otherwise() -> None:
    live = parse_options(["--variant", "dalle", "--base-url", "https://api.fastapi.ai/v1/"])
    mock = parse_options([])

    assert live.max_paid_requests == DEFAULT_LIVE_MAX_PAID_REQUESTS
    assert live.base_url == "https://api.fastapi.ai/v1"
    assert mock.max_paid_requests is None and mock.base_url is None


def test_a_report_dir_that_cannot_be_written_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("a regular file\n", encoding="utf-8")
    report_dir = tmp_path / "file" / "sub"

    status = conformance.main(["--variant", "dalle", "--report-dir", str(report_dir)])

    captured = capsys.readouterr()
    assert status == 2, captured
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    assert f"--report-dir: {report_dir} cannot be written" in captured.err, captured.err
    assert not captured.out, f"expected nothing to run: {captured.out}"


def test_a_variant_folder_in_the_way_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dalle").write_text("a regular file\n", encoding="utf-8")

    status = conformance.main(
        ["--variant", "dalle", "--report-dir", str(tmp_path), "--max-examples", "1", "--quiet"]
    )

    error = capsys.readouterr().err
    assert status == 2, error
    assert error.count("\n") == 1 and "Traceback" not in error, error
    assert f"{tmp_path / 'dalle'} cannot be written" in error, error


def test_gateway_mode_has_no_cost_cap_unless_asked_and_sends_extra_headers() -> None:
    options = parse_options(
        [
            *("--variant", "dalle", "--base-url", "http://127.0.0.1:4000/v1"),
            *("--upstream", "127.0.0.1:8100", "--header", "x-portkey-provider: openai"),
        ]
    )

    assert options.gateway and options.upstream_port == 8100
    assert options.max_paid_requests is None, "the embedded upstream costs nothing"
    assert options.headers == (("x-portkey-provider", "openai"),)


def test_jobs_default_to_one_per_core_and_never_more_than_the_variants(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)

    assert parse_options([]).jobs == 2, "two cores, four variants: two at a time"
    assert parse_options(["--variant", "dalle"]).jobs == 1, "one variant: one job"
    assert parse_options(["--jobs", "3"]).jobs == 3
    assert parse_options(["--variant", "dalle", "--base-url", "http://g/v1"]).jobs == 1
