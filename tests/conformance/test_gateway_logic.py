"""Pairing and comparison on recorded exchanges (no server, no Schemathesis): fast and exact."""

from __future__ import annotations

import json
from typing import Any

from imagegen_spec.conformance.excerpt import BODY_LIMIT, body_text
from imagegen_spec.conformance.gateway.compare import ABSENT, Comparison, Credential, Kind, Side
from imagegen_spec.conformance.gateway.exchanges import Exchange, Request, Response, from_record
from imagegen_spec.conformance.gateway.pairing import PairedBy, pair
from imagegen_spec.conformance.gateway.report import analyse
from imagegen_spec.conformance.tagging import CORRELATION_HEADER, with_nonce
from imagegen_spec.conformance.wire import body_errors

CLIENT = "http://127.0.0.1:4000/v1"
UPSTREAM = "http://127.0.0.1:5000/dalle/v1"
PLACEHOLDER = "$IMAGEGEN_DALLE_API_KEY"
TAG_A = "imagegen-00000000000000aa"
TAG_B = "imagegen-00000000000000bb"


def exchange(
    body: Any,
    *,
    at: float,
    tag: str = "",
    headers: dict[str, str] | None = None,
    status: int = 200,
    answer: Any = None,
    answer_headers: dict[str, str] | None = None,
    base: str = CLIENT,
    path: str = "/images/generations",
) -> Exchange:
    """A recorded exchange of `body` (JSON) started at `at` and finished 0.1 s later."""
    return Exchange(
        request=Request(
            headers={name: [value] for name, value in (headers or {}).items()},
            body=json.dumps(body).encode() if body is not None else b"",
            method="POST",
            uri=base + path,
        ),
        response=Response(
            headers={name: [value] for name, value in (answer_headers or {}).items()},
            body=json.dumps(answer if answer is not None else {}).encode(),
            status=status,
        ),
        started=at,
        finished=at + 0.1,
        tag=tag,
    )


def comparison(upstream_variant: str = "dalle") -> Comparison:
    return Comparison("dalle", upstream_variant, CLIENT, UPSTREAM, PLACEHOLDER)


def test_pairing_tries_the_header_then_the_nonce_then_the_content() -> None:
    client = [
        exchange({"prompt": "a", "n": 1}, at=1.0, tag=TAG_A),
        exchange({"prompt": "b", "user": TAG_B}, at=2.0, tag=TAG_B),
        exchange({"prompt": "c", "n": 2}, at=3.0, tag="imagegen-00000000000000cc"),
    ]
    upstream = [
        exchange({"prompt": "a"}, at=1.01, headers={CORRELATION_HEADER: TAG_A}, base=UPSTREAM),
        exchange({"prompt": "b", "user": TAG_B}, at=2.01, base=UPSTREAM),
        exchange({"prompt": "c", "n": 2}, at=3.01, base=UPSTREAM),
    ]

    pairing = pair(client, upstream)

    assert [(p.client.tag, p.by) for p in pairing.pairs] == [
        (TAG_A, PairedBy.HEADER),
        (TAG_B, PairedBy.NONCE),
        ("imagegen-00000000000000cc", PairedBy.CONTENT),
    ]
    assert not pairing.unpairable and not pairing.not_forwarded and not pairing.upstream_only


def test_an_ambiguous_request_is_reported_not_guessed() -> None:
    client = [exchange({"prompt": "same"}, at=1.0, tag=TAG_A)]
    upstream = [
        exchange({"prompt": "same"}, at=1.02, base=UPSTREAM),
        exchange({"prompt": "same"}, at=1.05, base=UPSTREAM),
    ]

    pairing = pair(client, upstream)

    assert pairing.pairs == [] and pairing.unpairable == client
    assert len(pairing.upstream_only) == 2


def test_a_request_with_nothing_upstream_in_its_window_was_not_forwarded() -> None:
    client = [exchange({"prompt": "a"}, at=1.0, tag=TAG_A)]
    upstream = [exchange({"prompt": "a"}, at=0.5, base=UPSTREAM)]  # before it was sent

    pairing = pair(client, upstream)

    assert pairing.not_forwarded == client and pairing.upstream_only == upstream


