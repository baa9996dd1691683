"""Every answer in the provider's shape and no crash: hostile bodies, headers, routes, flags."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from imagegen_spec.core.variant import variant_model
from imagegen_spec.mock import __main__ as mock_main
from imagegen_spec.mock.__main__ import config_from_args, parse_args
from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from tests.loopback import exchange_raw, oversized_head, refused_body, served
from tests.mock.conftest import (
    ENDPOINTS,
    Mock,
    assert_in_error_shape,
    auth_headers,
    in_process,
)
from tests.mock.test_validation import assert_matches_response_schema


def post_raw(mock: Mock, variant: str, raw: bytes) -> tuple[int, object]:
    response = mock.client.post(
        ENDPOINTS[variant],
        content=raw,
        headers={**auth_headers(variant), "content-type": "application/json"},
    )
    return response.status_code, response.json()


@pytest.mark.parametrize("depth", [981, 5_000, 100_000])
def test_deeply_nested_json_is_a_validation_error(mock: Mock, variant: str, depth: int) -> None:
    raw = b'{"prompt": "p", "user": ' + b"[" * depth + b"]" * depth + b"}"
    status, body = post_raw(mock, variant, raw)
    expected = mock.app.runtimes[variant].responses.validation_status
    assert status == expected, f"expected {expected} for JSON nested {depth} deep, got {status}"
    assert_matches_response_schema(variant, expected, body)


@pytest.mark.parametrize(
    "number",
    [b"1e999", b"-1e999", b"9" * 5_000, b"1" + b"0" * 400],
    ids=["inf", "-inf", "5000-digits", "1e400-int"],
)
def test_huge_numbers_are_validation_errors(mock: Mock, variant: str, number: bytes) -> None:
    status, body = post_raw(mock, variant, b'{"prompt": "p", "n": ' + number + b"}")
    expected = mock.app.runtimes[variant].responses.validation_status
    assert status == expected, f"expected {expected} for n={number[:20]!r}, got {status}: {body}"
    assert_matches_response_schema(variant, expected, body)


@pytest.mark.parametrize(
    "prefer",
    ["code=²", "code=٤٢٩", "code=", "code=99999999999999999999", "delay=1e309", "=;=,,", "code"],
)
def test_any_prefer_value_gets_an_answer_in_shape(mock: Mock, variant: str, prefer: str) -> None:
    # As bytes: latin-1 where it can be (`²` arrives as the one byte 0xB2), else UTF-8.
    try:
        raw = prefer.encode("latin-1")
    except UnicodeEncodeError:
        raw = prefer.encode("utf-8")
    headers = {name.encode(): value.encode() for name, value in auth_headers(variant).items()}
    response = mock.client.post(
        ENDPOINTS[variant], json={"prompt": "p"}, headers={**headers, b"prefer": raw}
    )
    expected = mock.app.runtimes[variant].responses.validation_status
    assert response.status_code in (200, expected), f"Prefer: {prefer} gave {response.text}"
    if response.status_code != 200:
        assert_matches_response_schema(variant, expected, response.json())


@pytest.mark.parametrize(
    ("path", "shape"),
    [
        ("/dalle/v1/images/variations", "dalle"),
        ("/gpt-image/v1/models", "gpt-image"),
        ("/azure/v1/deployments/d/images/edits", "azure"),
        ("/nowhere", "dalle"),
    ],
)
def test_unknown_routes_answer_404_in_shape(mock: Mock, path: str, shape: str) -> None:
    response = mock.client.post(path, json={})
    assert response.status_code == 404, response.text
    assert_in_error_shape(shape, response.json())
    assert path in response.json()["error"]["message"], "the 404 should name the path"


def test_wrong_method_answers_405_in_the_variants_shape(mock: Mock, variant: str) -> None:
    response = mock.client.get(ENDPOINTS[variant], headers=auth_headers(variant))
    assert response.status_code == 405
    assert_in_error_shape(variant, response.json())


def test_every_answer_carries_a_request_id(mock: Mock, variant: str) -> None:
    ok = mock.generate(variant, {"prompt": "p"})
    bad = mock.generate(variant, {"prompt": "p", "n": 0})
    lost = mock.client.get(f"/{variant}/v1/nowhere")
    ids = [r.headers.get("x-request-id") for r in (ok, bad, lost)]
    assert all(ids) and len(set(ids)) == 3, f"expected three distinct x-request-id, got {ids}"
    apim = ok.headers.get("apim-request-id")
    assert (apim is not None) == (variant == "azure"), (
        f"expected apim-request-id only from azure, {variant} sent {apim!r}"
    )


def test_the_429_message_states_the_retry_after_it_sends() -> None:
    for mock in in_process(MockConfig(retry_after=7)):
        for variant in ("dalle", "azure", "gpt-image"):
            response = mock.generate(variant, {"prompt": "p"}, headers={"Prefer": "code=429"})
            assert response.headers["retry-after"] == "7"
            message = response.json()["error"]["message"]
            assert "7 s" in message or "7s" in message or "7 seconds" in message, message
            assert "20" not in message, f"the message still names the example's 20 s: {message}"


LOCAL_ORIGIN = "http://localhost:5173"


def test_cors_allows_loopback_origins_by_default(mock: Mock) -> None:
    preflight = mock.client.options(
        ENDPOINTS["dalle"],
        headers={
            "Origin": LOCAL_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == LOCAL_ORIGIN
    response = mock.generate("dalle", {"prompt": "p"}, headers={"Origin": LOCAL_ORIGIN})
    assert response.headers["access-control-allow-origin"] == LOCAL_ORIGIN
    assert "x-request-id" in response.headers["access-control-expose-headers"]
    elsewhere = mock.generate("dalle", {"prompt": "p"}, headers={"Origin": "https://evil.test"})
    assert "access-control-allow-origin" not in elsewhere.headers


@pytest.fixture
def cors_off() -> Iterator[Mock]:
    yield from in_process(config_from_args(parse_args(["--no-cors"])))


def test_cors_can_be_switched_off_or_widened(cors_off: Mock) -> None:
    response = cors_off.generate("dalle", {"prompt": "p"}, headers={"Origin": LOCAL_ORIGIN})
    assert "access-control-allow-origin" not in response.headers
    for wide in in_process(config_from_args(parse_args(["--cors-origin", "https://app.test"]))):
        allowed = wide.generate("dalle", {"prompt": "p"}, headers={"Origin": "https://app.test"})
        assert allowed.headers["access-control-allow-origin"] == "https://app.test"


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--retry-after", "-5"], "retry_after"),
        (["--blocked-term", ""], "blocked_terms"),
        (["--url-ttl", "nan"], "url_ttl_seconds"),
        (["--url-ttl", "inf"], "url_ttl_seconds"),
        (["--public-url", "127.0.0.1:8000"], "public_url"),
        (["--cors-origin", "localhost"], "cors_origins"),
    ],
)
def test_flags_that_break_behaviour_are_refused_in_one_line(
    flags: list[str],
    named: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the mock started with {flags}")

    monkeypatch.setattr(mock_main, "serve", never)
    assert mock_main.main(flags) == 2, f"expected exit 2 for {flags}"
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and named in error, f"expected one line naming {named}: {error}"


@pytest.mark.parametrize("flags", [["--workers", "0"], ["--workers", "two"]])
def test_bad_worker_counts_are_usage_errors(flags: list[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(flags)


@pytest.fixture(scope="module")
def bounded_server() -> Iterator[int]:
    """The mock served with the command line's uvicorn options (its bounded protocol)."""
    with served(create_app()) as origin:
        yield int(origin.rsplit(":", 1)[1])


