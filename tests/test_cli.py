"""`imagegen <command>`: one entry point, one error style, one meaning per exit status."""

from __future__ import annotations

import subprocess
import sys

import pytest

from imagegen_spec import cli
from imagegen_spec.core.specs import REPO_ROOT, variants
from imagegen_spec.diff.rules import rules_table
from imagegen_spec.shared.cli import USAGE_ERROR, run_command
from imagegen_spec.shared.errors import UserError


def test_every_command_of_the_issue_is_there() -> None:
    expected = {
        *("mock", "conformance", "generate", "diff", "docs", "bench", "lint", "provenance"),
        "gateways",
    }
    assert set(cli.COMMANDS) == expected


def test_without_a_command_it_prints_the_commands_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main([]) == USAGE_ERROR
    out = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert f"  {name} " in out, f"expected {name} in the usage:\n{out}"


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "usage: imagegen <command>" in capsys.readouterr().out


def test_an_unknown_command_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["mokc"]) == USAGE_ERROR
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "imagegen: error: unknown command 'mokc'", err


def test_a_command_runs_with_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["diff", "--rules"]) == 0
    assert capsys.readouterr().out.strip() == rules_table().strip()


def test_an_input_error_is_one_line_naming_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["generate", "--check", "--variant", "nope"]) == USAGE_ERROR
    err = capsys.readouterr().err
    expected = f"imagegen generate: error: unknown variant nope; known: {', '.join(variants())}"
    assert err == expected + "\n", err


def test_provenance_checks_the_decision_pages(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["provenance", "--check"]) == 0, capsys.readouterr()
    assert capsys.readouterr().out.strip() == "decisions are up to date"


def test_gateways_without_the_gateways_installed_is_one_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = "/nonexistent/start-server.js"
    assert cli.main(["gateways", "--only", "portkey", "--portkey", missing]) == USAGE_ERROR
    err = capsys.readouterr().err
    assert err == (
        f"imagegen gateways: error: --portkey: Portkey's start-server.js not found ({missing}); "
        "`nox -s gateways` installs it\n"
    ), err


def test_gateways_refuses_a_bad_example_count_before_starting_any_gateway(
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = "/nonexistent/start-server.js"  # never looked at: the count is refused first
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["gateways", "--only", "portkey", "--portkey", missing, "--max-examples", "0"])
    assert exit_info.value.code == USAGE_ERROR
    err = capsys.readouterr().err
    assert "imagegen gateways: error: --max-examples must be at least 1" in err, err


def test_a_usage_error_names_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["conformance", "--no-such-flag"])
    assert exit_info.value.code == USAGE_ERROR
    assert "imagegen conformance: error: unrecognized arguments" in capsys.readouterr().err


def test_a_user_error_is_rendered_and_a_bug_is_not_hidden(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fails(argv: object) -> int:
        raise UserError("the spec folder is empty")

    def crashes(argv: object) -> int:
        raise RuntimeError("a bug")

    assert run_command("docs", fails) == USAGE_ERROR
    assert capsys.readouterr().err == "imagegen docs: error: the spec folder is empty\n"
    with pytest.raises(RuntimeError, match="a bug"):
        run_command("docs", crashes)


def test_python_dash_m_imagegen_spec_is_the_same_entry_point() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "imagegen_spec", "diff", "--rules"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == rules_table().strip()