def test_request_changes_are_classified_from_the_spec() -> None:
    client = exchange(
        {"prompt": 0, "n": 11, "size": "256x256", "style": "vivid", "quality": "standard"},
        at=1.0,
        tag=TAG_A,
    )
    upstream = exchange(
        {"prompt": "", "n": 10, "size": 256, "quality": "hd", "model": "dall-e-2"},
        at=1.01,
        base=UPSTREAM,
    )

    found = {
        (f.kind, f.field): (f.client, f.upstream)
        for f in comparison().request_changes(client, upstream)
    }

    assert found[(Kind.EMPTIED, "prompt")] == ("0", '""')
    assert found[(Kind.CLAMPED, "n")] == ("11", "10")  # dalle's n is 1..10 in its spec
    assert found[(Kind.COERCED, "size")] == ('"256x256"', "256")
    assert found[(Kind.DROPPED, "style")] == ('"vivid"', ABSENT)
    assert found[(Kind.CHANGED, "quality")] == ('"standard"', '"hd"')
    assert found[(Kind.INJECTED, "model")] == (ABSENT, '"dall-e-2" (the spec\'s default)')


def test_a_request_the_spec_rejects_that_the_upstream_accepted_should_have_been_rejected() -> None:
    client = exchange({"prompt": "a", "n": 0}, at=1.0, tag=TAG_A)
    upstream = exchange({"prompt": "a", "n": 1}, at=1.01, base=UPSTREAM, status=200)

    kinds = {f.kind for f in comparison().request_changes(client, upstream)}

    assert kinds == {Kind.CLAMPED, Kind.FORWARDED_INVALID}


def test_response_changes_dropped_added_nulls_retry_after_rewrap() -> None:
    upstream = exchange(
        {"prompt": "a"},
        at=1.01,
        base=UPSTREAM,
        answer={"created": 1, "data": [{"url": "u"}], "extra": 1},
    )
    client = exchange(
        {"prompt": "a"},
        at=1.0,
        tag=TAG_A,
        answer={"data": [{"url": "u", "revised_prompt": None}], "usage": {}, "extra": 2},
    )
    limited_up = exchange(
        {},
        at=2.01,
        base=UPSTREAM,
        status=429,
        answer={"error": {"message": "slow"}},
        answer_headers={"retry-after": "3"},
    )
    limited = exchange({}, at=2.0, status=429, answer={"detail": "slow"})

    found = {(f.kind, f.field) for f in comparison().response_changes(client, upstream)}
    back = {(f.kind, f.field) for f in comparison().response_changes(limited, limited_up)}

    assert found == {
        (Kind.DROPPED, "created"),
        (Kind.NULL_ADDED, "data[].revised_prompt"),
        (Kind.ADDED, "usage"),
        (Kind.CHANGED, "extra"),
    }
    assert back == {(Kind.HEADER_LOST, "Retry-After"), (Kind.REWRAPPED, "(error body)")}


def test_across_variants_only_what_both_specs_name_is_compared() -> None:
    client = exchange({"prompt": "a", "model": "dall-e-3", "style": "vivid"}, at=1.0, tag=TAG_A)
    upstream = exchange(
        {"prompt": "a", "style": "vivid"},
        at=1.01,
        base="http://127.0.0.1:5000/azure/v1",
        path="/deployments/d/images/generations",
        answer={"created": 1, "data": [{"url": "u", "content_filter_results": {}}]},
    )
    client_answer = exchange({}, at=0, answer={"created": 1, "data": [{"url": "u"}]})
    client = Exchange(client.request, client_answer.response, 1.0, 1.1, TAG_A)
    azure = Comparison("dalle", "azure", CLIENT, "http://127.0.0.1:5000/azure/v1", PLACEHOLDER)

    changes = azure.request_changes(client, upstream) + azure.response_changes(client, upstream)

    # azure's request schema has `model` too, so dropping it is a change; content filter
    # results exist only in azure's response, so they are not compared.
    assert {(f.side, f.kind, f.field) for f in changes} == {(Side.REQUEST, Kind.DROPPED, "model")}
    assert any("content_filter_results" in text for text in azure.not_compared), azure.not_compared


