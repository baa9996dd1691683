"""How long generating the models and clients takes: from nothing, and when nothing changed.

Both are timed as a user runs them, as a fresh `python -m imagegen_spec.generate` process
(interpreter start-up included), into a temporary output folder so the working tree is never
touched: a cold run into an empty folder generates every variant, and `--check` on the folder
it just wrote is the no-op run that every `nox -s tests` starts with.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.shared.errors import UserError

TIMEOUT_SECONDS = 600.0


class GenerationError(UserError, RuntimeError):
    """A generator run failed."""


@dataclass(frozen=True)
class GenerationMeasurement:
    """Medians over the rounds, in seconds."""

    cold_seconds: float
    noop_seconds: float
    rounds: int


def timed_run(argv: list[str]) -> float:
    """Run a command to completion and return its wall time; GenerationError if it fails."""
    started = time.perf_counter()
    finished = subprocess.run(
        argv, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False, cwd=REPO_ROOT
    )
    elapsed = time.perf_counter() - started
    if finished.returncode != 0:
        raise GenerationError(
            f"`{' '.join(argv)}` exited {finished.returncode}:\n{finished.stdout}{finished.stderr}"
        )
    return elapsed


def measure_generation(rounds: int, work_dir: Path) -> GenerationMeasurement:
    """Time `rounds` cold generations, each followed by a no-op `--check` of its output."""
    command = [sys.executable, "-m", "imagegen_spec.generate"]
    cold, noop = [], []
    for round_number in range(1, rounds + 1):
        out = work_dir / f"generated-{round_number}"
        cold.append(timed_run([*command, "--out", str(out)]))
        noop.append(timed_run([*command, "--check", "--out", str(out)]))
        print(
            f"  round {round_number}/{rounds} generate {cold[-1]:.2f} s, --check {noop[-1]:.2f} s",
            file=sys.stderr,
        )
    return GenerationMeasurement(statistics.median(cold), statistics.median(noop), rounds)
