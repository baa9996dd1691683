"""What core.request makes of an openai request: the size rule, `auto` resolved, base64."""

from __future__ import annotations

from imagegen_spec.core.request import (
    ProblemKind,
    body_problems,
    effective_request,
    image_request,
    resolved_request,
    size_problems,
)
from imagegen_spec.core.variant import variant_model


def test_a_size_breaking_x_imagegen_size_is_one_problem_naming_size() -> None:
    problems = body_problems(variant_model("openai"), {"prompt": "p", "size": "1000x1000"})
    assert [(p.path, p.kind) for p in problems] == [(("size",), ProblemKind.SIZE)], problems
    assert "multiples of 16" in problems[0].message, problems[0].message


def test_a_size_the_schema_rejects_is_not_reported_twice() -> None:
    body = {"prompt": "p", "model": "gpt-image-1.5", "size": "1000x1000"}
    problems = body_problems(variant_model("openai"), body)
    assert [p.kind for p in problems] == [ProblemKind.ENUM], f"one enum problem, got {problems}"


def test_size_problems_skip_variants_without_a_rule_and_non_sizes() -> None:
    assert size_problems(variant_model("gpt-image"), {"prompt": "p", "size": "1000x1000"}) == []
    assert size_problems(variant_model("openai"), {"prompt": "p", "size": "auto"}) == []
    assert size_problems(variant_model("openai"), ["not", "a", "body"]) == []


def test_openai_auto_values_resolve_as_the_spec_says() -> None:
    runtime = variant_model("openai")
    effective = effective_request(runtime, {"prompt": "p"})
    resolved = resolved_request(runtime, effective)
    for name, value in runtime.request.autos.items():
        assert resolved[name] == value, f"`auto` {name} should resolve to {value}"
    assert resolved["moderation"] == "auto", "a field without x-imagegen-auto keeps `auto`"


def test_openai_images_come_as_base64_at_the_auto_size() -> None:
    runtime = variant_model("openai")
    wanted = image_request(runtime, effective_request(runtime, {"prompt": "p"}))
    width, height = map(int, runtime.request.auto_size.split("x"))
    assert (wanted.response_format, wanted.width, wanted.height) == ("b64_json", width, height)
