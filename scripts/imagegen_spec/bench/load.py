"""Throughput and latency of each server for each request kind, in alternating rounds.

Every server runs for the whole phase; each round loads them in turn for each kind (mock,
prism, bare, mock, prism, bare, ...), so a drift of the machine's speed during the run touches
all of them alike. The medians over the rounds are reported, and a ratio of two servers is the
median of their per-round ratios (each round's pair ran minutes closer together than the
rounds).
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from imagegen_spec.bench.scenarios import Scenario
from imagegen_spec.bench.servers import ServerCommand, ServerGroup
from imagegen_spec.bench.wrk import WrkResult, lua_script, run_wrk

WARM_UP_SECONDS = 1.0


@dataclass(frozen=True)
class LoadSettings:
    """How hard and how long each server is loaded."""

    rounds: int = 3
    seconds: float = 5.0
    connections: int = 16
    single_seconds: float = 2.0


@dataclass(frozen=True)
class LoadMeasurement:
    """Medians over the rounds for one server and one request kind.

    `status` is what the server answered a single probe; `unexpected` counts responses, over
    all rounds, whose class (2xx or not) differs from what the spec says the kind gets, plus
    socket errors.
    """

    server: str
    kind: str
    status: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    single_p50_ms: float
    unexpected: int
    rounds: int
    round_rates: tuple[float, ...] = ()
    """Requests per second of each round, in order (for ratios paired by round)."""


def _unexpected(result: WrkResult, expected_status: int) -> int:
    wrong = result.non_2xx if expected_status < 300 else result.requests - result.non_2xx
    return wrong + result.socket_errors


def _probe(command: ServerCommand, scenario: Scenario) -> int:
    response = httpx.request(
        scenario.method,
        command.url(scenario),
        headers=scenario.headers,
        content=scenario.body,
        timeout=30,
    )
    return response.status_code


def measure_load(
    commands: Sequence[ServerCommand],
    scenarios: Sequence[Scenario],
    settings: LoadSettings,
    work_dir: Path,
    script_for: Callable[[Scenario], str] = lua_script,
) -> list[LoadMeasurement]:
    """Start the servers, load each with each scenario in alternating rounds, stop them."""
    scripts = {}
    for scenario in scenarios:
        scripts[scenario.kind] = work_dir / f"{scenario.kind}.lua"
        scripts[scenario.kind].write_text(script_for(scenario))
    loaded: dict[tuple[str, str], list[WrkResult]] = {}
    single: dict[tuple[str, str], list[WrkResult]] = {}
    statuses: dict[tuple[str, str], int] = {}
    with ServerGroup(work_dir) as group:
        for command in commands:
            group.start(command)
        for command in commands:
            for scenario in scenarios:
                statuses[command.name, scenario.kind] = _probe(command, scenario)
                run_wrk(
                    command.url(scenario),
                    scripts[scenario.kind],
                    connections=settings.connections,
                    seconds=WARM_UP_SECONDS,
                )
        for round_number in range(1, settings.rounds + 1):
            for scenario in scenarios:
                for command in commands:
                    key = (command.name, scenario.kind)
                    url, script = command.url(scenario), scripts[scenario.kind]
                    result = run_wrk(
                        url, script, connections=settings.connections, seconds=settings.seconds
                    )
                    loaded.setdefault(key, []).append(result)
                    alone = run_wrk(url, script, connections=1, seconds=settings.single_seconds)
                    single.setdefault(key, []).append(alone)
                    print(
                        f"  round {round_number}/{settings.rounds} {scenario.kind:<8} "
                        f"{command.name:<6} {result.requests_per_second:>9.0f} req/s "
                        f"p50 {result.p50_ms:.2f} ms, alone p50 {alone.p50_ms:.2f} ms",
                        file=sys.stderr,
                    )
    measurements = []
    for command in commands:
        for scenario in scenarios:
            key = (command.name, scenario.kind)
            runs = loaded[key]
            expected = scenario.expected_status if command.follows_spec else 200
            measurements.append(
                LoadMeasurement(
                    server=command.name,
                    kind=scenario.kind,
                    status=statuses[key],
                    requests_per_second=statistics.median(r.requests_per_second for r in runs),
                    p50_ms=statistics.median(r.p50_ms for r in runs),
                    p99_ms=statistics.median(r.p99_ms for r in runs),
                    single_p50_ms=statistics.median(r.p50_ms for r in single[key]),
                    unexpected=sum(_unexpected(r, expected) for r in runs + single[key]),
                    rounds=len(runs),
                    round_rates=tuple(r.requests_per_second for r in runs),
                )
            )
    return measurements
