"""The path users take: new prompts, cheap requests beside renders, workers, many URLs.

- Prompts: a repeated prompt against a new one per request, in url and b64_json mode, at
  1024x1024 and the spec's largest size (the mock alone, kinds alternated per round). wrk
  builds every request in Lua for both, so the load generator's own cost is the same.
- Isolation: the p99 of requests that render nothing (no credential: 401) on one connection
  while other connections keep renders running, beside the same requests alone.
- Workers: `--workers 2` against `--workers 1` under the heaviest renders (b64_json, largest,
  new prompts), alternated per round. On this two-core machine the load generator cannot have
  a core of its own, so the kind is one where each request costs the server milliseconds: wrk
  then needs a few percent of one core, which the table reports (wrk's CPU time over the wall
  time of its runs), so the two workers have nearly both cores.
- Memory: the mock's resident memory (VmRSS) after 1,000 and after 50,000 url-mode requests
  with new prompts, sent by aiohttp (wrk cannot stop after a count).
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from imagegen_spec.bench.load import LoadMeasurement, LoadSettings, measure_load
from imagegen_spec.bench.scenarios import (
    B64_LARGEST,
    PROMPT_KINDS,
    UNAUTHENTICATED,
    URL_UNIQUE,
    Scenario,
)
from imagegen_spec.bench.servers import ServerCommand, ServerGroup, mock_command
from imagegen_spec.bench.soak import SoakResult, SoakSettings, drive
from imagegen_spec.bench.wrk import finish_wrk, lua_script, run_wrk, start_wrk

ONE_WORKER = "mock, 1 worker"
TWO_WORKERS = "mock, 2 workers"
RENDER_CONNECTIONS = 8


@dataclass(frozen=True)
class RealPathSettings:
    """How long and how hard each measurement runs."""

    load: LoadSettings
    memory_baseline: int = 1_000
    memory_requests: int = 50_000
    memory_connections: int = 32


@dataclass(frozen=True)
class IsolationMeasurement:
    """Latency of requests that render nothing, with and without renders running."""

    quiet_kind: str
    render_kind: str
    loaded_p50_ms: float
    loaded_p99_ms: float
    alone_p99_ms: float
    render_requests_per_second: float


@dataclass(frozen=True)
class WorkersMeasurement:
    """Throughput of two workers against one (medians; ratio of paired rounds)."""

    kind: str
    one_requests_per_second: float
    two_requests_per_second: float
    ratio: float
    load_generator_core_share: float
    """wrk's CPU seconds over the wall seconds of its runs (1.0 is a whole core)."""


@dataclass(frozen=True)
class MemoryMeasurement:
    """Resident memory after a few and after many url-mode requests with new prompts."""

    kind: str
    baseline_requests: int
    requests: int
    baseline_rss_mib: float
    rss_mib: float
    wrong: int
    """Requests that did not get 200 (or failed)."""

    @property
    def ratio(self) -> float:
        """RSS after all requests over RSS after the baseline."""
        return self.rss_mib / self.baseline_rss_mib if self.baseline_rss_mib else 0.0


@dataclass(frozen=True)
class RealPathReport:
    """Everything this part measured."""

    prompts: tuple[LoadMeasurement, ...]
    isolation: IsolationMeasurement
    workers: WorkersMeasurement
    memory: MemoryMeasurement

    def prompt_ratio(self, unique: str, repeated: str) -> float | None:
        """Throughput with new prompts over a repeated one (median of paired rounds)."""
        by_kind = {m.kind: m for m in self.prompts}
        new, old = by_kind.get(unique), by_kind.get(repeated)
        if new is None or old is None:
            return None
        pairs = [a / b for a, b in zip(new.round_rates, old.round_rates, strict=False) if b]
        return statistics.median(pairs) if pairs else None


def measure_real_path(
    variant: str,
    requests: Mapping[str, Scenario],
    settings: RealPathSettings,
    work_dir: Path,
) -> RealPathReport:
    """Run the four measurements, each with servers of its own."""
    kinds = [requests[kind] for kind in PROMPT_KINDS if kind in requests]
    print("  prompts: repeated and new, url and b64_json", file=sys.stderr)
    (work_dir / "prompts").mkdir()
    prompts = measure_load(
        [mock_command(variant)],
        kinds,
        settings.load,
        work_dir / "prompts",
        script_for=lambda scenario: lua_script(scenario, per_request=True),
    )
    print("  isolation: 401s while renders run", file=sys.stderr)
    isolation = _isolation(
        mock_command(variant), requests[UNAUTHENTICATED], requests[B64_LARGEST], settings, work_dir
    )
    print("  workers: 2 against 1", file=sys.stderr)
    workers = _workers(variant, requests[B64_LARGEST], settings.load, work_dir)
    print(f"  memory: {settings.memory_requests:,} url requests, new prompts", file=sys.stderr)
    memory = _memory(mock_command(variant), requests[URL_UNIQUE], settings, work_dir)
    return RealPathReport(tuple(prompts), isolation, workers, memory)


