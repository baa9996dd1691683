"""Conformance cases per second against the mock and against the bare app.

The ratio is measured with plain `schemathesis run --checks not_a_server_error`, the same
command (spec, seed, phases, number of examples) against both servers. The conformance runner
could be aimed at the bare app too, but against it Schemathesis stops each phase at the first
failed check (6 cases instead of about 100 in a trial), so its rate there says nothing; with a
check the bare app passes, both runs send the same cases and only the servers differ. The
runner's own run against the mock (`runner.run_schemathesis`, every check and the image checks,
mock-mode options) is timed beside them, as the rate a real conformance run gets.

Time is Schemathesis' own engine time (`EngineFinished.running_time` in its event stream): the
interpreter's start and the loading of the spec, which cost the same against any server and
were half of a run's wall time, are left out. Each round runs the mock and the bare app back to
back; the target is judged on the median of the per-round ratios, so that a change in the
machine's load between rounds cancels.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from imagegen_spec.bench.scenarios import API_KEY, scenarios
from imagegen_spec.bench.servers import (
    MOCK,
    ServerCommand,
    ServerGroup,
    bare_command,
    mock_command,
)
from imagegen_spec.bench.table import RUNNER_ROW, ConformanceMeasurement
from imagegen_spec.conformance.options import parse_options
from imagegen_spec.conformance.results import VariantResult, collect, read_events
from imagegen_spec.conformance.runner import ReportPaths, Target, run_schemathesis
from imagegen_spec.core.specs import spec_path
from imagegen_spec.shared.errors import UserError

SEED = 8
PHASES = "examples,coverage,fuzzing"
TIMEOUT_SECONDS = 600.0


class ConformanceError(UserError):
    """A conformance run could not be made (not: its checks failed)."""


def _base_url(command: ServerCommand) -> str:
    return f"http://127.0.0.1:{command.port}{command.prefix}"


def engine_seconds(events: list[dict[str, Any]]) -> float:
    """The running time Schemathesis reports for its engine (its `EngineFinished` event)."""
    for event in events:
        finished = event.get("EngineFinished")
        if isinstance(finished, dict) and "running_time" in finished:
            return float(finished["running_time"])
    raise ConformanceError("the event stream has no EngineFinished event")


def _cases_and_seconds(variant: str, ndjson: Path, where: str) -> tuple[int, float]:
    events = read_events(ndjson)
    result = collect(VariantResult(variant, where), events, {}, "")
    if result.interrupted or not result.cases_sent:
        raise ConformanceError(f"the run against {where} sent no case: {result.errors}")
    return result.cases_sent, engine_seconds(events)


def plain_run(
    variant: str, command: ServerCommand, examples: int, work_dir: Path
) -> tuple[int, float]:
    """`schemathesis run --checks not_a_server_error` against a server: cases and seconds."""
    work_dir.mkdir(parents=True, exist_ok=True)
    ndjson = work_dir / "events.ndjson"
    credential = {
        name: value
        for name, value in scenarios(variant)["url"].headers.items()
        if name.lower() != "content-type"
    }
    argv = [sys.executable, "-m", "schemathesis.cli", "--no-color", "run", str(spec_path(variant))]
    argv += ["--url", _base_url(command), "--checks", "not_a_server_error", "--phases", PHASES]
    argv += ["--max-examples", str(examples), "--seed", str(SEED), "--workers", "1"]
    argv += ["--report", "ndjson", "--report-ndjson-path", str(ndjson)]
    for name, value in credential.items():
        argv += ["--header", f"{name}: {value}"]
    env = {**os.environ, "HYPOTHESIS_STORAGE_DIRECTORY": str(work_dir / "hypothesis")}
    finished = subprocess.run(
        argv, cwd=work_dir, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
    )
    if finished.returncode not in (0, 1):
        raise ConformanceError(f"schemathesis exited {finished.returncode}:\n{finished.stdout}")
    return _cases_and_seconds(variant, ndjson, command.name)


def runner_run(
    variant: str, command: ServerCommand, examples: int, work_dir: Path
) -> tuple[int, float]:
    """The conformance runner (every check) against a server: cases and seconds."""
    argv = ["--variant", variant, "--max-examples", str(examples), "--seed", str(SEED)]
    options = parse_options([*argv, "--phases", PHASES, "--report-dir", str(work_dir), "--quiet"])
    target = Target(variant, _base_url(command), API_KEY, command.name)
    paths = ReportPaths(work_dir)
    run_schemathesis(target, options, paths, echo=False)
    return _cases_and_seconds(variant, paths.ndjson, command.name)


def _median_run(runs: list[tuple[int, float]]) -> tuple[int, float]:
    """The run whose rate is the median (the lower middle one of an even number)."""
    ordered = sorted(runs, key=lambda run: run[0] / run[1])
    return ordered[(len(ordered) - 1) // 2]


def measure_conformance(
    variant: str, examples: int, rounds: int, work_dir: Path
) -> ConformanceMeasurement:
    """Alternate plain runs against the mock and the bare app, then the runner's on the mock."""
    commands = [mock_command(variant), bare_command(variant)]
    runs: dict[str, list[tuple[int, float]]] = {}
    ratios = []
    with ServerGroup(work_dir) as group:
        for command in commands:
            group.start(command)
        for number in range(1, rounds + 1):
            for command in commands:
                sent, seconds = plain_run(
                    variant, command, examples, work_dir / f"{command.name}-{number}"
                )
                runs.setdefault(command.name, []).append((sent, seconds))
                print(
                    f"  round {number}/{rounds} {command.name:<6} {sent} cases in {seconds:.2f} s",
                    file=sys.stderr,
                )
            (mock_sent, mock_seconds), (bare_sent, bare_seconds) = (
                runs[command.name][-1] for command in commands
            )
            ratios.append((mock_sent / mock_seconds) / (bare_sent / bare_seconds))
        mock = next(command for command in commands if command.name == MOCK)
        for number in range(1, rounds + 1):
            sent, seconds = runner_run(variant, mock, examples, work_dir / f"runner-{number}")
            runs.setdefault(RUNNER_ROW, []).append((sent, seconds))
            print(
                f"  runner {number}/{rounds} mock   {sent} cases in {seconds:.2f} s",
                file=sys.stderr,
            )
    method = (
        f"`schemathesis run --checks not_a_server_error` (phases {PHASES}, {examples} examples, "
        f"seed {SEED}) against each server, alternated; and the conformance runner "
        "(`runner.run_schemathesis`: every Schemathesis check and the image checks, mock-mode "
        "options, same seed and examples) against the mock. Cases sent (from Schemathesis' "
        "event stream) over Schemathesis' engine time (start-up and spec loading left out); the "
        f"run with the median rate of {rounds}; the ratio is the median of the per-round ratios."
    )
    chosen = {name: _median_run(values) for name, values in runs.items()}
    return ConformanceMeasurement(
        method,
        {name: run[0] for name, run in chosen.items()},
        {name: run[1] for name, run in chosen.items()},
        statistics.median(ratios),
    )
