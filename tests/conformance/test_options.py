"""Bad command lines and a missing key get one clear error naming what was wrong."""

from __future__ import annotations

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
