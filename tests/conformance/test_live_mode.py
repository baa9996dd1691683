"""Live mode against the mock as the "provider": cost cap, negative-only, plan, 429s, pacing."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from starlette.types import ASGIApp, Scope

from imagegen_spec.conformance import __main__ as conformance
from imagegen_spec.conformance.credentials import credential_scheme, env_var
from imagegen_spec.conformance.guard import COST_CAP
from imagegen_spec.conformance.options import parse_options
from imagegen_spec.conformance.prompts import SAFE_PROMPTS
from imagegen_spec.conformance.results import VariantResult, collect, read_events
from imagegen_spec.conformance.runner import ReportPaths, Target, run_schemathesis
from imagegen_spec.conformance.server import serve
from imagegen_spec.conformance.stats import GuardStats
from imagegen_spec.conformance.wire import is_valid_body
from imagegen_spec.core.operation import operation
from imagegen_spec.core.specs import spec_path
from imagegen_spec.mock.app import MockApp, create_app
from imagegen_spec.mock.config import MockConfig
from tests.conformance import servers
from tests.conformance.conftest import FAST, KEY, CheckLive, base_path
from tests.conformance.test_mock_mode import read_result

pytestmark = pytest.mark.slow  # full Schemathesis runs


def statuses(app: MockApp, variant: str) -> dict[int, int]:
    """How many operation requests of a variant the mock answered, by status."""
    return {status: count for (name, status), count in app.stats.items() if name == variant}


def run_main(
    app: ASGIApp,
    variant: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
) -> int:
    """`imagegen conformance --base-url <app> ...`, the key in the environment.

    The plan's rehearsal (a whole run against the embedded mock, tested by the dry-run test) is
    skipped: the plan is printed from empty stats.
    """
    monkeypatch.setenv(env_var(variant), KEY)
    monkeypatch.setattr(conformance, "rehearse", lambda variant, options: GuardStats())
    with serve(app) as origin:
        return conformance.main(
            [
                "--variant",
                variant,
                "--base-url",
                origin + base_path(variant),
                "--report-dir",
                str(tmp_path),
                "--quiet",
                *FAST,
                *args,
            ]
        )


def test_the_cost_cap_limits_requests_that_could_generate_images(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mock = create_app(MockConfig(api_key=KEY))
    recorder = servers.Recorder()

    status = run_main(
        recorder.wrap(mock), "dalle", tmp_path, monkeypatch, "--max-paid-requests", "3"
    )

    output = capsys.readouterr().out
    answered = statuses(mock, "dalle")
    assert 0 < answered.get(200, 0) <= 3, f"expected 1 to 3 answers of 200, got {answered}"
    assert sum(answered.values()) > 20, f"expected the negative cases to be sent: {answered}"
    result = read_result(tmp_path, "dalle")
    assert status == 1, f"expected a run the cap limited to fail:\n{output[-3000:]}"
    assert result.skipped[COST_CAP] > 0, f"expected cases withheld by the cap: {result.skipped}"
    assert not result.cut_short and any("cost cap" in text for text in result.limited), result
    assert "LIMITED: the cost cap (--max-paid-requests) withheld" in output, output[-3000:]
    assert result.billable_sent <= 3 and not result.blocked, result
    assert "Plan: dalle against" in output and "cost cap: at most 3" in output, output[:3000]
    prompts = {
        json.loads(exchange.body)["prompt"]
        for exchange in recorder.exchanges
        if exchange.status == 200
    }
    assert prompts and prompts <= set(SAFE_PROMPTS), f"unsafe prompts were sent: {prompts}"
    assert KEY not in output
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(encoding="utf-8", errors="replace"), path


def prompt_sent_with_key(variant: str, headers: Mapping[str, str], body: bytes) -> str | None:
    """The prompt of a request a lenient server could bill (sent with the key, its body a JSON
    object with a string `prompt`), else None."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not credential_scheme(variant).carries(headers, KEY) or not isinstance(data, dict):
        return None
    prompt = data.get("prompt")
    return prompt if isinstance(prompt, str) else None


def lenient_gateway(variant: str) -> ASGIApp:
    """The mock behind a gateway that answers 200 to every request it could bill."""

    def bills(scope: Scope, body: bytes) -> bool:
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]
        }
        return prompt_sent_with_key(variant, headers, body) is not None

    op = operation(variant)
    example = next(example for example in op.examples() if "/requestBody/" in example.where)
    accepted = servers.Accepted(
        path=base_path(variant) + op.path, query=b"", body=json.dumps(example.value).encode()
    )
    return servers.lenient(create_app(MockConfig(api_key=KEY)), bills, accepted)


def test_the_cap_and_safe_prompts_hold_against_a_server_that_bills_what_the_spec_rejects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = servers.Recorder()

    run_main(
        recorder.wrap(lenient_gateway("gpt-image")),
        "gpt-image",
        tmp_path,
        monkeypatch,
        "--max-paid-requests",
        "3",
    )

    billable = [
        (prompt, exchange.status)
        for exchange in recorder.exchanges
        if (prompt := prompt_sent_with_key("gpt-image", exchange.headers, exchange.body))
        is not None
    ]
    paid = [prompt for prompt, status in billable if status == 200]
    assert 0 < len(paid) <= 3, f"expected 1 to 3 billable requests answered 200, got {billable}"
    unsafe = {prompt for prompt, _ in billable} - set(SAFE_PROMPTS)
    assert not unsafe, f"expected only safe prompts with the key, got {sorted(unsafe)[:5]}"
    result = read_result(tmp_path, "gpt-image")
    assert result.paid == len(paid), f"expected the guard to count {len(paid)}: {result}"
    assert result.paid_beyond_spec > 0, "expected the gateway to accept a body the spec rejects"
    assert result.skipped[COST_CAP] > 0, f"expected cases withheld by the cap: {result.skipped}"


