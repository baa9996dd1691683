"""The cost guard's two gates, the safe prompts, and what the runner writes for Schemathesis."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from imagegen_spec.conformance.credentials import credential_scheme, env_var, placeholder
from imagegen_spec.conformance.curl import curl_command
from imagegen_spec.conformance.guard import (
    COST_CAP,
    NEGATIVE_ONLY,
    CostGuard,
    RequestWithheld,
    parse_rate,
)
from imagegen_spec.conformance.prompts import SAFE_PROMPTS, with_safe_prompt
from imagegen_spec.conformance.settings import HookSettings
from imagegen_spec.conformance.st_config import schemathesis_config
from imagegen_spec.conformance.wire import WireRequest, is_valid_body

KEY = "unit-key"
VALID = {"model": "dall-e-2", "prompt": "anything the fuzzer made", "n": 2}
INVALID = {"model": "dall-e-2", "prompt": "x", "size": "1792x1024"}


def guard(tmp_path: Path, **settings: Any) -> CostGuard:
    defaults: dict[str, Any] = {
        "variant": "dalle",
        "base_url": "https://api.example.com/v1",
        "max_paid_requests": None,
        "negative_only": False,
        "safe_prompts": True,
        "rate_limit": None,
        "stats_path": str(tmp_path / "stats.json"),
    }
    return CostGuard(HookSettings(**{**defaults, **settings}), credential_scheme("dalle"), KEY)


def request(body: Any, key: str | None = KEY) -> WireRequest:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    return WireRequest(
        method="POST",
        path="/images/generations",
        query={},
        headers=headers,
        body=json.dumps(body).encode("utf-8"),
    )


def test_admission_reserves_the_cap_and_swaps_the_prompt(tmp_path: Path) -> None:
    cost = guard(tmp_path, max_paid_requests=1)

    first, body = cost.admit(request(VALID), "fuzzing")
    second, _ = cost.admit(request(VALID), "fuzzing")
    negative, _ = cost.admit(request(INVALID), "fuzzing")

    unkeyed, unkeyed_body = cost.admit(request(VALID, key="wrong"), "fuzzing")

    assert first and body["prompt"] in SAFE_PROMPTS and is_valid_body("dalle", body), body
    assert unkeyed and unkeyed_body["prompt"] in SAFE_PROMPTS, "every valid body gets one"
    assert not second, "expected the second billable case to be withheld by the cap"
    assert negative, "a body the spec rejects costs nothing and is admitted"
    assert cost.stats.withheld == {COST_CAP: {"fuzzing": 1}}


def test_negative_only_admits_no_valid_body(tmp_path: Path) -> None:
    cost = guard(tmp_path, negative_only=True)

    assert not cost.admit(request(VALID), "coverage")[0]
    assert not cost.admit(request(VALID, key="wrong"), "coverage")[0], "valid, whatever the key"
    assert cost.admit(request(INVALID), "coverage")[0]
    with pytest.raises(RequestWithheld, match="negative-only"):
        cost.check_outgoing(request({**VALID, "prompt": SAFE_PROMPTS[0]}), "coverage", "c1")
    assert cost.stats.withheld == {NEGATIVE_ONLY: {"coverage": 2}}


def test_the_hard_limit_stops_what_admission_missed(tmp_path: Path) -> None:
    cost = guard(tmp_path, max_paid_requests=1)
    safe = {**VALID, "prompt": SAFE_PROMPTS[0]}

    cost.check_outgoing(request(safe), "examples", "c1")
    cost.check_outgoing(request(safe, key="wrong"), "examples", "c2")  # not billable
    with pytest.raises(RequestWithheld, match="cost cap"):
        cost.check_outgoing(request(safe), "examples", "c3")
    with pytest.raises(RequestWithheld, match="safe list"):
        guard(tmp_path).check_outgoing(request(VALID), "examples", "c4")

    assert cost.stats.billable == {"examples": 1} and cost.stats.images == {"examples": 2}
    assert len(cost.stats.blocked) == 1


def test_a_case_resent_after_429_costs_no_second_slot(tmp_path: Path) -> None:
    cost = guard(tmp_path, max_paid_requests=1)
    safe = {**VALID, "prompt": SAFE_PROMPTS[0]}

    cost.check_outgoing(request(safe), "examples", "c1")
    cost.record_response("c1", 429)
    cost.check_outgoing(request(safe), "examples", "c1")
    cost.record_response("c1", 200)
    with pytest.raises(RequestWithheld):
        cost.check_outgoing(request(safe), "examples", "c1")


def test_safe_prompts_respect_the_spec_limits() -> None:
    def fits(limit: int) -> Any:
        return lambda body: len(body["prompt"]) <= limit

    chosen = with_safe_prompt({"prompt": "zzz"}, fits(12))

    assert chosen is not None and chosen["prompt"] in SAFE_PROMPTS
    assert len(chosen["prompt"]) <= 12
    assert with_safe_prompt({"prompt": "zzz"}, fits(3)) is None


@pytest.mark.parametrize("text", ["10/x", "ten/m", "0/s", "5"])
def test_a_bad_rate_is_explained(text: str) -> None:
    with pytest.raises(ValueError, match=r"e\.g\. 10/m"):
        parse_rate(text)


def test_the_schemathesis_config_names_the_key_but_holds_none() -> None:
    azure = tomllib.loads(
        schemathesis_config("azure", credential_scheme("azure"), suppress_filter_health_check=True)
    )
    dalle = tomllib.loads(
        schemathesis_config("dalle", credential_scheme("dalle"), suppress_filter_health_check=False)
    )

    assert azure["auth"]["openapi"]["apiKey"] == {"api_key": "${IMAGEGEN_AZURE_API_KEY}"}
    assert azure["output"]["sanitization"]["keys-to-sanitize"] == ["api-key"]
    assert azure["output"]["sanitization"]["replacement"] == "$IMAGEGEN_AZURE_API_KEY"
    assert azure["suppress-health-check"] == ["filter_too_much"]
    assert dalle["auth"]["openapi"]["bearerAuth"] == {"bearer": "${IMAGEGEN_DALLE_API_KEY}"}
    assert dalle["output"]["sanitization"]["replacement"] == "Bearer $IMAGEGEN_DALLE_API_KEY"
    assert dalle["cache"] == {"enabled": False} and dalle["generation"]["database"] == "none"
    assert env_var("gpt-image") == "IMAGEGEN_GPT_IMAGE_API_KEY"


def test_the_curl_command_lets_the_shell_fill_in_the_key() -> None:
    recorded = {
        "method": "POST",
        "uri": "https://api.example.com/v1/images/generations",
        "headers": {
            "Authorization": [f"Bearer {placeholder('dalle')}"],
            "Content-Type": ["application/json"],
        },
        "body": {"$base64": "eyJwcm9tcHQiOiAiaXQncyJ9"},  # {"prompt": "it's"}
    }

    command = curl_command(recorded, placeholder("dalle"))

    assert '-H "Authorization: Bearer $IMAGEGEN_DALLE_API_KEY"' in command, command
    assert '--data-raw \'{"prompt": "it\'"\'"\'s"}\'' in command, command
    assert command.endswith("https://api.example.com/v1/images/generations")
