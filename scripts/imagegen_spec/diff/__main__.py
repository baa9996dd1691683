"""`python -m imagegen_spec.diff [BASE]`: report spec and generated-API changes since BASE.

Exit status: 0 when every breaking change comes with a major `info.version` bump, 1 when one does
not, 2 when the input cannot be read (unknown revision, not a git work tree, unreadable spec) or
the report cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from imagegen_spec.diff.compare import InputError, compare
from imagegen_spec.diff.report import render_markdown, render_text
from imagegen_spec.diff.revisions import GitError, repo_root, resolve_base
from imagegen_spec.diff.rules import rules_table
from imagegen_spec.shared.errors import UserError
from imagegen_spec.shared.outputs import ensure_writable, os_reason

REPORT = Path("reports") / "diff.md"


class UnwritableReport(UserError):
    """The report's destination cannot be written; the message names it and why."""


def _write_report(destination: Path, text: str | None) -> None:
    """Create the report's folder and (unless text is None) write the report."""
    try:
        if text is None:
            ensure_writable(destination.parent)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8")
    except OSError as error:
        reason = os_reason(error)
        raise UnwritableReport(f"cannot write the report to {destination}: {reason}") from None


def main(argv: list[str] | None = None) -> int:
    """Compare the specs and generated API with BASE, print and write the report."""
    parser = argparse.ArgumentParser(
        prog="python -m imagegen_spec.diff",
        description="Report what changed in the specs and the generated Python API since a git"
        " revision, whom it breaks, and the version bump it needs.",
    )
    parser.add_argument(
        "base",
        nargs="?",
        metavar="BASE",
        help="git revision to compare with (default: the merge base with main when HEAD has"
        " commits main lacks, else HEAD)",
    )
    parser.add_argument(
        "--repo", type=Path, default=Path.cwd(), help="the git work tree (default: .)"
    )
    parser.add_argument(
        "--report",
        type=Path,
        help=f"where to write the Markdown report (default: REPO/{REPORT})",
    )
    parser.add_argument("--rules", action="store_true", help="print the rule table and exit")
    args = parser.parse_args(argv)
    if args.rules:
        print(rules_table())
        return 0
    try:
        repo = repo_root(args.repo.resolve())
        destination = args.report or repo / REPORT
        _write_report(destination, None)  # fail before the comparison, which takes seconds
        base = resolve_base(repo, args.base)
        report = compare(repo, base)
        _write_report(destination, render_markdown(report))
    except (GitError, InputError, UnwritableReport) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(render_text(report), end="")
    print(f"Markdown report: {destination}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
