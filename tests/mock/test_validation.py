"""The mock validates requests by the spec: accepted gets 200, rejected the provider's error."""

from __future__ import annotations

from typing import Any

import pytest

from imagegen_spec.core.operation import operation
from imagegen_spec.core.validation import validator
from tests.mock.conftest import (
    ENDPOINTS,
    Mock,
    assert_valid_stream_event,
    auth_headers,
    parse_events,
)
from tests.spec.test_request_bodies import TABLE


def assert_matches_response_schema(variant: str, status: int, body: Any) -> None:
    schema_pointer = operation(variant).response_schema_pointer(str(status))
    assert schema_pointer is not None, f"{variant} must declare {status}"
    errors = validator(variant).errors(schema_pointer, body)
    assert errors == [], (
        f"{variant} {status} body must match its schema: {[e.message for e in errors]}"
    )


@pytest.mark.parametrize(
    ("variant", "body", "accepted"),
    [(variant, body, accepted) for variant, _, body, accepted in TABLE],
    ids=[f"{variant}-{case}" for variant, case, _, _ in TABLE],
)
def test_request_table(mock: Mock, variant: str, body: Any, accepted: bool) -> None:
    response = mock.generate(variant, body)
    expected = 200 if accepted else mock.app.runtimes[variant].responses.validation_status
    assert response.status_code == expected, f"expected {expected} for {body!r}: {response.text}"
    if response.headers["content-type"] == "text/event-stream":
        events = parse_events(response.text)
        assert events, f"expected events for {body!r}"
        for name, event in events:
            assert_valid_stream_event(variant, name, event)
    else:
        assert_matches_response_schema(variant, expected, response.json())


@pytest.mark.parametrize(
    ("variant", "body", "field", "code"),
    [
        ("dalle", {"prompt": "p", "n": "5"}, "n", "invalid_type"),
        ("dalle", {"prompt": "p", "n": 11}, "n", "integer_above_max_value"),
        ("dalle", {"prompt": "p", "model": "dall-e-3", "size": "256x256"}, "size", "invalid_value"),
        ("dalle", {"prompt": "p", "colour": "red"}, "colour", "unknown_parameter"),
        ("dalle", {"n": 1}, "prompt", "missing_required_parameter"),
        ("azure", {"prompt": "p", "n": 2}, "n", "integer_above_max_value"),
        ("azure", {"prompt": "p", "size": None}, "size", "invalid_type"),
    ],
)
def test_error_names_the_field(
    mock: Mock, variant: str, body: dict[str, Any], field: str, code: str
) -> None:
    response = mock.generate(variant, body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["param"] == field, f"expected param {field!r} in {error}"
    assert error["code"] == code, f"expected code {code!r} in {error}"
    assert f"'{field}'" in error["message"], f"the message should name {field!r}: {error}"


def test_fastapi_error_lists_every_problem(mock: Mock) -> None:
    body = {"prompt": "p", "n": 9, "background": "transparent", "output_format": "jpeg"}
    response = mock.generate("gpt-image", body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert {tuple(entry["loc"]) for entry in detail} == {("body", "n"), ("body", "output_format")}
    by_loc = {tuple(entry["loc"]): entry for entry in detail}
    assert by_loc[("body", "n")]["type"] == "less_than_equal"
    assert "transparent background" in by_loc[("body", "output_format")]["msg"], (
        "a cross-field rule's message should quote the rule's description"
    )


def test_cross_field_message_quotes_rule(mock: Mock) -> None:
    response = mock.generate("dalle", {"prompt": "p", "style": "natural"})
    assert response.status_code == 400
    assert "Rules per model" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("raw", "what"),
    [(b"{not json", "broken JSON"), (b'{"prompt": NaN}', "NaN"), (b"", "an empty body")],
)
def test_invalid_json_is_a_validation_error(
    mock: Mock, variant: str, raw: bytes, what: str
) -> None:
    response = mock.client.post(
        ENDPOINTS[variant],
        content=raw,
        headers={**auth_headers(variant), "content-type": "application/json"},
    )
    expected = mock.app.runtimes[variant].responses.validation_status
    assert response.status_code == expected, f"{what} should get {expected}: {response.text}"
    assert_matches_response_schema(variant, expected, response.json())


def test_wrong_content_type_is_rejected(mock: Mock, variant: str) -> None:
    response = mock.client.post(
        ENDPOINTS[variant],
        content=b"prompt=p",
        headers={**auth_headers(variant), "content-type": "text/plain"},
    )
    assert response.status_code == mock.app.runtimes[variant].responses.validation_status, (
        response.text
    )
    assert "Content-Type" in response.text


def test_azure_requires_api_version(mock: Mock) -> None:
    path = ENDPOINTS["azure"].split("?")[0]
    response = mock.client.post(path, json={"prompt": "p"}, headers=auth_headers("azure"))
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == "api-version"


def test_azure_empty_api_version_is_refused(mock: Mock) -> None:
    """`api-version=` names no version: 400 naming the parameter (the spec's minLength 1)."""
    path = ENDPOINTS["azure"].split("?")[0] + "?api-version="
    response = mock.client.post(path, json={"prompt": "p"}, headers=auth_headers("azure"))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert (error["param"], error["code"]) == ("api-version", "string_below_min_length"), error


def test_wrong_method_is_405_with_allow(mock: Mock, variant: str) -> None:
    response = mock.client.get(ENDPOINTS[variant], headers=auth_headers(variant))
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_unknown_path_is_404(mock: Mock) -> None:
    assert mock.client.post("/nowhere/v1/images/generations", json={}).status_code == 404


@pytest.mark.parametrize("raw", [b"{not json", b"[]"], ids=["invalid-json", "not-an-object"])
def test_azure_error_about_no_parameter_leaves_param_out(mock: Mock, raw: bytes) -> None:
    """Azure types `param` as a plain string: no parameter at fault means no `param`, not null."""
    headers = {**auth_headers("azure"), "Content-Type": "application/json"}
    response = mock.client.post(ENDPOINTS["azure"], content=raw, headers=headers)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert "param" not in error, f"azure must not send param: null: {error}"
    assert_matches_response_schema("azure", 400, response.json())


def test_openai_error_about_no_parameter_sends_null_param(mock: Mock) -> None:
    """OpenAI's error object declares `param` nullable and always present."""
    headers = {**auth_headers("dalle"), "Content-Type": "application/json"}
    response = mock.client.post(ENDPOINTS["dalle"], content=b"{not json", headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] is None


def test_azure_ignores_unknown_fields(mock: Mock) -> None:
    response = mock.generate("azure", {"prompt": "a corgi", "colour": "red", "stream": True})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (
            {"prompt": "p", "response_format": "url"},
            "response_format",
            "Currently url is not supported",
        ),
        ({"prompt": "p", "stream": True}, "stream", "Streaming is not supported"),
    ],
)
def test_gpt_image_unsupported_value_is_refused_with_the_rule(
    mock: Mock, body: dict[str, Any], field: str, words: str
) -> None:
    response = mock.generate("gpt-image", body)
    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", field], problem
    assert words in problem["msg"], problem
    assert problem["type"] == "literal_error", problem
