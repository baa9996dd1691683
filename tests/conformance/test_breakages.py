"""The runner can fail: each broken server is caught by the check that guards the rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.types import ASGIApp

from imagegen_spec.conformance.credentials import placeholder
from imagegen_spec.conformance.excerpt import BODY_LIMIT
from imagegen_spec.core.operation import operation
from imagegen_spec.core.variant import variant_model
from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from tests.conformance import servers
from tests.conformance.conftest import KEY, CheckLive

pytestmark = pytest.mark.slow  # full Schemathesis runs


def dalle_sizes() -> list[str]:
    """Every size the dalle spec lists (a lax server accepts only these, ignoring others)."""
    op = operation("dalle")
    return list(op.spec["components"]["schemas"]["ImageSize"]["enum"])


def partial_event() -> str:
    """The name of the openai spec's partial-image event."""
    stream = variant_model("openai").events
    assert stream is not None and stream.partial is not None, "openai declares partial images"
    return stream.partial.name


def completed_event() -> str:
    """The name of the openai spec's completed event (its schema requires `usage`)."""
    stream = variant_model("openai").events
    assert stream is not None and "usage" in stream.completed.schema["required"]
    return stream.completed.name


def strict_mock() -> ASGIApp:
    """The mock, accepting only the test key."""
    return create_app(MockConfig(api_key=KEY))


BREAKAGES: list[tuple[str, Callable[[], ASGIApp], str, str, str]] = [
    # (id, broken server, variant, phases, the check that must report it)
    (
        "created-string",
        lambda: servers.created_as_string(strict_mock()),
        "dalle",
        "examples",
        "created_is_recent",
    ),
    (
        "fewer-images",
        lambda: servers.one_image_short(strict_mock()),
        "gpt-image",
        "examples",
        "image_count_matches_n",
    ),
    (
        "b64-wrong-size",
        lambda: servers.wrong_image_size(strict_mock()),
        "gpt-image",
        "examples",
        "b64_json_image_matches_request",
    ),
    (
        "url-wrong-size",
        lambda: servers.wrong_image_size(strict_mock()),
        "dalle",
        "examples",
        "image_url_serves_image",
    ),
    (
        "stream-partial-wrong-size",
        lambda: servers.wrong_partial_image_size(strict_mock(), partial_event()),
        "openai",
        "examples",
        "streamed_images_match_request",
    ),
    (
        "stream-event-schema",
        lambda: servers.stream_event_without(strict_mock(), completed_event(), "usage"),
        "openai",
        "examples",
        "response_schema_conformance",
    ),
    (
        "error-shape",
        lambda: servers.wrong_error_shape(strict_mock()),
        "azure",
        "coverage",
        "response_schema_conformance",
    ),
    (
        "invalid-size-accepted",
        lambda: servers.invalid_size_accepted(strict_mock(), dalle_sizes()),
        "dalle",
        "coverage",
        "negative_data_rejection",
    ),
    (
        "auth-ignored",
        lambda: create_app(MockConfig(api_key=None)),
        "azure",
        "examples",
        "ignored_auth",
    ),
]


@pytest.mark.parametrize(
    ("make_server", "variant", "phases", "check"),
    [pytest.param(*rest, id=name) for name, *rest in BREAKAGES],
)
def test_a_broken_server_is_reported_by_the_right_check(
    check_live: CheckLive,
    make_server: Callable[[], ASGIApp],
    variant: str,
    phases: str,
    check: str,
) -> None:
    result = check_live(make_server(), variant, "--phases", phases, "--max-paid-requests", "1000")

    assert not result.passed, "expected the broken server to fail the run"
    assert result.failures_by_check[check] > 0, (
        f"expected {check} to report the breakage; failures: {dict(result.failures_by_check)}"
    )
    example = next(group for group in result.groups if group.check == check)
    assert example.count > 0 and example.response is not None, example
    assert len(example.response.body) < BODY_LIMIT + 40, "expected the body excerpt truncated"
    assert example.curl is not None and example.curl.startswith("curl -X "), example
    if check == "ignored_auth":
        # The probe that got in sent no key or a wrong one, never ours.
        assert placeholder(variant) not in example.curl, example
    else:
        assert placeholder(variant) in example.curl, f"expected the key's placeholder: {example}"
    assert KEY not in example.curl
