import json

import pytest

from imagegen_spec.bench.scenarios import (
    B64,
    INVALID,
    RATE_LIMITED,
    SOAK_KINDS,
    UNAUTHENTICATED,
    URL,
    default_response_format,
    scenarios,
)
from imagegen_spec.core.variant import Variant


def test_every_variant_gets_every_kind(variant: str) -> None:
    built = scenarios(variant)
    assert set(built) == set(SOAK_KINDS), f"{variant}: expected one scenario per kind"


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