def _script(work_dir: Path, scenario: Scenario, label: str) -> Path:
    path = work_dir / f"{label}-{scenario.kind}.lua"
    path.write_text(lua_script(scenario))
    return path


def _isolation(
    command: ServerCommand,
    quiet: Scenario,
    render: Scenario,
    settings: RealPathSettings,
    work_dir: Path,
) -> IsolationMeasurement:
    seconds = settings.load.seconds
    with ServerGroup(work_dir) as group:
        group.start(command)
        quiet_script = _script(work_dir, quiet, "isolation")
        alone = run_wrk(command.url(quiet), quiet_script, connections=1, seconds=seconds)
        renders = start_wrk(
            command.url(render),
            _script(work_dir, render, "isolation"),
            connections=RENDER_CONNECTIONS,
            seconds=seconds + 2,
        )
        time.sleep(1.0)  # let the renders ramp up before measuring beside them
        loaded = run_wrk(command.url(quiet), quiet_script, connections=1, seconds=seconds)
        rendered = finish_wrk(renders)
    return IsolationMeasurement(
        quiet.kind,
        render.kind,
        loaded.p50_ms,
        loaded.p99_ms,
        alone.p99_ms,
        rendered.requests_per_second,
    )


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _workers(
    variant: str, scenario: Scenario, settings: LoadSettings, work_dir: Path
) -> WorkersMeasurement:
    commands = [
        mock_command(variant, workers=1, name=ONE_WORKER),
        mock_command(variant, workers=2, name=TWO_WORKERS),
    ]
    rates: dict[str, list[float]] = {command.name: [] for command in commands}
    wrk_cpu = wrk_wall = 0.0
    with ServerGroup(work_dir) as group:
        for command in commands:
            group.start(command)
        for command in commands:  # warm up: prepare the pictures of every worker
            run_wrk(
                command.url(scenario),
                _script(work_dir, scenario, "warm"),
                connections=settings.connections,
                seconds=2,
            )
        for round_number in range(1, settings.rounds + 1):
            for command in commands:
                script = _script(work_dir, scenario, f"workers-{round_number}")
                cpu_before, wall_before = _children_cpu_seconds(), time.monotonic()
                result = run_wrk(
                    command.url(scenario),
                    script,
                    connections=settings.connections,
                    seconds=settings.seconds,
                )
                wrk_cpu += _children_cpu_seconds() - cpu_before
                wrk_wall += time.monotonic() - wall_before
                rates[command.name].append(result.requests_per_second)
                print(
                    f"  round {round_number}/{settings.rounds} {command.name:<16} "
                    f"{result.requests_per_second:>8.0f} req/s",
                    file=sys.stderr,
                )
    one, two = rates[ONE_WORKER], rates[TWO_WORKERS]
    ratios = [b / a for a, b in zip(one, two, strict=True) if a]
    return WorkersMeasurement(
        scenario.kind,
        statistics.median(one),
        statistics.median(two),
        statistics.median(ratios) if ratios else 0.0,
        wrk_cpu / wrk_wall if wrk_wall else 0.0,
    )


def _memory(
    command: ServerCommand, scenario: Scenario, settings: RealPathSettings, work_dir: Path
) -> MemoryMeasurement:
    baseline = settings.memory_baseline
    rest = max(0, settings.memory_requests - baseline)
    wrong = 0
    with ServerGroup(work_dir) as group:
        server = group.start(command)
        readings = []
        for first, count in ((0, baseline), (baseline, rest)):
            soak = SoakSettings(count, settings.memory_connections)
            result = SoakResult(soak, {scenario.kind: 200})
            asyncio.run(drive(command, [scenario], soak, result, first=first))
            wrong += sum(sum(c.values()) for c in result.wrong.values())
            wrong += sum(result.client_errors.values()) + count - result.sent
            readings.append(server.rss_mib())
    return MemoryMeasurement(
        scenario.kind, baseline, baseline + rest, readings[0], readings[1], wrong
    )