@pytest.mark.parametrize("status", [431, 414])
def test_oversized_request_heads_are_refused_in_the_variants_shape(
    bounded_server: int, variant: str, status: int
) -> None:
    path = variant_model(variant).route.local_prefix + "/images/generations"
    body = refused_body(exchange_raw(bounded_server, oversized_head(path, status)), status)
    # No spec declares 414 or 431: the answer has the shape of the variant's errors.
    assert_in_error_shape(variant, body)
    assert body["error"]["code"] in ("request_uri_too_long", "request_header_fields_too_large")


@pytest.mark.parametrize("status", [431, 414])
def test_an_oversized_head_under_no_variant_gets_the_openai_error_object(
    bounded_server: int, status: int
) -> None:
    body = refused_body(exchange_raw(bounded_server, oversized_head("/elsewhere", status)), status)
    assert set(body["error"]) == {"message", "type", "param", "code"}, body


def test_a_normal_head_still_passes_the_bound(bounded_server: int) -> None:
    request = b"GET /_mock/stats HTTP/1.1\r\nHost: x\r\nX-Some: " + b"a" * 8000
    answer = exchange_raw(bounded_server, request + b"\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]


def test_a_superscript_status_in_prefer_is_a_clear_error(bounded_server: int) -> None:
    # Over a real socket: the byte 0xB2 reaches the app as `²`, which str.isdigit accepts.
    body = b'{"prompt": "p"}'
    request = (
        b"POST /dalle/v1/images/generations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n"
        b"Content-Type: application/json\r\nPrefer: code=\xb2\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    answer = exchange_raw(bounded_server, request)
    assert answer.startswith(b"HTTP/1.1 400"), f"expected a 400: {answer[:300]!r}"
    assert_matches_response_schema("dalle", 400, json.loads(answer.partition(b"\r\n\r\n")[2]))
