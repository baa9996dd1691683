"""Gateway mode against planted gateways: every planted change is reported, with its count.

Each run serves the embedded upstream at a port (--upstream), a planted proxy in front of it and
Schemathesis against the proxy, then the probes. The expected counts are worked out from what the
client sent and got (client-exchanges.jsonl and probe-exchanges.jsonl), independently of the
comparison under test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imagegen_spec.conformance.credentials import env_var
from imagegen_spec.conformance.gateway.compare import Kind, Side
from imagegen_spec.conformance.gateway.exchanges import MISSING, Exchange, read_log
from imagegen_spec.conformance.gateway.pairing import PairedBy
from imagegen_spec.conformance.gateway.probes import UPSTREAM_429
from imagegen_spec.conformance.gateway.run import run_gateway
from imagegen_spec.conformance.options import parse_options
from imagegen_spec.conformance.report import markdown_summary, terminal_summary
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.conformance.server import serve
from tests.conformance import gateways
from tests.conformance.conftest import FAST, KEY, base_path

pytestmark = pytest.mark.slow

MakeGateway = Callable[[str], gateways.PlantedGateway]


def run(
    make: MakeGateway, variant: str, report_dir: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> VariantResult:
    """A gateway-mode run against the planted gateway `make(upstream origin)`."""
    monkeypatch.setenv(env_var(variant), KEY)
    port = gateways.free_port()
    gateway = make(f"http://127.0.0.1:{port}")
    with serve(gateway.app()) as origin:
        options = parse_options(
            [
                *("--variant", variant, "--base-url", origin + base_path(variant)),
                *("--upstream", f"127.0.0.1:{port}", "--report-dir", str(report_dir)),
                "--quiet",
                *FAST,
                *args,
            ]
        )
        return run_gateway(options, KEY, echo=False)


def client_log(report_dir: Path, variant: str) -> list[Exchange]:
    """What the client sent and got, as the run logged it: Schemathesis' cases, then the probes."""
    folder = report_dir / variant
    return read_log(folder / "client-exchanges.jsonl") + read_log(folder / "probe-exchanges.jsonl")


def groups(result: VariantResult) -> dict[tuple[Side, Kind, str], int]:
    """The reported deviations: (side, kind, field) -> cases."""
    assert result.gateway is not None
    return {(group.side, group.kind, group.field): group.count for group in result.gateway.groups}


def bodies(log: list[Exchange]) -> list[dict[str, Any]]:
    """The JSON object bodies the client sent."""
    return [body for exchange in log if isinstance(body := exchange.request.json, dict)]


def responses(log: list[Exchange], status: int) -> list[Any]:
    """The JSON bodies of the client's responses with `status`."""
    return [
        exchange.response.json
        for exchange in log
        if exchange.response is not None and exchange.response.status == status
    ]


def five_deviations(upstream: str) -> gateways.PlantedGateway:
    """Drops `style`, clamps `n` into 1..10, empties non-string prompts; drops `created` and adds
    `revised_prompt: null` on the way back."""
    return gateways.PlantedGateway(
        upstream,
        requests=[
            gateways.drop_field("style"),
            gateways.clamp_n(1, 10),
            gateways.empty_non_string_prompt,
        ],
        responses=[
            gateways.drop_response_field("created"),
            gateways.add_image_nulls("revised_prompt"),
        ],
    )


def test_five_independent_deviations_are_all_reported_with_their_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(five_deviations, "dalle", tmp_path, monkeypatch, "--phases", "examples,coverage")

    log = client_log(tmp_path, "dalle")
    sent = bodies(log)
    found = groups(result)
    expected = {
        (Side.REQUEST, Kind.DROPPED, "style"): sum("style" in body for body in sent),
        (Side.REQUEST, Kind.CLAMPED, "n"): sum(
            gateways.is_integer(body.get("n")) and not 1 <= body["n"] <= 10 for body in sent
        ),
        (Side.REQUEST, Kind.EMPTIED, "prompt"): sum(
            # What becomes "" from an empty value (null, {}, []) is coerced, not emptied.
            "prompt" in body
            and not isinstance(body["prompt"], str)
            and body["prompt"] not in (None, {}, [])
            for body in sent
        ),
        (Side.RESPONSE, Kind.DROPPED, "created"): len(responses(log, 200)),
        (Side.RESPONSE, Kind.NULL_ADDED, "data[].revised_prompt"): sum(
            any(
                isinstance(image, dict) and image.get("revised_prompt", 1) is None
                for image in body.get("data", [])
            )
            for body in responses(log, 200)
        ),
    }
    for key, count in expected.items():
        assert count > 0, f"the run never exercised {key}: the test proves nothing"
        assert found.get(key) == count, f"expected {key} in {count} cases, got {found}"
    assert (Side.REQUEST, Kind.FORWARDED_INVALID, "(request)") in found, found
    assert not result.passed
    assert result.failures_by_check["response_schema_conformance"] > 0, result.failures_by_check
    assert result.gateway is not None and result.gateway.paired[str(PairedBy.HEADER)] > 0
    text = terminal_summary([result], parse_options(["--report-dir", str(tmp_path)]))
    markdown = markdown_summary([result], parse_options(["--report-dir", str(tmp_path)]))
    assert "| style | dropped |" in markdown and "| n | clamped |" in markdown, markdown
    assert "request side (client -> upstream):" in text and "repeat (request, style" in text


