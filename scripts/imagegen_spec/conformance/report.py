"""The summary of a conformance run: text on the terminal, Markdown in the reports folder.

Both say, per variant: requests sent per phase (and how many got no answer), checks run, why a
run was cut short, every failing check and cause with its count of cases and one worked example
(the message, the response that failed, a curl command that repeats the request), and in gateway
mode what the gateway changed on the way up and on the way back.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from imagegen_spec.conformance.options import RunOptions
from imagegen_spec.conformance.results import FailureGroup, VariantResult
from imagegen_spec.shared.tables import LEFT, RIGHT, markdown_table, pipe_escape, text_table

COLUMNS = (
    "variant",
    "target",
    "requests",
    "checks run",
    "failures",
    "deviations",
    "skipped",
    "result",
)
NUMERIC = {2, 3, 4, 5, 6}
MAX_MESSAGE_LINES = 6


def verdict(result: VariantResult) -> str:
    """`pass`, `FAIL`, `CUT SHORT` or `LIMITED` (the cost cap withheld cases); all but pass fail."""
    if result.passed:
        return "pass"
    if result.cut_short:
        return "CUT SHORT"
    if result.limited:
        return "LIMITED"
    return "FAIL"


def _row(result: VariantResult) -> tuple[str, ...]:
    return (
        result.variant,
        result.target,
        f"{result.cases_sent:,}",
        f"{result.checks_run:,}",
        f"{result.failures:,}",
        f"{result.deviations:,}" if result.gateway is not None else "-",
        f"{sum(result.skipped.values()):,}",
        verdict(result),
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
        "continue on failure",
    ]
    if options.max_paid_requests is not None:
        parts.append(f"at most {options.max_paid_requests} requests that could generate an image")
    if options.rate_limit:
        parts.append(f"rate limit {options.rate_limit}")
    if options.upstream is not None:
        parts.append(f"gateway mode, upstream {options.upstream}")
    return "; ".join(parts)


def _phases(result: VariantResult) -> str:
    parts = []
    for phase, count in result.cases_by_phase.items():
        unanswered = result.unanswered_by_phase[phase]
        parts.append(f"{phase} {count:,}" + (f" ({unanswered} unanswered)" if unanswered else ""))
    return ", ".join(parts) or "none"


def _facts(result: VariantResult) -> Iterable[str]:
    """What is worth knowing about one variant beyond its row and its failures."""
    yield f"requests by phase: {_phases(result)}; answered: {result.answered:,}"
    yield f"checks run: {result.checks_run:,} results of {len(result.checks_by_name)} checks"
    for reason in result.cut_short:
        yield f"CUT SHORT: {reason}"
    for reason in result.limited:
        yield f"LIMITED: {reason}"
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
    for error in dict.fromkeys(result.errors):
        yield f"error: {error.splitlines()[0] if error else error}"


def _message(group: FailureGroup) -> str:
    return "\n".join(group.message.strip().splitlines()[:MAX_MESSAGE_LINES])


def terminal_summary(results: Sequence[VariantResult], options: RunOptions) -> str:
    """The summary table, then per variant its facts, failures (with examples) and deviations."""
    lines = ["", "Conformance summary", describe_run(options), ""]
    lines += text_table([COLUMNS, *(_row(result) for result in results)], right=NUMERIC)
    for result in results:
        lines += ["", f"{result.variant}:"]
        lines += [f"  {fact}" for fact in _facts(result)]
        for group in result.groups:
            lines.append(f"  FAILED {group.check} ({group.count} cases): {group.cause}")
            message = _message(group)
            if message and message != group.title:
                lines += [f"      {line}" for line in message.splitlines()]
            if group.response is not None:
                lines += [f"    response: {line}" for line in group.response.lines()]
            if group.curl:
                lines.append(f"    repeat: {group.curl}")
        if result.gateway is not None:
            lines += [f"  {line}" for line in result.gateway.text_lines()]
    lines += ["", f"Reports: {options.report_dir}"]
    return "\n".join(lines) + "\n"


def fence(text: str) -> str:
    """A code fence longer than any run of backticks in `text` (so it cannot close early)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _fenced(text: str, info: str) -> list[str]:
    marks = fence(text)
    return [f"{marks}{info}", text, marks]


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
            [[pipe_escape(text) for text in _row(result)] for result in results],
            [RIGHT if index in NUMERIC else LEFT for index in range(len(COLUMNS))],
        ),
    ]
    for result in results:
        lines += ["", f"## {result.variant}", ""]
        files = ("junit.xml", "recording.har", "events.ndjson", "schemathesis.toml")
        # Plain paths, not links: the docs site shows this page without the files beside it.
        lines.append(
            f"Target: {result.target}. Reports in `{result.variant}/`: "
            + ", ".join(f"`{name}`" for name in files)
            + "."
        )
        lines.append("")
        lines += [f"- {pipe_escape(fact)}" for fact in _facts(result)]
        if result.groups:
            lines += ["", "| check | cause | cases |", "|---|---|---:|"]
            lines += [
                f"| `{group.check}` | {pipe_escape(group.cause)} | {group.count} |"
                for group in result.groups
            ]
        for group in result.groups:
            lines += ["", f"### `{group.check}`: {group.cause}", ""]
            lines.append(f"{group.count} cases; the first in the {group.phase} phase:")
            message = _message(group)
            if message:
                lines += ["", *_fenced(message, "text")]
            if group.response is not None:
                lines += [
                    "",
                    "The response:",
                    "",
                    *_fenced("\n".join(group.response.lines()), "http"),
                ]
            if group.curl:
                lines += ["", "Repeat it with:", "", *_fenced(group.curl, "sh")]
        if result.gateway is not None:
            lines += ["", *result.gateway.markdown_lines()]
        if result.passed:
            lines += ["", "No failures."]
    return "\n".join(lines) + "\n"


def write_markdown(results: Sequence[VariantResult], options: RunOptions) -> Path:
    """Write summary.md into the report folder and return its path (OSError if it cannot)."""
    path = options.report_dir / "summary.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown_summary(results, options), encoding="utf-8")
    return path
