"""JUnit XML of one variant's run: one test case per check and cause, so CI systems list them.

A check that never failed is one passing test case; a check that failed is one failing test case
per cause, its message the cause and its count of cases, its text the worked example. A run cut
short, or limited by the cost cap, is a failing `run is complete` case (a limited run also
carries a `limited` property naming what the cap withheld); in gateway mode every deviation
group is one more failing case (`gateway.request` / `gateway.response`).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from imagegen_spec.conformance.results import VariantResult


def _case(
    suite: ElementTree.Element, classname: str, name: str, failure: tuple[str, str] | None
) -> None:
    case = ElementTree.SubElement(suite, "testcase", classname=classname, name=name)
    if failure is not None:
        message, text = failure
        element = ElementTree.SubElement(case, "failure", message=message, type="failure")
        element.text = text


def junit_xml(result: VariantResult) -> str:
    """The JUnit document of a variant's result."""
    suite = ElementTree.Element("testsuite", name=f"conformance.{result.variant}")
    prefix = f"conformance.{result.variant}"
    failed = {group.check for group in result.groups}
    for check in sorted(result.checks_by_name):
        if check not in failed:
            _case(suite, f"{prefix}.checks", check, None)
    for group in result.groups:
        example = [group.message.strip()]
        if group.response is not None:
            example += ["", "The response:", *group.response.lines()]
        if group.curl:
            example += ["", "Repeat it with:", group.curl]
        _case(
            suite,
            f"{prefix}.checks.{group.check}",
            group.cause,
            (f"{group.count} cases: {group.cause}", "\n".join(example)),
        )
    reasons = "; ".join(result.cut_short + result.limited)
    _case(suite, prefix, "run is complete", (f"cut short: {reasons}", reasons) if reasons else None)
    if result.gateway is not None:
        for name, message, text in result.gateway.junit_cases():
            _case(suite, f"{prefix}.gateway", name, (message, text) if message else None)
    if result.limited:
        properties = ElementTree.Element("properties")
        suite.insert(0, properties)  # JUnit's schema puts properties before the test cases
        for reason in result.limited:
            ElementTree.SubElement(properties, "property", name="limited", value=reason)
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
    suite.set("errors", "0")
    root = ElementTree.Element("testsuites")
    root.append(suite)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(result: VariantResult, path: Path) -> None:
    """Write a variant's JUnit XML."""
    path.write_text(junit_xml(result), encoding="utf-8")
