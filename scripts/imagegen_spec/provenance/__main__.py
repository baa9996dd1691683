"""Write the decision table into the README and `docs/decisions.md` from the specs' entries.

`imagegen provenance` writes both; `--check` only tells whether they are up to date (exit 1 if
not). Malformed entries are reported and exit 2 (`nox -s lint` reports them too).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from imagegen_spec.core.provenance import Provenance, collect, problems
from imagegen_spec.core.specs import REPO_ROOT, load_spec, variants
from imagegen_spec.provenance.render import decisions_page, readme_table, with_table
from imagegen_spec.shared.cli import parser as command_parser
from imagegen_spec.shared.cli import run_command
from imagegen_spec.shared.errors import UserError

COMMAND = "provenance"

README = REPO_ROOT / "README.md"
DECISIONS = REPO_ROOT / "docs" / "decisions.md"


def decisions() -> dict[str, tuple[dict[str, Any], list[Provenance]]]:
    """Every variant's spec and provenance entries."""
    return {variant: (load_spec(variant), collect(load_spec(variant))) for variant in variants()}


def rendered(readme_text: str) -> dict[Path, str]:
    """What the README and the decisions page should hold."""
    found = decisions()
    return {
        README: with_table(readme_text, readme_table(found)),
        DECISIONS: decisions_page(found),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with --check, compare) the README table and the decisions page."""
    return run_command(COMMAND, _main, argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = command_parser(COMMAND, __doc__)
    parser.add_argument("--check", action="store_true", help="only check they are up to date")
    args = parser.parse_args(argv)
    broken = [
        f"{variant}: {problem}"
        for variant in variants()
        for problem in problems(load_spec(variant))
    ]
    if broken:
        raise UserError("malformed provenance entries:\n" + "\n".join(broken))
    try:
        wanted = rendered(README.read_text(encoding="utf-8"))
    except ValueError as error:
        raise UserError(str(error)) from error
    stale = []
    for path, text in wanted.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    names = ", ".join(str(path.relative_to(REPO_ROOT)) for path in stale)
    if args.check:
        print(f"stale: {names}; run `nox -s generate`" if stale else "decisions are up to date")
        return 1 if stale else 0
    print(f"refreshed {names}" if stale else "decisions already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
