"""The summary and JUnit of a result read from a recorded event stream (no server)."""

from __future__ import annotations

import base64
import json
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from imagegen_spec.conformance.guard import COST_CAP
from imagegen_spec.conformance.junit import junit_xml
from imagegen_spec.conformance.options import parse_options
from imagegen_spec.conformance.report import markdown_summary, terminal_summary, verdict
from imagegen_spec.conformance.results import VariantResult, collect
from imagegen_spec.conformance.stats import GuardStats

PLACEHOLDER = "$IMAGEGEN_DALLE_API_KEY"


def interaction(status: int | None, body: Any) -> dict[str, Any]:
    content = {"$base64": base64.b64encode(json.dumps(body).encode()).decode()}
    return {
        "request": {
            "method": "POST",
            "uri": "http://127.0.0.1:1/dalle/v1/images/generations",
            "headers": {"Authorization": [f"Bearer {PLACEHOLDER}"]},
            "body": {"$base64": base64.b64encode(b'{"prompt": "a"}').decode()},
        },
        "response": None
        if status is None
        else {
            "status_code": status,
            "headers": {"content-type": ["application/json"], "retry-after": ["3"]},
            "content": content,
        },
    }


def failure(name: str, title: str, message: str, case: str) -> dict[str, Any]:
    return {
        "name": name,
        "status": "failure",
        "failure_info": {"failure": {"title": title, "message": message, "case_id": case}},
    }


def events() -> list[dict[str, Any]]:
    image = {"data": [{"b64_json": "Q" * 4000}], "created": 1}
    return [
        {
            "ScenarioFinished": {
                "phase": "coverage",
                "recorder": {
                    "interactions": {
                        "a": interaction(200, image),
                        "b": interaction(200, image),
                        "c": interaction(500, {"error": {"message": "boom"}}),
                        "d": interaction(None, None),
                    },
                    "checks": {
                        "a": [failure("not_a_server_error", "Server error", "", "c")],
                        "b": [
                            failure("created_is_recent", "created", "`created` is 1, 12 ago", "a"),
                            failure("created_is_recent", "created", "`created` is 7, 99 ago", "b"),
                            {"name": "ignored_auth", "status": "success"},
                        ],
                    },
                },
            }
        }
    ]


def result() -> VariantResult:
    return collect(VariantResult("dalle", "test"), events(), GuardStats(), PLACEHOLDER)


def test_failures_group_by_check_and_cause_with_counts_and_the_response() -> None:
    found = result()

    by_check = {(group.check, group.count) for group in found.groups}
    assert by_check == {("created_is_recent", 2), ("not_a_server_error", 1)}, found.groups
    server_error = next(group for group in found.groups if group.check == "not_a_server_error")
    assert server_error.response is not None and server_error.response.status == 500
    assert "boom" in server_error.response.body
    assert found.cases_sent == 4 and found.unanswered == 1 and found.answered == 3
    assert any("1 of 4 requests got no answer" in reason for reason in found.cut_short)
    assert not found.passed


def test_the_summaries_show_the_example_response_and_say_cut_short(tmp_path: Path) -> None:
    options = parse_options(["--report-dir", str(tmp_path)])

    text = terminal_summary([result()], options)
    markdown = markdown_summary([result()], options)

    assert "FAILED created_is_recent (2 cases)" in text, text
    assert "response: HTTP 500" in text and "retry-after: 3" in text, text
    assert "CUT SHORT: 1 of 4 requests got no answer" in text
    assert "coverage 4 (1 unanswered); answered: 3" in text, text
    assert "QQQQ" not in text and "4,000 characters" in text, "image bytes must be redacted"
    assert "| `created_is_recent` | created: `created` is N, N ago | 2 |" in markdown, markdown
    assert "| CUT SHORT |" in markdown


def test_junit_has_one_test_case_per_check_and_cause() -> None:
    root = ElementTree.fromstring(junit_xml(result()))

    cases = {
        (case.get("classname"), case.get("name")): case.find("failure") is not None
        for case in root.iter("testcase")
    }

    assert cases[("conformance.dalle.checks", "ignored_auth")] is False
    assert cases[("conformance.dalle.checks.created_is_recent", "created: `created` is N, N ago")]
    assert cases[("conformance.dalle.checks.not_a_server_error", "Server error")]
    assert cases[("conformance.dalle", "run is complete")], "a cut-short run fails its case"


def test_a_run_the_cost_cap_held_back_is_limited_and_fails(tmp_path: Path) -> None:
    passing = [
        {
            "ScenarioFinished": {
                "phase": "examples",
                "recorder": {
                    "interactions": {"a": interaction(200, {"data": [], "created": 1})},
                    "checks": {"a": [{"name": "not_a_server_error", "status": "success"}]},
                },
            }
        }
    ]
    stats = GuardStats()
    stats.withheld[COST_CAP] = Counter({"coverage": 7, "fuzzing": 5})
    found = collect(VariantResult("dalle", "test"), passing, stats, PLACEHOLDER)
    options = parse_options(["--report-dir", str(tmp_path)])

    text = terminal_summary([found], options)
    root = ElementTree.fromstring(junit_xml(found))

    assert not found.passed and not found.cut_short, (found.cut_short, found.limited)
    assert found.limited == [
        "the cost cap (--max-paid-requests) withheld 12 cases; raise it to send them "
        "(each could generate a billed image)"
    ]
    assert verdict(found) == "LIMITED" and "LIMITED: the cost cap" in text, text
    assert "| LIMITED |" in markdown_summary([found], options)
    complete = next(case for case in root.iter("testcase") if case.get("name") == "run is complete")
    failure = complete.find("failure")
    assert failure is not None and "cost cap" in failure.get("message", ""), (
        "expected a limited run to fail JUnit's `run is complete`, naming the cap"
    )
    limited = [
        prop.get("value", "") for prop in root.iter("property") if prop.get("name") == "limited"
    ]
    assert limited == found.limited
