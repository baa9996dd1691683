import json

import pytest

from imagegen_spec.bench.scenarios import (
    B64,
    B64_LARGEST,
    B64_UNIQUE,
    INVALID,
    PROMPT_KINDS,
    RATE_LIMITED,
    SOAK_KINDS,
    UNAUTHENTICATED,
    URL,
    URL_LARGEST,
    URL_UNIQUE,
    default_response_format,
    scenarios,
)
from imagegen_spec.bench.streaming import bodies, stream_variant
from imagegen_spec.core.variant import Variant, variant_model


def test_every_variant_gets_every_kind(variant: str) -> None:
    built = set(scenarios(variant))
    wanted = set(SOAK_KINDS) | set(PROMPT_KINDS)
    # gpt-image accepts only b64_json and openai has no url mode at all, so neither has a url
    # request of the largest size.
    expected = wanted - {URL_LARGEST} if variant in ("gpt-image", "openai") else wanted
    assert built == expected, f"{variant}: expected {sorted(expected)}, got {sorted(built)}"


def test_unique_prompt_kinds_give_each_request_its_own_valid_body(variant: str) -> None:
    runtime = Variant(variant)
    pointer = runtime.operation.request_schema_pointer
    for kind in (URL_UNIQUE, B64_UNIQUE, B64_LARGEST):
        scenario = scenarios(variant)[kind]
        assert scenario.unique, f"{variant} {kind}: expected a unique-prompt body"
        first, second = (json.loads(scenario.body_for(n)) for n in (1, 2))
        assert first["prompt"] != second["prompt"], f"{variant} {kind}: prompts must differ"
        assert runtime.validator.is_valid(pointer, first), f"{variant} {kind}: invalid {first}"
    largest = json.loads(scenarios(variant)[B64_LARGEST].body_for(1))["size"]
    width, height = (int(side) for side in largest.split("x"))
    # gpt-image's and openai's listed sizes end at 1536x1024 (openai's larger gpt-image-2 sizes
    # follow a pattern, not a list).
    assert width * height >= 1792 * 1024 or variant in ("gpt-image", "openai"), largest


def test_bodies_and_statuses_follow_the_spec(variant: str) -> None:
    runtime = Variant(variant)
    built = scenarios(variant)
    pointer = runtime.operation.request_schema_pointer
    for kind in (URL, B64):
        body = json.loads(built[kind].body)
        assert runtime.validator.is_valid(pointer, body), f"{variant} {kind}: body must be valid"
        assert built[kind].expected_status == 200
    invalid = json.loads(built[INVALID].body)
    assert not runtime.validator.is_valid(pointer, invalid)
    assert invalid["n"] == runtime.request.properties["n"]["maximum"] + 1
    assert built[INVALID].expected_status == runtime.responses.validation_status
    assert built[UNAUTHENTICATED].expected_status == 401
    assert runtime.auth.header not in {name.lower() for name in built[UNAUTHENTICATED].headers}
    assert built[RATE_LIMITED].headers["Prefer"] == "code=429"
    assert built[RATE_LIMITED].expected_status == 429


def test_required_parameters_are_filled_from_the_spec() -> None:
    azure = scenarios("azure")[URL]
    assert "{" not in azure.path, f"path parameters must be filled in: {azure.path}"
    assert "api-version=" in azure.path, "the required query parameter comes from its example"


@pytest.mark.parametrize("kind", [URL, B64])
def test_dalle_b64_and_url_modes(kind: str) -> None:
    body = json.loads(scenarios("dalle")[kind].body)
    wanted = "b64_json" if kind == B64 else default_response_format("dalle")
    assert body.get("response_format", default_response_format("dalle")) == wanted
    assert default_response_format("dalle") == "url", "dalle's default body is url mode"


def test_the_streamed_bench_request_is_the_spec_s_and_valid() -> None:
    variant = stream_variant()
    runtime = variant_model(variant)
    made = bodies(runtime)

    assert runtime.events is not None, f"{variant} declares an event stream"
    most = runtime.request.properties["partial_images"]["maximum"]
    assert made["streamed"] == {**made["json"], "stream": True, "partial_images": most}
    assert "stream" not in made["json"], made


def test_the_streamed_bench_size_is_the_one_auto_stands_for() -> None:
    runtime = variant_model(stream_variant())
    made = bodies(runtime)

    expected = runtime.request.properties["size"]["x-imagegen-auto"]
    assert made["json"]["size"] == expected, f"the size `auto` stands for, {expected}: {made}"
