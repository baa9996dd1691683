"""docs/gateways.md's rendering and LiteLLM's configs, on recorded exchanges (no gateway runs)."""

from __future__ import annotations

import json
from typing import Any

import yaml

from imagegen_spec.conformance.gateway.compare import Comparison
from imagegen_spec.conformance.gateway.exchanges import Exchange, Request, Response
from imagegen_spec.conformance.gateway.probes import parameter_example
from imagegen_spec.conformance.gateway.report import analyse
from imagegen_spec.conformance.gateway.showcase import (
    LITELLM_WILDCARD,
    Outcome,
    Showcase,
    litellm_config,
    litellm_wildcard_config,
    render,
)
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.conformance.tagging import CORRELATION_HEADER
from imagegen_spec.core.variant import variant_model

CLIENT = "http://127.0.0.1:4000/v1"
UPSTREAM = "http://127.0.0.1:5000/dalle/v1"
TAG = "imagegen-00000000000000aa"


def exchange(body: Any, base: str, at: float, headers: dict[str, str]) -> Exchange:
    """A recorded 200 exchange of `body` at `base`."""
    return Exchange(
        request=Request(
            headers={name: [value] for name, value in headers.items()},
            body=json.dumps(body).encode(),
            method="POST",
            uri=base + "/images/generations",
        ),
        response=Response(headers={}, body=b'{"created": 1, "data": []}', status=200),
        started=at,
        finished=at + 0.1,
        tag=TAG if base == CLIENT else "",
    )


def wildcard_outcome() -> Outcome:
    """LiteLLM's wildcard route as recorded: a request without `model` went up as None/None."""
    client = [exchange({"prompt": "a cat"}, CLIENT, 1.0, {CORRELATION_HEADER: TAG})]
    upstream = [
        exchange(
            {"model": "None/None", "prompt": "a cat"}, UPSTREAM, 1.01, {CORRELATION_HEADER: TAG}
        )
    ]
    comparison = Comparison("dalle", "dalle", CLIENT, UPSTREAM, "$IMAGEGEN_DALLE_API_KEY")
    result = VariantResult("dalle", CLIENT)
    result.gateway = analyse(comparison, client, upstream, UPSTREAM, lambda exchange: True)
    return Outcome("LiteLLM proxy", "dalle", "dalle", result, 1.0, setup=LITELLM_WILDCARD)


def test_a_missing_model_sent_up_as_none_none_renders_as_injected() -> None:
    page = render(Showcase(outcomes=[wildcard_outcome()]), [])

    assert "## LiteLLM proxy (wildcard route), dalle" in page, page
    assert (
        '| way up | `model` | injected | (absent) | "None/None" | 1 | '
        "[1](#litellm-wildcard-route-dalle-1) |"
    ) in page, page
    assert '<a id="litellm-wildcard-route-dalle-1"></a>' in page, page


def test_a_gateway_in_two_configurations_gets_distinct_titles_and_anchors() -> None:
    wildcard = wildcard_outcome()
    per_model = Outcome("LiteLLM proxy", "dalle", "dalle", wildcard.result, 1.0)

    assert (per_model.title, per_model.anchor) == ("LiteLLM proxy", "litellm-dalle")
    assert (wildcard.title, wildcard.anchor) == (
        "LiteLLM proxy (wildcard route)",
        "litellm-wildcard-route-dalle",
    )


def test_the_wildcard_config_is_one_catch_all_route_to_the_variant_s_upstream() -> None:
    config = yaml.safe_load(litellm_wildcard_config(5000, "up-key", "sk-master", "dalle"))

    assert config["model_list"] == [
        {
            "model_name": "*",
            "litellm_params": {
                "model": "openai/*",
                "api_base": "http://127.0.0.1:5000/dalle/v1",
                "api_key": "up-key",
            },
        }
    ], config
    assert config["general_settings"] == {"master_key": "sk-master"}, config


def test_litellm_per_model_config_has_a_deployment_per_dalle_spec_model() -> None:
    runtime = variant_model("dalle")
    enum = runtime.operation.enum_values(runtime.request.properties["model"])
    config = yaml.safe_load(litellm_config(5000, "up-key", "sk-master"))

    names = [deployment["model_name"] for deployment in config["model_list"]]
    expected = [*enum, "gpt-image-1", parameter_example("azure", "deploymentId")]
    assert names == expected, f"one deployment per dalle `model` enum member {enum}: {names}"
    assert [d["litellm_params"]["model"] for d in config["model_list"]][: len(enum)] == [
        f"openai/{model}" for model in enum
    ], config
    assert config["model_list"][-1]["litellm_params"]["model"] == "azure/dall-e-3", config
