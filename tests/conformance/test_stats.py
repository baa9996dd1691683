"""The guard's stats cross the process boundary as one typed document; missing is an error."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from imagegen_spec.conformance.results import VariantResult, read_guard_stats
from imagegen_spec.conformance.stats import GuardStats, StatsMissing

STATS = GuardStats(
    sent=Counter({"examples": 4, "coverage": 9}),
    billable=Counter({"examples": 2}),
    images=Counter({"examples": 3}),
    paid=Counter({"examples": 2}),
    paid_beyond_spec=Counter({"coverage": 1}),
    withheld={"cost cap": Counter({"coverage": 5, "fuzzing": 1})},
    blocked=["POST /images/generations: the key with a prompt that is not on the safe list"],
)


def test_the_stats_survive_the_file(tmp_path: Path) -> None:
    path = tmp_path / "guard-stats.json"
    STATS.write(path)
    assert GuardStats.read(path) == STATS
    assert GuardStats.read(path).withheld_total("cost cap") == 6


def test_missing_stats_are_an_error_not_zero(tmp_path: Path) -> None:
    with pytest.raises(StatsMissing, match="wrote no stats"):
        GuardStats.read(tmp_path / "guard-stats.json")


def test_unreadable_stats_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "guard-stats.json"
    path.write_text('{"sent": {}}', encoding="utf-8")
    with pytest.raises(StatsMissing, match="cannot be read"):
        GuardStats.read(path)


def test_a_run_without_stats_fails(tmp_path: Path) -> None:
    result = VariantResult(variant="dalle", target="https://gateway.example/v1")

    stats = read_guard_stats(result, tmp_path / "guard-stats.json")

    assert stats == GuardStats()
    assert not result.passed, "a run whose paid count is unknown must not pass"
    assert any("wrote no stats" in reason for reason in result.cut_short), result.cut_short
