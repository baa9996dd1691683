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
    PROMPT_UNDER_TEST,
    CostGuard,
    RequestWithheld,
    parse_rate,
)
from imagegen_spec.conformance.prompts import SAFE_PROMPTS, prompts_in, with_safe_prompt
from imagegen_spec.conformance.settings import HookSettings
from imagegen_spec.conformance.st_config import RunConfig, schemathesis_config
from imagegen_spec.conformance.wire import WireRequest, body_errors, is_valid_body

KEY = "unit-key"
VALID = {"model": "dall-e-2", "prompt": "anything the fuzzer made", "n": 2}
INVALID = {"model": "dall-e-2", "prompt": "x", "size": "1792x1024"}
# A lenient provider may well generate images for these: dall-e-2 with hd quality, 11 images.
LENIENT_BILLS = {"model": "dall-e-2", "prompt": "x", "quality": "hd", "n": 11}


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


def auth(key: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    return headers


def request(body: Any, key: str | None = KEY) -> WireRequest:
    return WireRequest(
        method="POST",
        path="/images/generations",
        query={},
        headers=auth(key),
        body=json.dumps(body).encode("utf-8"),
    )


def admit(cost: CostGuard, body: Any, key: str | None = KEY) -> tuple[bool, Any]:
    """Admit a generated case with this body (sent, when admitted, with the body returned)."""
    return cost.admit(request(body, key), "fuzzing", body)


def send(cost: CostGuard, body: Any, status: int | None, key: str | None = KEY) -> None:
    """Put a case's request through both hard limits and answer it with `status`."""
    sent = request(body, key)
    cost.check_outgoing(sent, "coverage")
    cost.answered(cost.sending(sent), status)


def test_admission_reserves_the_cap_and_swaps_the_prompt(tmp_path: Path) -> None:
    cost = guard(tmp_path, max_paid_requests=1)

    first, body = admit(cost, VALID)
    second, _ = admit(cost, VALID)
    negative, negative_body = admit(cost, INVALID)
    unkeyed, unkeyed_body = admit(cost, VALID, key="wrong")

    assert first and body["prompt"] in SAFE_PROMPTS and is_valid_body("dalle", body), body
    assert unkeyed and unkeyed_body["prompt"] in SAFE_PROMPTS, "every valid body gets one"
    assert not second, "expected the second billable case to be withheld by the cap"
    assert negative, "a body the spec rejects is admitted while the cap is not spent"
    assert negative_body["prompt"] in SAFE_PROMPTS, "an invalid body gets a safe prompt too"
    assert body_errors("dalle", negative_body) == body_errors("dalle", INVALID), (
        "expected the invalid body to stay invalid in the same way"
    )
    assert cost.stats.withheld == {COST_CAP: {"fuzzing": 1}}


def test_admission_keeps_the_last_slot_for_what_the_spec_rejects(tmp_path: Path) -> None:
    cost = guard(tmp_path, max_paid_requests=3)

    admitted = [admit(cost, VALID)[0] for _ in range(3)]
    for _ in range(2):
        send(cost, {**VALID, "prompt": SAFE_PROMPTS[0]}, 200)
    for _ in range(5):
        send(cost, {**INVALID, "prompt": SAFE_PROMPTS[0]}, 400)

    assert admitted == [True, True, False], admitted
    assert admit(cost, INVALID)[0], "expected negative cases to go on while nothing beyond is paid"
    send(cost, {**LENIENT_BILLS, "prompt": SAFE_PROMPTS[0]}, 200)
    assert not admit(cost, INVALID)[0], "expected the cap, spent, to stop every billable case"
    assert admit(cost, {"model": "dall-e-2", "n": 11})[0], "a body without a prompt still goes"
    assert admit(cost, INVALID, key="wrong")[0], "a case without the key still goes"
    assert cost.stats.paid == {"coverage": 3} and cost.stats.paid_beyond_spec == {"coverage": 1}


def test_a_prompt_under_test_never_goes_with_the_key(tmp_path: Path) -> None:
    cost = guard(tmp_path)
    too_long = {"model": "dall-e-2", "prompt": "y" * 1001}

    keyed, _ = admit(cost, too_long)
    unkeyed, unkeyed_body = admit(cost, too_long, key="wrong")

    assert not keyed, "expected the case to be withheld: only a fuzzer's prompt keeps it invalid"
    assert unkeyed and unkeyed_body == too_long, "without the key nothing can be billed"
    assert cost.stats.withheld == {PROMPT_UNDER_TEST: {"fuzzing": 1}}


def test_negative_only_admits_no_valid_body(tmp_path: Path) -> None:
    cost = guard(tmp_path, negative_only=True)

    assert not admit(cost, VALID)[0]
    assert not admit(cost, VALID, key="wrong")[0], "valid, whatever the key"
    admitted, body = admit(cost, INVALID)
    assert admitted and not is_valid_body("dalle", body), body
    with pytest.raises(RequestWithheld, match="negative-only"):
        cost.check_outgoing(request({**VALID, "prompt": SAFE_PROMPTS[0]}), "coverage")
    with pytest.raises(RequestWithheld, match="negative-only"):
        cost.sending(request({**VALID, "prompt": SAFE_PROMPTS[0]}, key=None))
    assert cost.stats.withheld == {NEGATIVE_ONLY: {"fuzzing": 2}}


def test_the_cap_counts_every_paid_answer_whatever_the_spec_says(tmp_path: Path) -> None:
    cost = guard(tmp_path, max_paid_requests=2)
    safe_negative = {**LENIENT_BILLS, "prompt": SAFE_PROMPTS[0]}

    send(cost, safe_negative, 200)  # a lenient server generated images the spec forbids
    send(cost, safe_negative, 429)  # not generated: not counted
    send(cost, {"prompt": SAFE_PROMPTS[1]}, None)  # no answer: it may have been generated
    with pytest.raises(RequestWithheld, match="cost cap"):
        cost.sending(request(safe_negative))
    with pytest.raises(RequestWithheld, match="cost cap"):
        cost.check_outgoing(request(INVALID | {"prompt": SAFE_PROMPTS[2]}), "coverage")
    send(cost, safe_negative, 200, key="wrong")  # an auth probe: cannot be billed
    send(cost, {"model": "dall-e-2", "n": 11}, 200)  # no prompt, nothing to generate

    assert cost.stats.paid == {"coverage": 2}
    assert cost.stats.paid_beyond_spec == {"coverage": 1}
    assert cost.stats.billable == {"coverage": 1} and cost.stats.images == {"coverage": 1}
    assert len(cost.stats.blocked) == 2


def test_the_hard_limits_refuse_a_fuzzer_prompt_with_the_key(tmp_path: Path) -> None:
    cost = guard(tmp_path)

    with pytest.raises(RequestWithheld, match="safe list"):
        cost.check_outgoing(request(VALID), "examples")
    with pytest.raises(RequestWithheld, match="safe list"):
        cost.sending(request(LENIENT_BILLS))
    duplicated = b'{"prompt": "anything", "prompt": "A cup"}'
    with pytest.raises(RequestWithheld, match="safe list"):
        cost.sending(WireRequest("POST", "/images/generations", {}, auth(KEY), duplicated))
    cost.answered(cost.sending(request(LENIENT_BILLS, key="wrong")), 401)


def test_prompts_are_read_as_a_lenient_server_might() -> None:
    assert prompts_in(b'{"prompt": "a", "prompt": 1, "n": {"prompt": "b"}}') == ["a"]
    assert prompts_in('\ufeff{"prompt": "a"}'.encode("utf-16")) == ["a"]
    assert prompts_in(b'{"prompt": "a", "n": NaN}') == ["a"]
    assert prompts_in(b'[{"prompt": "a"}]') == [] and prompts_in(b'{"prompt": "a"') == []
    assert prompts_in(None) == [] and prompts_in(b"\xff\xfe\x00") == []


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


def _config(variant: str, *, guarded: bool) -> dict[str, Any]:
    run = RunConfig(
        base_url="http://127.0.0.1:9/v1",
        seed=7,
        phases=("examples", "fuzzing"),
        mode="negative",
        max_examples=12,
        checks=("not_a_server_error", "image_count_matches_n"),
        request_timeout=30.0,
        suppress_filter_health_check=guarded,
    )
    text = schemathesis_config(
        variant,
        credential_scheme(variant),
        run,
        hooks_path=Path("/r/hooks.py"),
        har_path=Path("/r/recording.har"),
        ndjson_path=Path("/r/events.ndjson"),
        spec_path=Path(f"/spec/{variant}.yaml"),
    )
    return tomllib.loads(text)


def test_the_schemathesis_config_names_the_key_but_holds_none() -> None:
    azure = _config("azure", guarded=True)
    dalle = _config("dalle", guarded=False)

    assert azure["auth"]["openapi"]["apiKey"] == {"api_key": "${IMAGEGEN_AZURE_API_KEY}"}
    assert azure["output"]["sanitization"]["keys-to-sanitize"] == ["api-key"]
    assert azure["output"]["sanitization"]["replacement"] == "$IMAGEGEN_AZURE_API_KEY"
    assert azure["suppress-health-check"] == ["filter_too_much"]
    assert "suppress-health-check" not in dalle
    assert dalle["auth"]["openapi"]["bearerAuth"] == {"bearer": "${IMAGEGEN_DALLE_API_KEY}"}
    assert dalle["output"]["sanitization"]["replacement"] == "Bearer $IMAGEGEN_DALLE_API_KEY"
    assert dalle["cache"] == {"enabled": False} and dalle["generation"]["database"] == "none"
    assert env_var("gpt-image") == "IMAGEGEN_GPT_IMAGE_API_KEY"


def test_the_schemathesis_config_holds_every_setting_of_the_run() -> None:
    config = _config("dalle", guarded=False)

    assert config["seed"] == 7 and config["base-url"] == "http://127.0.0.1:9/v1"
    assert config["continue-on-failure"] is True and config["workers"] == 1
    assert config["request-timeout"] == 30.0 and config["hooks"] == "/r/hooks.py"
    assert config["generation"] == {"database": "none", "mode": "negative", "max-examples": 12}
    enabled = {phase: table["enabled"] for phase, table in config["phases"].items()}
    assert enabled == {"examples": True, "coverage": False, "fuzzing": True, "stateful": False}
    checks = {name for name, table in config["checks"].items() if isinstance(table, dict)}
    assert config["checks"]["enabled"] is False
    assert checks == {"not_a_server_error", "image_count_matches_n"}
    assert config["reports"]["har"] == {"enabled": True, "path": "/r/recording.har"}
    assert config["reports"]["ndjson"] == {"enabled": True, "path": "/r/events.ndjson"}


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
