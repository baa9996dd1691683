"""The runner can fail: each broken server is caught by the check that guards the rule.

The breakages of a variant are served by one broken server and found by one run (three runs in
all, not one per breakage); each test still judges its own breakage by its own check and cause.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from starlette.types import ASGIApp

from imagegen_spec.conformance.credentials import placeholder
from imagegen_spec.conformance.excerpt import BODY_LIMIT
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.core.operation import operation
from imagegen_spec.core.variant import variant_model
from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from tests.conformance import servers
from tests.conformance.conftest import KEY, run_live

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


@dataclass(frozen=True)
class Breakage:
    """One way a server breaks a rule, the check that must report it, and what the report says."""

    variant: str
    phases: tuple[str, ...]
    check: str
    cause: str
    """A piece of the failure's message that only this breakage produces."""
    wrap: Callable[[ASGIApp], ASGIApp] | None = None
    """The broken middleware around the mock (None: the breakage is the mock's config)."""


BREAKAGES = {
    "created-string": Breakage(
        "dalle", ("examples",), "created_is_recent", "must be an integer", servers.created_as_string
    ),
    "fewer-images": Breakage(
        "gpt-image", ("examples",), "image_count_matches_n", "images (n)", servers.one_image_short
    ),
    "b64-wrong-size": Breakage(
        "gpt-image",
        ("examples",),
        "b64_json_image_matches_request",
        f"is {servers.WRONG_SIDE}x{servers.WRONG_SIDE}",
        servers.wrong_image_size,
    ),
    "url-wrong-size": Breakage(
        "dalle",
        ("examples",),
        "image_url_serves_image",
        f"is {servers.WRONG_SIDE}x{servers.WRONG_SIDE}",
        servers.wrong_image_size,
    ),
    "stream-partial-wrong-size": Breakage(
        "openai",
        ("examples",),
        "streamed_images_match_request",
        f"is {servers.WRONG_SIDE}x{servers.WRONG_SIDE}",
        lambda app: servers.wrong_partial_image_size(app, partial_event()),
    ),
    "stream-event-schema": Breakage(
        "openai",
        ("examples",),
        "response_schema_conformance",
        "Event #",  # Schemathesis names the streamed event that fails the schema
        lambda app: servers.stream_event_without(app, completed_event(), "usage"),
    ),
    "error-shape": Breakage(
        "azure",
        ("coverage",),
        "response_schema_conformance",
        '"error" is a required property',
        servers.wrong_error_shape,
    ),
    "invalid-size-accepted": Breakage(
        "dalle",
        ("coverage",),
        "negative_data_rejection",
        "size",
        lambda app: servers.invalid_size_accepted(app, dalle_sizes()),
    ),
    "auth-ignored": Breakage(
        "azure", ("examples",), "ignored_auth", "invalid credentials provided"
    ),
}
"""Each breakage, by id. The breakages of one variant are independent (each check can only be
failed by its own breakage: the image checks judge only valid requests, `created_is_recent`
only `created`, `negative_data_rejection` only invalid requests that got a 2xx, the schema check
of azure only the error bodies, the stream check of openai only its images, the schema check
of openai only its events, `ignored_auth` only the statuses of unauthenticated probes), so
one server per variant carries all of them and one run reports each."""


def broken_server(variant: str) -> ASGIApp:
    """The mock with every breakage of `variant` at once."""
    breakages = [breakage for breakage in BREAKAGES.values() if breakage.variant == variant]
    keyed = all(breakage.wrap is not None for breakage in breakages)
    app: ASGIApp = create_app(MockConfig(api_key=KEY if keyed else None))
    for breakage in breakages:
        if breakage.wrap is not None:
            app = breakage.wrap(app)
    return app


@pytest.fixture(scope="module")
def broken_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, VariantResult]:
    """One run per variant against its broken server, in the phases its breakages need."""
    runs = {}
    for variant in sorted({breakage.variant for breakage in BREAKAGES.values()}):
        phases = {
            phase
            for breakage in BREAKAGES.values()
            if breakage.variant == variant
            for phase in breakage.phases
        }
        runs[variant] = run_live(
            broken_server(variant),
            variant,
            tmp_path_factory.mktemp(f"broken-{variant}"),
            "--phases",
            ",".join(sorted(phases)),
        )
    return runs


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_a_broken_server_is_reported_by_the_right_check(
    broken_runs: dict[str, VariantResult], name: str
) -> None:
    breakage = BREAKAGES[name]
    result, check = broken_runs[breakage.variant], breakage.check

    assert not result.passed, "expected the broken server to fail the run"
    assert result.failures_by_check[check] > 0, (
        f"expected {check} to report the breakage; failures: {dict(result.failures_by_check)}"
    )
    example = next(
        (
            group
            for group in result.groups
            if group.check == check and breakage.cause in group.message
        ),
        None,
    )
    assert example is not None, (
        f"expected a {check} failure saying {breakage.cause!r}: "
        f"{[group.message for group in result.groups if group.check == check]}"
    )
    assert example.count > 0 and example.response is not None, example
    assert len(example.response.body) < BODY_LIMIT + 40, "expected the body excerpt truncated"
    assert example.curl is not None and example.curl.startswith("curl -X "), example
    if check == "ignored_auth":
        # The probe that got in sent no key or a wrong one, never ours.
        assert placeholder(breakage.variant) not in example.curl, example
    else:
        assert placeholder(breakage.variant) in example.curl, (
            f"expected the key's placeholder: {example}"
        )
    assert KEY not in example.curl
