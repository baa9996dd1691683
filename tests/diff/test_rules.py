"""The rule table: consistent effects, and the README lists every rule."""

from __future__ import annotations

from pathlib import Path

from imagegen_spec.diff.rules import RULES, Bump, Party, Side, rules_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_holds_the_generated_rule_table() -> None:
    table = rules_table()
    assert table in README.read_text(encoding="utf-8"), (
        "README.md must hold the rule table as `imagegen diff --rules` prints it"
    )
    for rule_id in RULES:
        assert f"| `{rule_id}` |" in table, f"{rule_id} missing from the table"


def test_every_rule_applies_somewhere() -> None:
    for rule in RULES.values():
        assert any((rule.request, rule.response, rule.document)), f"{rule.id} applies nowhere"


def test_a_change_that_breaks_clients_needs_a_major_bump() -> None:
    for rule in RULES.values():
        for effect in (rule.request, rule.response, rule.document):
            if effect is not None and Party.CLIENTS in effect.breaks:
                assert effect.bump == Bump.MAJOR, rule.id


def test_directions_are_opposite_on_the_two_sides() -> None:
    for rule_id in ("enum-narrowed", "bound-narrowed", "type-narrowed", "required-added"):
        rule = RULES[rule_id]
        assert rule.effect({Side.REQUEST}).breaks == {Party.CLIENTS}, rule_id
        assert rule.effect({Side.RESPONSE}).breaks == {Party.SERVERS}, rule_id
        assert rule.effect({Side.REQUEST, Side.RESPONSE}).breaks == set(Party), rule_id


def test_a_change_on_no_side_is_documentation() -> None:
    assert RULES["enum-narrowed"].effect(set()).bump == Bump.PATCH
