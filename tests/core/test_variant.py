"""What the mock reads from a spec at start-up, whichever way the spec spells it."""

from __future__ import annotations

import copy

import pytest

from imagegen_spec.core.operation import Operation, operation
from imagegen_spec.core.variant import SizeRule, Variant


def test_a_default_declared_on_a_referenced_component_is_the_mocks_default() -> None:
    """azure's `response_format` is a `$ref` with its default beside it; moved onto the
    component it names, the default must still be found (it applies there too)."""
    real = operation("azure")
    spec = copy.deepcopy(real.spec)
    request = spec["components"]["schemas"]["ImageGenerationsRequest"]
    response_format = request["properties"]["response_format"]
    target = response_format["$ref"].removeprefix("#/components/schemas/")
    default = response_format.pop("default")
    spec["components"]["schemas"][target]["default"] = default
    moved = Operation(variant="azure", spec=spec, path=real.path, method=real.method)

    runtime = Variant("azure", moved)

    assert runtime.request.defaults["response_format"] == default, (
        f"expected the default {default!r} declared on {target} to be found"
    )
    assert runtime.request.defaults == Variant("azure").request.defaults, (
        "expected the same defaults wherever the spec declares them"
    )


def test_openai_size_rule_is_read_from_x_imagegen_size() -> None:
    size = operation("openai").spec["components"]["schemas"]["CreateImageRequest"]["properties"][
        "size"
    ]["x-imagegen-size"]
    rule = Variant("openai").request.size_rule
    assert rule == SizeRule(
        multiple_of=size["multipleOf"],
        max_edge=size["maxEdge"],
        min_pixels=size["minPixels"],
        max_pixels=size["maxPixels"],
        max_aspect_ratio=size["maxAspectRatio"],
    ), f"expected the rule the spec states, {size}, got {rule}"


def test_variants_without_x_imagegen_size_have_no_size_rule() -> None:
    for variant in ("azure", "dalle", "gpt-image"):
        assert Variant(variant).request.size_rule is None, f"{variant} states no size rule"


@pytest.mark.parametrize(
    ("width", "height", "broken"),
    [
        (1536, 864, []),
        (1000, 1008, ["both sides must be multiples of 16"]),
        (3856, 1600, ["no side may exceed 3840 pixels"]),
        (1008, 640, ["it must have at least 655360 pixels"]),
        (3072, 3072, ["it must have at most 8294400 pixels"]),
        (3840, 1264, ["the aspect ratio must be between 1:3 and 3:1"]),
    ],
)
def test_size_rule_names_each_limit_a_size_breaks(
    width: int, height: int, broken: list[str]
) -> None:
    rule = SizeRule(
        multiple_of=16, max_edge=3840, min_pixels=655360, max_pixels=8294400, max_aspect_ratio=3
    )
    assert rule.violations(width, height) == broken, f"{width}x{height} should break {broken}"


@pytest.mark.parametrize("keyword", [[16], {"multipleOf": 16, "maxSide": 4}, {}])
def test_a_malformed_x_imagegen_size_is_refused(keyword: object) -> None:
    with pytest.raises(ValueError, match="x-imagegen-size"):
        SizeRule.of(keyword)


def test_openai_auto_values_and_base64_default_are_read_from_the_spec() -> None:
    runtime = Variant("openai")
    properties = runtime.request.properties
    expected = {
        name: properties[name]["x-imagegen-auto"] for name in ("size", "quality", "background")
    }
    assert runtime.request.autos == expected, f"expected the spec's x-imagegen-auto {expected}"
    assert runtime.responses.default_response_format == "b64_json", (
        "openai's images have no `url`, so a request without response_format gets b64_json"
    )
