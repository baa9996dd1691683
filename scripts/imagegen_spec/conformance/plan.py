"""The plan of a live run, printed before anything is sent to the target.

Schemathesis cannot list its cases without running them, and what a live run sends depends on
the guard as much as on the generator. So the plan is a rehearsal: the same command, seed and
limits against the embedded mock, counting by phase what the guard would send, how much of it
could generate an image (valid per the spec, with the key), and what it would withhold. Examples
and coverage cases do not depend on responses, so their counts are exact; fuzzing can differ
where the live server answers differently (Hypothesis shrinks failures with extra cases), and
the cap holds whatever the rehearsal said.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from imagegen_spec.conformance.credentials import env_var
from imagegen_spec.conformance.guard import RATE_UNITS, parse_rate
from imagegen_spec.conformance.options import RunOptions
from imagegen_spec.conformance.runner import (
    EMBEDDED_MOCK,
    ReportPaths,
    Target,
    embedded_mock,
    generate_key,
    mock_base_url,
    run_schemathesis,
)
from imagegen_spec.shared.tables import text_table

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
assert set(UNIT_SECONDS) == set(RATE_UNITS)
# Schemathesis' `rate-limit = "auto"`: at most 3 retries of a 429, each waiting at most 60 s.
RETRIES_OF_429 = 3
LONGEST_RETRY_AFTER_SECONDS = 60


def rehearse(variant: str, options: RunOptions) -> dict[str, Any]:
    """Run the planned command against the embedded mock; return the guard's stats."""
    key = generate_key()
    rehearsal = replace(options, rate_limit=None)
    with (
        tempfile.TemporaryDirectory(prefix="imagegen-plan-") as directory,
        embedded_mock(key) as origin,
    ):
        target = Target(variant, mock_base_url(origin, variant), key, EMBEDDED_MOCK)
        _, stats = run_schemathesis(
            target,
            rehearsal,
            ReportPaths(Path(directory)),
            checks=("not_a_server_error",),
            echo=False,
        )
    return stats


def _count(stats: dict[str, Any], name: str, phase: str) -> int:
    return int(stats.get(name, {}).get(phase, 0))


def render_plan(
    variant: str, options: RunOptions, stats: dict[str, Any], *, key_set: bool = True
) -> str:
    """The plan as text: what would be sent, by phase, and the limits that apply."""
    state = "set" if key_set else "NOT set: a real run needs it"
    lines = [
        f"Plan: {variant} against {options.base_url}",
        f"  credential: ${env_var(variant)} ({state}; its value is never shown or recorded)",
        f"  phases: {', '.join(options.phases)}; fuzzing cases: {options.max_examples}; "
        f"seed {options.seed}; "
        + ("negative cases only" if options.negative_only else "positive and negative cases"),
        "  rehearsed against the embedded mock with the same seed and limits:",
    ]
    withheld: dict[str, dict[str, int]] = stats.get("withheld", {})
    header = ("phase", "requests", "could bill", "images", "withheld")
    rows = []
    totals = [0, 0, 0, 0]
    for phase in options.phases:
        values = [
            _count(stats, "sent", phase),
            _count(stats, "billable", phase),
            _count(stats, "images", phase),
            sum(int(by_phase.get(phase, 0)) for by_phase in withheld.values()),
        ]
        totals = [total + value for total, value in zip(totals, values, strict=True)]
        rows.append((phase, *map(str, values)))
    rows.append(("total", *map(str, totals)))
    lines += text_table([header, *rows], right=range(1, len(header)), indent="    ")
    lines.append(
        "  'could bill': valid per the spec and sent with the key, so a provider may generate "
        "(and charge for) images; a provider more lenient than the spec may bill others, so "
        "every request with the key and a prompt has a prompt from the safe list"
    )
    lines.append(
        "  plus, once, up to 2 probes of the ignored_auth check: a billable request sent again "
        "without the key and with a wrong one (a server that checks keys bills neither)"
    )
    for reason, by_phase in sorted(withheld.items()):
        lines.append(f"  withheld ({reason}): {sum(by_phase.values())} generated cases")
    if options.max_paid_requests is not None:
        lines.append(
            f"  cost cap: at most {options.max_paid_requests} requests that could generate an "
            "image (--max-paid-requests): answered 2xx (or not at all) with the key and a "
            "prompt, whatever the spec says of them; cases the spec accepts leave the last slot "
            "(of 2 or more) to negative cases, and once all are spent no request with the key "
            "and a prompt is sent"
        )
    if options.rate_limit:
        count, unit = parse_rate(options.rate_limit)
        minutes = totals[0] / count * UNIT_SECONDS[unit] / 60
        lines.append(f"  rate limit: {options.rate_limit}, about {minutes:.0f} min for the run")
    lines.append(
        f"  429 answers: retried after Retry-After, up to {RETRIES_OF_429} times, "
        f"waiting at most {LONGEST_RETRY_AFTER_SECONDS} s each"
    )
    return "\n".join(lines) + "\n"
