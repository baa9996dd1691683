"""Each stage of the mock's pipeline alone, on a hand-built Exchange."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable, Coroutine
from functools import cache
from typing import Any

import pytest

from imagegen_spec.core.request import ProblemKind
from imagegen_spec.core.variant import Variant
from imagegen_spec.mock import pipeline
from imagegen_spec.mock.config import MockConfig
from imagegen_spec.mock.dialects import dialect_for
from imagegen_spec.mock.pipeline import Exchange, Services
from imagegen_spec.mock.replies import Reply
from imagegen_spec.mock.urls import UrlSigner

JSON = {"content-type": "application/json"}


@cache
def runtime(variant: str) -> Variant:
    return Variant(variant)


def exchange(
    variant: str = "dalle",
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    body: bytes = b'{"prompt": "p"}',
    config: MockConfig | None = None,
    query: bytes = b"",
    path_values: dict[str, str] | None = None,
) -> Exchange:
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    settings = config or MockConfig()
    return Exchange(
        runtime=runtime(variant),
        dialect=dialect_for(runtime(variant)),
        services=Services(settings, UrlSigner(b"k", 60), random.Random(0)),
        method=method,
        headers={"authorization": "Bearer k", **JSON, **(headers or {})},
        query_string=query,
        path_values=path_values or {},
        receive=receive,
        origin="http://127.0.0.1:8000",
    )


def run(
    stage: Callable[[Exchange], Coroutine[Any, Any, Reply | None]], ex: Exchange
) -> Reply | None:
    return asyncio.run(stage(ex))


def test_the_stages_run_in_the_named_order() -> None:
    names = [stage.__name__ for stage in pipeline.STAGES]
    assert names == [
        "method",
        "preferences",
        "faults",
        "auth",
        "parameters",
        "body_size",
        "content_type",
        "parse",
        "validate",
        "policy",
        "stream",
        "respond",
    ]


def test_method() -> None:
    assert run(pipeline.method, exchange()) is None
    reply = run(pipeline.method, exchange(method="PUT"))
    assert reply is not None and reply.status == 405 and reply.header("allow") == "POST"


def test_preferences() -> None:
    ex = exchange(headers={"prefer": "code=429; delay=5"})
    assert run(pipeline.preferences, ex) is None
    assert ex.preferences == {"code": "429", "delay": "5"}
    reply = run(pipeline.preferences, exchange(headers={"prefer": "delay=soon"}))
    assert reply is not None and reply.status == 400 and "delay=soon" in json.dumps(reply.body)


@pytest.mark.parametrize(
    ("prefer", "status"),
    [("code=429", 429), ("code=200", None), ("code=418", 400), ("code=²", 400)],
)
def test_faults_answer_a_forced_code(prefer: str, status: int | None) -> None:
    ex = exchange(headers={"prefer": prefer})
    run(pipeline.preferences, ex)
    reply = run(pipeline.faults, ex)
    assert (reply.status if reply else None) == status, f"{prefer}: {reply}"


def test_faults_answer_random_failures_with_declared_5xx() -> None:
    reply = run(pipeline.faults, exchange(config=MockConfig(failure_rate=1.0)))
    assert reply is not None and reply.status in runtime("dalle").responses.server_error_statuses


@pytest.mark.parametrize(
    ("headers", "key", "passes"),
    [
        ({}, None, True),
        ({"authorization": "Basic k"}, None, False),
        ({"authorization": "Bearer  "}, None, False),
        ({}, "k", True),
        ({}, "other", False),
    ],
)
def test_auth(headers: dict[str, str], key: str | None, passes: bool) -> None:
    reply = run(pipeline.auth, exchange(headers=headers, config=MockConfig(api_key=key)))
    assert (reply is None) == passes, reply
    assert reply is None or reply.status == 401


def test_parameters_note_problems_without_answering() -> None:
    ex = exchange("azure", headers={"api-key": "k"}, path_values={"deploymentId": "d"})
    assert run(pipeline.parameters, ex) is None
    assert [problem.param for problem in ex.problems] == ["api-version"]


def test_body_size() -> None:
    small = MockConfig(max_body_bytes=10)
    reply = run(pipeline.body_size, exchange(config=small, body=b"x" * 11))
    assert reply is not None and reply.status == 413 and "10 bytes" in json.dumps(reply.body)
    declared = exchange(config=small, headers={"content-length": "99"}, body=b"")
    assert run(pipeline.body_size, declared) is not None, "a declared length over the cap is 413"
    ex = exchange(body=b'{"prompt": "x"}')
    assert run(pipeline.body_size, ex) is None and ex.raw_body == b'{"prompt": "x"}'


def test_content_type() -> None:
    assert run(pipeline.content_type, exchange()) is None
    reply = run(pipeline.content_type, exchange(headers={"content-type": "text/plain"}))
    assert reply is not None and reply.status == 400
    assert reply.body["error"]["code"] == "unsupported_content_type"


@pytest.mark.parametrize("raw", [b"{", b"[" * 5000 + b"]" * 5000, b'{"n": ' + b"9" * 5000 + b"}"])
def test_parse_refuses_what_is_not_json_it_can_read(raw: bytes) -> None:
    ex = exchange()
    ex.raw_body = raw
    reply = run(pipeline.parse, ex)
    assert reply is not None and reply.body["error"]["code"] == "invalid_json", reply


def test_parse_and_validate() -> None:
    ex = exchange()
    ex.raw_body = b'{"prompt": "p", "n": 0}'
    assert run(pipeline.parse, ex) is None and ex.body == {"prompt": "p", "n": 0}
    reply = run(pipeline.validate, ex)
    assert reply is not None and reply.body["error"]["param"] == "n"


def test_policy_refuses_blocked_terms() -> None:
    ex = exchange()
    ex.body = {"prompt": "Something FORBIDDEN"}
    reply = run(pipeline.policy, ex)
    assert reply is not None and reply.body["error"]["code"] == "content_policy_violation"
    ex.body = {"prompt": "an otter"}
    assert run(pipeline.policy, ex) is None


def test_respond_signs_urls_at_the_origin() -> None:
    ex = exchange()
    ex.body = {"prompt": "p", "n": 2}
    reply = asyncio.run(pipeline.respond(ex))
    urls = [entry["url"] for entry in reply.body["data"]]
    assert len(urls) == 2 and all(u.startswith("http://127.0.0.1:8000/_mock/images/") for u in urls)


def test_the_mocks_own_problems_use_no_json_schema_keyword() -> None:
    ex = exchange(headers={"content-type": "text/plain", "prefer": "delay=x"})
    found = []
    for stage in (pipeline.preferences, pipeline.content_type):
        reply = run(stage, ex)
        assert reply is not None
        found.append(reply.body["error"]["code"])
    assert found == ["invalid_value", "unsupported_content_type"]
    assert {kind.value for kind in ProblemKind} >= {"prefer_delay", "prefer_code", "content_type"}