def test_the_credential_is_reported_forwarded_replaced_or_dropped() -> None:
    carried = {"Authorization": f"Bearer {PLACEHOLDER}"}
    forwarded = exchange({}, at=1, headers=carried, base=UPSTREAM)
    replaced = exchange({}, at=1, headers={"Authorization": "Bearer <another key>"}, base=UPSTREAM)
    dropped = exchange({}, at=1, base=UPSTREAM)

    check = comparison()

    assert check.carried_key(exchange({}, at=1, headers=carried))
    assert check.credential(forwarded) == Credential.FORWARDED
    assert check.credential(replaced) == Credential.REPLACED
    assert check.credential(dropped) == Credential.DROPPED


def test_analyse_counts_cases_per_group_and_keeps_one_repro() -> None:
    client = [
        exchange({"prompt": "a", "style": "vivid"}, at=1.0, tag=TAG_A),
        exchange({"prompt": "b", "model": "dall-e-3", "style": "natural"}, at=2.0, tag=TAG_B),
    ]
    upstream = [
        exchange({"prompt": "a"}, at=1.01, headers={CORRELATION_HEADER: TAG_A}, base=UPSTREAM),
        exchange(
            {"prompt": "b", "model": "dall-e-3"},
            at=2.01,
            headers={CORRELATION_HEADER: TAG_B},
            base=UPSTREAM,
        ),
    ]

    report = analyse(comparison(), client, upstream, UPSTREAM, lambda exchange: True)

    (group,) = report.groups
    assert (group.side, group.kind, group.field, group.count) == (
        Side.REQUEST,
        Kind.DROPPED,
        "style",
        2,
    )
    assert group.repro is not None and group.repro.startswith("curl -X POST")
    assert report.deviation_cases == 2 and report.paired == {str(PairedBy.HEADER): 2}
    markdown = "\n".join(report.markdown_lines())
    assert '| style | dropped | "vivid", "natural" | (absent), (absent) | 2 |' in markdown, markdown


def test_a_recorded_record_reads_back() -> None:
    record = exchange({"prompt": "a"}, at=1.0, tag=TAG_A).to_json()

    assert from_record(json.loads(json.dumps(record))).request.json == {"prompt": "a"}


def test_the_nonce_goes_only_where_it_keeps_the_body_s_errors() -> None:
    valid = b'{"prompt": "a cup", "n": 1}'
    invalid = b'{"prompt": "a cup", "n": 0}'

    tagged = with_nonce("dalle", valid, TAG_A)
    assert tagged is not None and json.loads(tagged) == {"user": TAG_A, "prompt": "a cup", "n": 1}
    assert tagged.endswith(b'"prompt": "a cup", "n": 1}'), "the rest keeps its bytes"
    again = with_nonce("dalle", invalid, TAG_A)
    assert again is not None
    assert body_errors("dalle", json.loads(again)) == body_errors("dalle", json.loads(invalid))
    assert with_nonce("dalle", b'{"prompt": "a", "user": "me"}', TAG_A) is None
    assert with_nonce("dalle", b'"a string"', TAG_A) is None
    assert with_nonce("dalle", b"{}", TAG_A) == b'{"user": "' + TAG_A.encode() + b'"}'


def test_a_response_excerpt_hides_image_bytes_and_the_key() -> None:
    body = json.dumps({"data": [{"b64_json": "A" * 5000}], "note": "key sk-secret"}).encode()

    text = body_text(body, "application/json", "sk-secret", PLACEHOLDER)

    assert "AAAA" not in text and "5,000 characters" in text and PLACEHOLDER in text, text
    assert "sk-secret" not in text
    long = body_text(b"x" * 5000, "text/plain")
    assert len(long) < BODY_LIMIT + 40 and "5,000 characters in all" in long
    assert body_text(b"\x89PNG", "image/png") == "<4 bytes of image/png>"