def test_negative_only_sends_no_valid_body(check_live: CheckLive) -> None:
    mock = create_app(MockConfig(api_key=KEY))
    recorder = servers.Recorder()

    result = check_live(recorder.wrap(mock), "gpt-image", "--negative-only")

    answered = statuses(mock, "gpt-image")
    assert 200 not in answered, f"a request was accepted: {answered}"
    assert sum(answered.values()) > 20, f"expected negative cases to be sent: {answered}"
    for exchange in recorder.exchanges:
        try:
            body = json.loads(exchange.body)
        except ValueError:
            continue
        assert not is_valid_body("gpt-image", body), f"a valid body was sent: {body}"
    assert result.passed and not result.blocked, result


def test_a_dry_run_prints_the_plan_and_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mock = create_app(MockConfig(api_key=KEY))
    monkeypatch.delenv(env_var("azure"), raising=False)

    with serve(mock) as origin:
        status = conformance.main(
            [
                *("--variant", "azure", "--base-url", origin + base_path("azure")),
                *("--phases", "examples", "--report-dir", str(tmp_path), "--dry-run"),
            ]
        )

    output = capsys.readouterr().out
    assert status == 0, output
    assert mock.stats == {}, f"the dry run sent requests: {mock.stats}"
    assert "Plan: azure against" in output and "Dry run: nothing was sent" in output, output
    assert "could bill" in output and "$IMAGEGEN_AZURE_API_KEY (NOT set" in output, output


def test_429_is_retried_after_retry_after(check_live: CheckLive) -> None:
    mock = create_app(MockConfig(api_key=KEY, retry_after=1))
    app, seen = servers.rate_limited_first(mock, 2)

    result = check_live(app, "dalle", "--phases", "examples")

    answered = statuses(mock, "dalle")
    assert answered.get(429) == 2, f"expected two 429 answers, got {answered}"
    assert result.passed, f"expected the retried requests to pass: {result}"
    assert len(seen) == sum(answered.values())
    waits = [later - earlier for earlier, later in itertools.pairwise(seen[:3])]
    assert min(waits) >= 0.9, f"expected each retry to wait Retry-After (1 s): {waits}"


def test_a_server_answering_only_429_is_cut_short_and_fails(check_live: CheckLive) -> None:
    mock = create_app(MockConfig(api_key=KEY, retry_after=0))
    app, _ = servers.rate_limited_first(mock, 1_000_000)

    result = check_live(app, "dalle", "--phases", "examples")

    answered = statuses(mock, "dalle")
    assert set(answered) == {429}, f"expected only 429 answers, got {answered}"
    assert not result.passed and result.failures == 0, result
    assert any("were 429" in reason for reason in result.cut_short), result.cut_short


def test_the_rate_limit_paces_requests(check_live: CheckLive, tmp_path: Path) -> None:
    result = check_live(
        create_app(MockConfig(api_key=KEY)),
        "dalle",
        "--phases",
        "examples",
        "--rate-limit",
        "2/s",
    )

    assert result.passed, result
    reports = tmp_path / "reports" / "dalle"
    paced = GuardStats.read(reports / "guard-stats.json").sent.total()
    stamps = sorted(
        interaction["timestamp"]
        for event in read_events(reports / "events.ndjson")
        if "ScenarioFinished" in event
        for interaction in event["ScenarioFinished"]["recorder"]["interactions"].values()
    )
    assert paced >= 4, f"expected the examples to be sent, got {paced} paced requests"
    # 2/s lets two requests through in each second (the ignored_auth probes are not paced).
    assert stamps[-1] - stamps[0] >= (paced - 1) // 2 - 0.1, stamps


def test_the_saved_config_repeats_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(env_var("dalle"), KEY)
    reports = tmp_path / "reports"
    with serve(create_app(MockConfig(api_key=KEY))) as origin:
        base_url = origin + base_path("dalle")
        options = parse_options(
            [
                *("--variant", "dalle", "--base-url", base_url, "--report-dir", str(reports)),
                *("--phases", "examples,coverage", "--max-paid-requests", "1000", "--quiet"),
                *FAST,
            ]
        )
        paths = ReportPaths(reports / "dalle")
        first, _ = run_schemathesis(Target("dalle", base_url, KEY, base_url), options, paths)
        config = paths.config.read_text(encoding="utf-8")
        # Exactly what the file's own comment says to run.
        repeat = subprocess.run(
            [
                *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(paths.config)),
                *("run", str(spec_path("dalle"))),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
    again = collect(VariantResult("dalle", ""), read_events(paths.ndjson), GuardStats(), "")
    assert f"st --config-file {paths.config} run" in config, config[:300]
    assert repeat.returncode == 0, repeat.stdout[-2000:]
    assert again.cases_by_phase == first.cases_by_phase, (again.cases_by_phase, first)
    assert again.checks_by_name == first.checks_by_name
