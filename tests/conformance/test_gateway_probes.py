"""Gateway probes: read from the spec, forced upstream 429s, and each probe's outcome (no gateway).

The probe set is checked against the spec itself; the recording upstream is driven in-process;
outcomes are computed from recorded exchanges.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from starlette.types import Message

from imagegen_spec.conformance.gateway.compare import Comparison
from imagegen_spec.conformance.gateway.probes import (
    DEFAULTS_PROBE,
    RATE_LIMITED,
    UPSTREAM_429,
    declared_types,
    error_message,
    fullest_example,
    operation_url,
    probes,
)
from imagegen_spec.conformance.gateway.report import analyse
from imagegen_spec.conformance.gateway.upstream import UpstreamRecorder
from imagegen_spec.conformance.runner import mock_app
from imagegen_spec.conformance.tagging import CORRELATION_HEADER
from imagegen_spec.conformance.wire import is_valid_body
from imagegen_spec.core.specs import variants
from imagegen_spec.core.variant import variant_model
from imagegen_spec.shared.asgi import replay
from tests.conformance.test_gateway_logic import CLIENT, PLACEHOLDER, UPSTREAM, exchange

TAG_A = "imagegen-00000000000000aa"
TAG_B = "imagegen-00000000000000bb"


@pytest.mark.parametrize("variant", variants())
def test_every_probe_is_what_the_spec_says_it_is(variant: str) -> None:
    found = probes(variant)
    request = variant_model(variant).request
    required = request.schema.get("required", [])

    wrong_typed = [probe for probe in found if " as " in probe.name]
    for probe in wrong_typed:
        assert not is_valid_body(variant, probe.body), f"the spec accepts {probe.name}"
    named = {probe.name.split("`")[1] for probe in wrong_typed}
    assert named == set(request.properties), f"every field gets a wrong-typed value: {named}"
    assert "`prompt` as 0" in {probe.name for probe in found}
    defaults = next(probe for probe in found if probe.name == DEFAULTS_PROBE)
    assert set(defaults.body) == set(required) and is_valid_body(variant, defaults.body)
    for name in required:
        missing = next(probe for probe in found if probe.name == f"without `{name}` (required)")
        assert name not in missing.body and not is_valid_body(variant, missing.body)
    limited = [probe for probe in found if probe.upstream_status == RATE_LIMITED]
    assert len(limited) == UPSTREAM_429 and all(is_valid_body(variant, p.body) for p in limited)
    assert "user" not in fullest_example(variant), "the nonce goes in `user`"


def test_a_nullable_field_is_not_probed_with_null_and_refs_are_followed() -> None:
    model = variant_model("dalle").request.properties["model"]

    assert declared_types("dalle", model) == {"string", "null"}
    names = {probe.name for probe in probes("dalle")}
    assert "`model` as null" not in names and '`model` as "0"' not in names
    assert "`prompt` as null" in names, "prompt is not nullable"


def test_the_url_fills_path_and_required_query_parameters_from_the_examples() -> None:
    assert operation_url("azure", "http://127.0.0.1:4000/openai/") == (
        "http://127.0.0.1:4000/openai/deployments/dalle-deployment/images/generations"
        "?api-version=2025-01-01-preview"
    )
    assert operation_url("dalle", "http://g/v1") == "http://g/v1/images/generations"


def test_error_messages_are_read_from_either_error_shape() -> None:
    assert error_message({"error": {"message": "Invalid model name passed in model=None"}}) == (
        "Invalid model name passed in model=None"
    )
    assert error_message({"detail": [{"msg": "x"}]}) == '[{"msg": "x"}]'
    assert error_message([]) == "" and len(error_message({"error": {"message": "m" * 500}})) == 90


def call(app: Any, headers: list[tuple[bytes, bytes]], body: bytes) -> tuple[int, dict[str, str]]:
    """One POST to the dalle operation through an ASGI app: its status and headers."""
    start: dict[str, Any] = {}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/dalle/v1/images/generations",
        "raw_path": b"/dalle/v1/images/generations",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), *headers],
        "server": ("127.0.0.1", 1),
        "client": ("127.0.0.1", 2),
        "scheme": "http",
        "http_version": "1.1",
    }
    asyncio.run(app(scope, replay(body), send))
    return int(start["status"]), {
        name.decode(): value.decode() for name, value in start.get("headers", [])
    }


def test_the_upstream_answers_a_probe_s_tag_429_by_header_or_by_nonce() -> None:
    recorder = UpstreamRecorder("k", PLACEHOLDER, "Authorization", bearer=True)
    app = recorder.wrap(mock_app("k", retry_after=1))
    recorder.answer(TAG_A, 429)
    key = (b"authorization", b"Bearer k")
    body = json.dumps({"prompt": "a cup"}).encode()

    by_header = call(app, [key, (CORRELATION_HEADER.lower().encode(), TAG_A.encode())], body)
    by_nonce = call(app, [key], json.dumps({"prompt": "a cup", "user": TAG_A}).encode())
    other = call(app, [key, (CORRELATION_HEADER.lower().encode(), TAG_B.encode())], body)

    assert by_header[0] == 429 and by_header[1].get("retry-after") == "1", by_header
    assert by_nonce[0] == 429, by_nonce
    assert other[0] == 200, "a request with another tag is served as usual"
    assert all("prefer" not in exchange.request.headers for exchange in recorder.recorded()), (
        "the record keeps the request as it arrived"
    )


def test_probe_outcomes_say_what_reached_the_upstream_and_what_changed() -> None:
    emptied, refused = (
        probes("dalle")[0],
        next(probe for probe in probes("dalle") if probe.name == DEFAULTS_PROBE),
    )
    limited = next(probe for probe in probes("dalle") if probe.upstream_status == RATE_LIMITED)
    client = [
        exchange({**emptied.body, "user": TAG_A}, at=1.0, tag=TAG_A, status=400),
        exchange(
            refused.body,
            at=2.0,
            tag=TAG_B,
            status=400,
            answer={"error": {"message": "Invalid model name passed in model=None"}},
        ),
        exchange(
            {**limited.body, "user": "imagegen-00000000000000cc"},
            at=3.0,
            tag="imagegen-00000000000000cc",
            status=429,
        ),
    ]
    upstream = [
        exchange({**emptied.body, "prompt": "", "user": TAG_A}, at=1.01, base=UPSTREAM, status=400),
        exchange(
            {**limited.body, "user": "imagegen-00000000000000cc"},
            at=3.01,
            base=UPSTREAM,
            status=429,
            answer_headers={"Retry-After": "1"},
        ),
    ]
    by_tag = {TAG_A: emptied, TAG_B: refused, "imagegen-00000000000000cc": limited}
    comparison = Comparison("dalle", "dalle", CLIENT, UPSTREAM, PLACEHOLDER)

    report = analyse(comparison, client, upstream, UPSTREAM, lambda exchange: True, by_tag)

    first, second, third = report.probes
    assert first.name == "`prompt` as 0" and first.upstream_status == 400
    assert first.changes[0] == 'prompt emptied: 0 -> ""', first.changes
    assert not second.forwarded and second.notable and "model=None" in second.client_text
    assert third.changes == ("Retry-After header lost on the way back: 1 -> (absent)",)
    assert third.forced and third.notable
    rows = report.probe_rows()
    assert (
        len(rows) == 3
        and rows[1][3] == "answered by the gateway itself, though the spec accepts it"
    )
    assert "Probes: 3 sent, 2 reached the upstream" in "\n".join(report.markdown_lines())


def test_a_retry_after_passed_on_is_said_and_the_429_probe_still_listed() -> None:
    limited = next(probe for probe in probes("dalle") if probe.upstream_status == RATE_LIMITED)
    body = {**limited.body, "user": TAG_A}
    client = [exchange(body, at=1.0, tag=TAG_A, status=429, answer_headers={"Retry-After": "1"})]
    upstream = [
        exchange(body, at=1.01, base=UPSTREAM, status=429, answer_headers={"retry-after": "1"})
    ]
    comparison = Comparison("dalle", "dalle", CLIENT, UPSTREAM, PLACEHOLDER)

    report = analyse(
        comparison, client, upstream, UPSTREAM, lambda exchange: True, {TAG_A: limited}
    )

    (outcome,) = report.probes
    assert outcome.changes == ("Retry-After passed on: 1",), outcome.changes
    assert outcome.notable and report.groups == [], report.groups
