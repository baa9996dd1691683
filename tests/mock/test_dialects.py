"""Provider dialects: chosen from each spec, and every provider quirk shaped by them alone."""

from __future__ import annotations

import dataclasses

import pytest

from imagegen_spec.core.request import Problem, ProblemKind
from imagegen_spec.core.variant import Variant
from imagegen_spec.mock.dialects import AZURE, FASTAPI, OPENAI, dialect_for
from imagegen_spec.mock.replies import Reply
from tests.mock.test_validation import assert_matches_response_schema


@pytest.mark.parametrize(
    ("variant", "dialect"),
    [("dalle", OPENAI), ("gpt-image", FASTAPI), ("azure", AZURE), ("openai", OPENAI)],
)
def test_each_spec_gets_its_dialect(variant: str, dialect: object) -> None:
    assert dialect_for(Variant(variant)) is dialect


def test_replies_are_frozen_with_slots() -> None:
    reply = Reply(200, {"ok": True}, (("x", "y"),))
    with pytest.raises(dataclasses.FrozenInstanceError):
        reply.status = 500  # type: ignore[misc]
    assert not hasattr(reply, "__dict__"), "expected a slotted Reply"
    assert reply.header("X") == "y"


def test_fastapi_lists_the_mocks_own_problems_as_pydantic_does() -> None:
    runtime = Variant("gpt-image")
    problem = Problem(
        "header", ("Content-Type",), ProblemKind.CONTENT_TYPE, "bad", ["application/json"]
    )
    reply = FASTAPI.validation_error(runtime, [problem])
    assert reply.status == 422
    assert reply.body["detail"] == [
        {
            "loc": ["header", "Content-Type"],
            "msg": "Input should be 'application/json'",
            "type": "literal_error",
        }
    ]
    assert_matches_response_schema("gpt-image", 422, reply.body)


def test_azure_refusals_report_the_tripped_blocklist() -> None:
    runtime = Variant("azure")
    reply = AZURE.refusal(runtime, "forbidden")
    inner = reply.body["error"]["inner_error"]
    blocklists = inner["content_filter_results"]["custom_blocklists"]
    assert blocklists["filtered"] is True and blocklists["details"][0]["filtered"] is True
    assert "'forbidden'" in reply.body["error"]["message"]
    assert_matches_response_schema("azure", reply.status, reply.body)
    again = AZURE.refusal(runtime, "other")
    assert "'forbidden'" not in again.body["error"]["message"], "the template must stay unchanged"


def test_only_azure_sends_apim_request_id() -> None:
    assert [name for name, _ in OPENAI.request_id_headers("req_1")] == ["x-request-id"]
    assert [name for name, _ in FASTAPI.request_id_headers("req_1")] == ["x-request-id"]
    assert [name for name, _ in AZURE.request_id_headers("req_1")] == [
        "x-request-id",
        "apim-request-id",
    ]
