"""Build the docs site and refresh the README's comparison: `imagegen docs`.

`--check-readme` only checks that the README's comparison matches the specs (exit 1 if not);
`--readme-only` only refreshes it (no site: what `nox -s generate` runs after generating).
Exit status 2: the site cannot be built (a spec Redocly cannot render, a folder that cannot be
written, a README without its markers).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from imagegen_spec.docs.compare import build_comparison
from imagegen_spec.docs.readme import README, readme_comparison, refresh_readme
from imagegen_spec.docs.render_markdown import render_markdown
from imagegen_spec.docs.site import DEFAULT_OUT, build_site
from imagegen_spec.shared.cli import parser as command_parser
from imagegen_spec.shared.cli import run_command
from imagegen_spec.shared.errors import UserError

COMMAND = "docs"


def main(argv: Sequence[str] | None = None) -> int:
    """Run `imagegen docs`: build the site (or only check the README), say what was done."""
    return run_command(COMMAND, _main, argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = command_parser(COMMAND, __doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: site/")
    parser.add_argument(
        "--check-readme", action="store_true", help="only check the README's comparison"
    )
    parser.add_argument(
        "--base-url",
        default="",
        help="the published site's URL (ending in /): makes llms.txt's links absolute",
    )
    parser.add_argument(
        "--no-readme", action="store_true", help="build the site, leave the README alone"
    )
    parser.add_argument(
        "--readme-only", action="store_true", help="only refresh the README's comparison"
    )
    args = parser.parse_args(argv)
    if sum((args.check_readme, args.no_readme, args.readme_only)) > 1:
        parser.error("--check-readme, --no-readme and --readme-only exclude each other")
    if args.base_url and not args.base_url.endswith("/"):
        parser.error("--base-url must end with /")

    try:
        markdown = render_markdown(build_comparison())
        if args.check_readme:
            current = readme_comparison(README.read_text(encoding="utf-8"))
            if current != markdown.strip():
                print(f"{README.name}: the comparison is stale; run `nox -s generate`")
                return 1
            print(f"{README.name}: the comparison is up to date")
            return 0
        if args.readme_only:
            changed = refresh_readme(markdown)
            print(f"{README.name}: comparison {'refreshed' if changed else 'already up to date'}")
            return 0
        started = time.perf_counter()
        report = build_site(args.out, base_url=args.base_url)
        if not args.no_readme:
            changed = refresh_readme(markdown)
            print(f"{README.name}: comparison {'refreshed' if changed else 'already up to date'}")
    except (ValueError, OSError) as error:
        raise UserError(str(error)) from error
    except KeyError as error:
        raise UserError(f"a spec lacks {error}; `nox -s lint` validates the specs") from error
    for page, urls in report.neutralised.items():
        if urls:
            print(f"{page}: neutralised {len(urls)} remote asset URL(s): {', '.join(urls)}")
    conformance = report.conformance_source or "none found"
    print(f"conformance summary: {conformance}")
    print(
        f"built {len(report.pages)} files into {report.out_dir} "
        f"in {time.perf_counter() - started:.1f} s; site weight {report.total_bytes:,} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