def test_a_transparent_proxy_passes_with_zero_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(
        gateways.PlantedGateway, "dalle", tmp_path, monkeypatch, "--phases", "examples,coverage"
    )

    assert result.gateway is not None
    assert result.gateway.groups == [], groups(result)
    assert not result.gateway.unpairable and result.passed, result
    assert sum(result.gateway.paired.values()) > 50, result.gateway.paired
    assert result.gateway.credentials, "expected the key's fate to be reported"


def test_request_header_model_and_error_rewrapping_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(upstream: str) -> gateways.PlantedGateway:
        return gateways.PlantedGateway(
            upstream,
            requests=[
                gateways.drop_header("OpenAI-Organization"),
                gateways.inject("model", "dall-e-2"),
            ],
            responses=[gateways.rewrap_validation_errors],
        )

    result = run(make, "gpt-image", tmp_path, monkeypatch, "--phases", "coverage")

    log = client_log(tmp_path, "gpt-image")
    found = groups(result)
    expected = {
        (Side.REQUEST, Kind.HEADER_DROPPED, "OpenAI-Organization"): sum(
            exchange.request.header("OpenAI-Organization") is not None for exchange in log
        ),
        (Side.REQUEST, Kind.INJECTED, "model"): sum("model" not in body for body in bodies(log)),
        (Side.RESPONSE, Kind.REWRAPPED, "(error body)"): len(responses(log, 422)),
    }
    for key, count in expected.items():
        assert count > 0, f"the run never exercised {key}"
        assert found.get(key) == count, f"expected {key} in {count} cases, got {found}"
    assert result.failures_by_check["response_schema_conformance"] > 0


def test_a_lost_retry_after_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def make(upstream: str) -> gateways.PlantedGateway:
        return gateways.PlantedGateway(
            upstream,
            requests=[gateways.ask_rate_limited(3)],
            responses=[gateways.lose_header("Retry-After")],
        )

    result = run(make, "dalle", tmp_path, monkeypatch, "--phases", "examples")

    # The first request through the proxy may be Schemathesis' probe of the API's capabilities.
    limited = len(responses(client_log(tmp_path, "dalle"), 429))
    assert limited >= 2, f"expected the first requests answered 429, got {limited}"
    lost = groups(result).get((Side.RESPONSE, Kind.HEADER_LOST, "Retry-After"))
    assert lost == limited, f"expected Retry-After lost in {limited} cases: {groups(result)}"


def test_the_probes_find_a_lost_retry_after_with_no_429_in_the_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(upstream: str) -> gateways.PlantedGateway:
        return gateways.PlantedGateway(upstream, responses=[gateways.lose_header("Retry-After")])

    result = run(make, "dalle", tmp_path, monkeypatch, "--phases", "examples")

    assert result.statuses[429] == 0, "Schemathesis' cases alone never meet an upstream 429"
    lost = groups(result).get((Side.RESPONSE, Kind.HEADER_LOST, "Retry-After"))
    assert lost == UPSTREAM_429, f"expected Retry-After lost in the {UPSTREAM_429} probes: {lost}"
    assert result.gateway is not None
    limited = [o for o in result.gateway.probes if o.upstream_status == 429]
    assert len(limited) == UPSTREAM_429 and all(o.client_status == 429 for o in limited)
    assert all(any("Retry-After header lost" in c for c in o.changes) for o in limited), limited


def test_pairing_survives_a_gateway_that_drops_the_correlation_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(upstream: str) -> gateways.PlantedGateway:
        return gateways.PlantedGateway(upstream, requests=[gateways.drop_header("X-Imagegen-Case")])

    result = run(make, "dalle", tmp_path, monkeypatch, "--phases", "examples,coverage")

    assert result.gateway is not None
    paired = result.gateway.paired
    assert paired[str(PairedBy.HEADER)] == 0 and paired[str(PairedBy.NONCE)] > 20, paired
    with_nonce = sum(
        isinstance(body := exchange.request.json, dict) and exchange.tag == body.get("user")
        for exchange in client_log(tmp_path, "dalle")
        if exchange.request.json is not MISSING
    )
    assert paired[str(PairedBy.NONCE)] == with_nonce, (paired, with_nonce)
    assert not result.gateway.unpairable, result.gateway.unpairable
    assert result.gateway.groups == [], groups(result)


def test_a_gateway_to_another_variant_is_compared_by_what_both_specs_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(upstream: str) -> gateways.PlantedGateway:
        # A dalle-facing gateway with an azure upstream: path, query and key header translated.
        def route(raw: bytes) -> bytes:
            suffix = raw.removeprefix(base_path("dalle").encode())
            deployment = base_path("azure").encode() + b"/deployments/dall-e"
            return deployment + suffix.split(b"?")[0] + b"?api-version=2025-01-01-preview"

        return gateways.PlantedGateway(upstream, requests=[gateways.bearer_to_api_key], route=route)

    result = run(
        make, "dalle", tmp_path, monkeypatch, "--phases", "examples", "--upstream-variant", "azure"
    )

    assert result.gateway is not None and result.gateway.upstream_variant == "azure"
    assert sum(result.gateway.paired.values()) > 0, result.gateway.paired
    request_side = {key for key in groups(result) if key[0] == Side.REQUEST}
    assert request_side == set(), f"the translation keeps every shared field: {request_side}"
    assert any("content_filter_results" in text for text in result.gateway.not_compared), (
        result.gateway.not_compared
    )
    assert set(result.gateway.credentials) == {"forwarded (the upstream got the client's key)"}
