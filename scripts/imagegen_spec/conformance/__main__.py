"""`imagegen conformance`: conformance checks against the mock or a live server.

Without --base-url it starts the embedded mock (127.0.0.1, a free port, a generated key) and
checks every variant; with --base-url it checks one variant of a live server, after printing
a plan, under the cost limits of guard.py; with --base-url and --upstream it checks a gateway
in front of the embedded mock, on both sides (gateway/). Exit status: 0 when every check
passed, 1 when any failed or errored or the run was cut short, 2 for bad arguments (a
--report-dir that cannot be written among them) or a missing credential.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from imagegen_spec.conformance.credentials import env_var
from imagegen_spec.conformance.gateway.run import run_gateway
from imagegen_spec.conformance.options import RunOptions, parse_options
from imagegen_spec.conformance.plan import rehearse, render_plan
from imagegen_spec.conformance.report import terminal_summary, write_markdown
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.conformance.runner import (
    EMBEDDED_MOCK,
    ReportPaths,
    Target,
    UnwritableReportDir,
    embedded_mock,
    generate_key,
    mock_base_url,
    run_schemathesis,
    writable_directory,
)
from imagegen_spec.shared.cli import prog, run_command
from imagegen_spec.shared.errors import UserError

COMMAND = "conformance"
PROG = prog(COMMAND)


def run_against_mock(options: RunOptions) -> list[VariantResult]:
    """Check every chosen variant against the embedded mock, `options.jobs` at a time.

    Each variant's Schemathesis run is its own process with its own seed and reports, so running
    them side by side changes nothing in what they find; with more than one at a time, each
    run's output is printed whole when it ends (in the order of the variants), not interleaved.
    """
    key = generate_key()
    with embedded_mock(key) as origin:

        def check(variant: str, echo: bool) -> VariantResult:
            target = Target(variant, mock_base_url(origin, variant), key, EMBEDDED_MOCK)
            result, _ = run_schemathesis(
                target, options, ReportPaths(options.report_dir / variant), echo=echo
            )
            return result

        if options.jobs == 1 or len(options.variants) == 1:
            return [check(variant, not options.quiet) for variant in options.variants]
        with ThreadPoolExecutor(options.jobs, thread_name_prefix="conformance") as pool:
            futures = [pool.submit(check, variant, False) for variant in options.variants]
            results = []
            for variant, future in zip(options.variants, futures, strict=True):
                results.append(future.result())
                if not options.quiet:
                    log = ReportPaths(options.report_dir / variant).log
                    print(log.read_text(encoding="utf-8"), end="", flush=True)
            return results


def run_live(options: RunOptions, key: str) -> list[VariantResult] | None:
    """Print the plan, then (unless it is a dry run) check the one variant at --base-url."""
    assert options.base_url is not None
    (variant,) = options.variants
    print(f"Rehearsing {variant} against the embedded mock to plan the run ...", flush=True)
    plan = render_plan(variant, options, rehearse(variant, options), key_set=bool(key))
    print(plan, flush=True)
    if options.dry_run:
        print("Dry run: nothing was sent to", options.base_url)
        return None
    target = Target(variant, options.base_url, key, options.base_url)
    result, _ = run_schemathesis(
        target, options, ReportPaths(options.report_dir / variant), echo=not options.quiet
    )
    return [result]


def main(argv: Sequence[str] | None = None) -> int:
    """Run `imagegen conformance`; return the exit status."""
    return run_command(COMMAND, _main, argv)


def _main(argv: Sequence[str] | None) -> int:
    options = parse_options(None if argv is None else list(argv))
    try:
        return _run(options)
    except UnwritableReportDir as error:
        raise UnwritableReportDir(f"--report-dir: {error}") from None


def _run(options: RunOptions) -> int:
    """Check the key and the report folder, run, print and write the summary; return the status."""
    key = ""
    if options.live:
        name = env_var(options.variants[0])
        key = os.environ.get(name, "").strip()
        if not key and not options.dry_run:
            raise UserError(
                f"{name} is not set: export the API key for "
                f"{options.base_url} in it (it is never printed or recorded)"
            )
    if not options.dry_run:
        writable_directory(options.report_dir)  # before a minute of work is lost to it
    try:
        if options.gateway:
            results = [run_gateway(options, key, echo=not options.quiet)]
        elif options.live:
            planned = run_live(options, key)
            if planned is None:
                return 0
            results = planned
        else:
            results = run_against_mock(options)
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted; the mock and Schemathesis were stopped", file=sys.stderr)
        return 130
    except OSError as error:
        if not options.gateway:
            raise
        print(
            f"{PROG}: error: --upstream {options.upstream}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    print(terminal_summary(results, options), end="")
    try:
        summary_path = write_markdown(results, options)
    except OSError as error:
        reason = error.strerror or str(error)
        where = options.report_dir / "summary.md"
        raise UnwritableReportDir(f"{where} cannot be written: {reason}") from None
    print(f"Summary: {summary_path}")
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
