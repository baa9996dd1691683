"""Conformance cases per second against the mock and against the bare app.

Uses the conformance runner's own entry, `runner.run_schemathesis` (the Schemathesis CLI with
every check and the project's image checks), with the options of its default mock mode (a fixed
seed and number of examples, no cost guard), aimed at a server this bench started instead of
the runner's embedded mock. Against the bare app most checks fail, which is expected: only the
rate (cases sent per second of wall time) counts, and the ratio says how much of a conformance
run's time the mock itself costs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from imagegen_spec.bench.scenarios import API_KEY
from imagegen_spec.bench.servers import ServerError, ServerGroup, bare_command, mock_command
from imagegen_spec.bench.table import ConformanceMeasurement
from imagegen_spec.conformance.options import parse_options
from imagegen_spec.conformance.runner import ReportPaths, Target, run_schemathesis

SEED = 8
PHASES = "examples,coverage,fuzzing"


class ConformanceError(ServerError):
    """A conformance run could not be made (not: its checks failed)."""


def _one_run(variant: str, base_url: str, examples: int, report_dir: Path) -> tuple[int, float]:
    options = parse_options(
        [
            "--variant",
            variant,
            "--max-examples",
            str(examples),
            "--seed",
            str(SEED),
            "--phases",
            PHASES,
            "--report-dir",
            str(report_dir),
            "--quiet",
        ]
    )
    target = Target(variant, base_url, API_KEY, base_url)
    started = time.perf_counter()
    result, _ = run_schemathesis(target, options, ReportPaths(report_dir), echo=False)
    elapsed = time.perf_counter() - started
    if result.interrupted or not result.cases_sent:
        raise ConformanceError(f"the conformance run against {base_url} sent no case: {result}")
    return result.cases_sent, elapsed


def measure_conformance(
    variant: str, examples: int, rounds: int, work_dir: Path
) -> ConformanceMeasurement:
    """Run the conformance runner against the mock and the bare app, alternated, `rounds` times."""
    commands = [mock_command(variant), bare_command(variant)]
    runs: dict[str, list[tuple[int, float]]] = {}
    with ServerGroup(work_dir) as group:
        for command in commands:
            group.start(command)
        for round_number in range(1, rounds + 1):
            for command in commands:
                base_url = f"http://127.0.0.1:{command.port}{command.prefix}"
                report_dir = work_dir / f"{command.name}-{round_number}"
                sent, elapsed = _one_run(variant, base_url, examples, report_dir)
                runs.setdefault(command.name, []).append((sent, elapsed))
                print(
                    f"  round {round_number}/{rounds} {command.name:<6} {sent} cases in "
                    f"{elapsed:.2f} s ({sent / elapsed:.1f}/s)",
                    file=sys.stderr,
                )
    method = (
        "The conformance runner's entry (`imagegen_spec.conformance.runner.run_schemathesis`: "
        "the Schemathesis CLI with all its checks and the project's image checks) with its "
        f"mock-mode options (phases {PHASES}, {examples} examples, seed {SEED}), aimed at each "
        "server in turn; cases sent over the wall time of the run, Schemathesis' start-up "
        f"included; the median of {rounds} alternated rounds. Against the bare app the checks "
        "fail; only the rate counts."
    )
    median_runs = {name: _median_run(values) for name, values in runs.items()}
    return ConformanceMeasurement(
        method,
        {name: run[0] for name, run in median_runs.items()},
        {name: run[1] for name, run in median_runs.items()},
    )


def _median_run(runs: list[tuple[int, float]]) -> tuple[int, float]:
    """The run whose rate is the median (the lower middle one of an even number)."""
    ordered = sorted(runs, key=lambda run: run[0] / run[1])
    return ordered[(len(ordered) - 1) // 2]
