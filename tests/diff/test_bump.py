"""The recommended bump per change, the bump info.version got, and the verdict."""

from __future__ import annotations

import pytest

from imagegen_spec.diff.bump import declared_bump, judge, recommended_bump
from imagegen_spec.diff.rules import BOTH, CLIENTS, DOCS, FEATURE, SERVERS, Bump


@pytest.mark.parametrize(
    ("effects", "api_breaks", "api_added", "expected"),
    [
        ([], False, False, Bump.NONE),
        ([DOCS], False, False, Bump.PATCH),
        ([DOCS, FEATURE], False, False, Bump.MINOR),
        ([SERVERS, DOCS], False, False, Bump.MINOR),
        ([CLIENTS], False, False, Bump.MAJOR),
        ([BOTH], False, False, Bump.MAJOR),
        ([DOCS], True, False, Bump.MAJOR),
        ([], False, True, Bump.MINOR),
    ],
    ids=["nothing", "docs", "feature", "servers", "clients", "both", "api-break", "api-added"],
)
def test_recommended_bump(
    effects: list[object], api_breaks: bool, api_added: bool, expected: Bump
) -> None:
    found = recommended_bump(effects, api_breaks, api_added)  # type: ignore[arg-type]
    assert found == expected, f"expected {expected.label}, got {found.label}"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("1.0.0", "1.0.0", Bump.NONE),
        ("1.0.0", "1.0.1", Bump.PATCH),
        ("1.0.0", "1.1.0", Bump.MINOR),
        ("1.4.2", "2.0.0", Bump.MAJOR),
        ("0.1.0", "0.2.0", Bump.MAJOR),
        ("0.1.0", "0.1.1", Bump.PATCH),
        ("1.0.0", "1.0.0.post1", Bump.PATCH),
        ("2.0.0", "1.0.0", Bump.NONE),
    ],
)
def test_declared_bump(old: str, new: str, expected: Bump) -> None:
    assert declared_bump(old, new) == expected, f"{old} -> {new} should be {expected.label}"


def test_breaking_change_needs_a_major_bump() -> None:
    assert not judge("1.0.0", "1.1.0", Bump.MAJOR).ok, "minor bump must not cover a break"
    assert judge("1.0.0", "2.0.0", Bump.MAJOR).ok, "a major bump covers a break"


def test_a_missing_minor_bump_fails() -> None:
    verdict = judge("1.0.0", "1.0.0", Bump.MINOR)
    assert not verdict.ok, "an unbumped version with a new feature must fail"
    assert "a minor bump is needed" in verdict.message, verdict.message
    assert judge("1.0.0", "1.1.0", Bump.MINOR).ok, "a minor bump covers a feature"
    assert judge("1.0.0", "2.0.0", Bump.MINOR).ok, "a major bump covers a feature"


def test_a_missing_patch_bump_only_warns() -> None:
    verdict = judge("1.0.0", "1.0.0", Bump.PATCH)
    assert verdict.ok, "documentation only: a missing patch bump is reported, not failed"
    assert "patch advised" in verdict.message, verdict.message


def test_an_unreadable_version_is_named() -> None:
    verdict = judge("1.0.0", "one", Bump.MAJOR)
    assert not verdict.ok, "a breaking change with an unreadable version fails"
    assert "'one'" in verdict.message, verdict.message
