"""The summary of a conformance run: a table on the terminal, Markdown in the reports folder."""

from __future__ import annotations

import datetime
import importlib.metadata
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from imagegen_spec.conformance.options import RunOptions
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.shared.tables import LEFT, RIGHT, markdown_table, pipe_escape, text_table

COLUMNS = ("variant", "target", "cases sent", "checks run", "failures", "skipped", "result")
MAX_MESSAGE_LINES = 6
NUMERIC_COLUMNS = frozenset({2, 3, 4, 5})


def _verdict(result: VariantResult) -> str:
    if result.passed:
        return "pass"
    if result.interrupted:
        return "interrupted"
    return "FAIL"


def _row(result: VariantResult) -> tuple[str, ...]:
    return (
        result.variant,
        result.target,
        f"{result.cases_sent:,}",
        f"{result.checks_run:,}",
        f"{result.failures:,}",
        f"{sum(result.skipped.values()):,}",
        _verdict(result),
    )


def describe_run(options: RunOptions) -> str:
    """One line naming what was run: tool version, seed, phases, limits."""
    version = importlib.metadata.version("schemathesis")
    parts = [
        f"Schemathesis {version}",
        f"seed {options.seed}",
        f"phases {', '.join(options.phases)}",
        f"max examples {options.max_examples}",
        "negative cases only" if options.negative_only else "positive and negative cases",
    ]
    if options.max_paid_requests is not None:
        parts.append(f"at most {options.max_paid_requests} requests that could generate an image")
    if options.rate_limit:
        parts.append(f"rate limit {options.rate_limit}")
    return "; ".join(parts)


def _details(result: VariantResult, *, failures: bool) -> Iterable[str]:
    """What is worth knowing about one variant beyond its row (and its failures by check)."""
    if result.billable_sent or result.skipped:
        yield (
            f"requests that could generate an image: {result.billable_sent} sent "
            f"(up to {result.images_billable} images)"
        )
    if result.paid:
        yield (
            f"answered 2xx with the key and a prompt (what the cost cap counts): {result.paid}, "
            f"{result.paid_beyond_spec} of them requests the spec rejects"
        )
    for reason, count in sorted(result.skipped.items()):
        yield f"skipped, {reason}: {count}"
    for message in result.blocked:
        yield f"blocked: {message}"
    for error in result.errors:
        yield f"error: {error.splitlines()[0] if error else error}"
    if failures:
        for check, count in result.failures_by_check.most_common():
            yield f"failed {check}: {count}"


def terminal_summary(results: Sequence[VariantResult], options: RunOptions) -> str:
    """The summary table and, per variant, failures by check with a command to reproduce one."""
    lines = ["", "Conformance summary", describe_run(options), ""]
    lines += text_table([COLUMNS, *(_row(result) for result in results)], right=NUMERIC_COLUMNS)
    for result in results:
        details = list(_details(result, failures=True))
        if not details:
            continue
        lines += ["", f"{result.variant}:"]
        lines += [f"  {detail}" for detail in details]
        for example in result.examples:
            first = example.message.strip().splitlines()[0] if example.message.strip() else ""
            lines.append(f"  e.g. {example.check} ({example.phase}): {first}")
            if example.curl:
                lines.append(f"    {example.curl}")
    lines += ["", f"Reports: {options.report_dir}"]
    return "\n".join(lines) + "\n"


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in `text` (so it cannot close early)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def markdown_summary(results: Sequence[VariantResult], options: RunOptions) -> str:
    """The Markdown summary (reports/conformance/summary.md)."""
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Conformance summary",
        "",
        f"Run {when}: {describe_run(options)}.",
        "",
        markdown_table(
            COLUMNS,
            [[pipe_escape(cell) for cell in _row(result)] for result in results],
            [RIGHT if index in NUMERIC_COLUMNS else LEFT for index in range(len(COLUMNS))],
        ),
    ]
    for result in results:
        lines += ["", f"## {result.variant}", ""]
        files = ("junit.xml", "recording.har", "events.ndjson", "schemathesis.log")
        # Plain paths, not links: the docs site shows this page without the files beside it.
        lines.append(
            f"Target: {result.target}. Reports in `{result.variant}/`: "
            + ", ".join(f"`{name}`" for name in files)
            + "."
        )
        details = list(_details(result, failures=False))
        if details:
            lines.append("")
            lines += [f"- {pipe_escape(detail)}" for detail in details]
        if result.failures_by_check:
            lines += ["", "| check | failures |", "|---|---:|"]
            failed = result.failures_by_check.most_common()
            lines += [f"| `{check}` | {count} |" for check, count in failed]
        for example in result.examples:
            message = "\n".join(example.message.strip().splitlines()[:MAX_MESSAGE_LINES])
            fence = _fence(message)
            lines += ["", f"### `{example.check}`: {example.title} ({example.phase} phase)", ""]
            lines += [f"{fence}text", message, fence]
            if example.curl:
                fence = _fence(example.curl)
                lines += ["", "Reproduce with:", "", f"{fence}sh", example.curl, fence]
        if result.passed:
            lines += ["", "No failures."]
    return "\n".join(lines) + "\n"


def write_markdown(results: Sequence[VariantResult], options: RunOptions) -> Path:
    """Write summary.md into the report folder and return its path (OSError if it cannot)."""
    path = options.report_dir / "summary.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown_summary(results, options), encoding="utf-8")
    return path
