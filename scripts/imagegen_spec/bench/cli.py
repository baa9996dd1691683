"""`python -m imagegen_spec.bench`: measure the mock, generation and conformance; print the table.

A full run writes reports/bench.md, the tables of docs/benchmarks.md and the README's summary;
a partial one (`--only`, `--skip`) writes reports/bench.md alone.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType

from imagegen_spec.bench.generation import measure_generation
from imagegen_spec.bench.load import LoadSettings, measure_load
from imagegen_spec.bench.machine import describe_machine
from imagegen_spec.bench.real_path import RealPathSettings, measure_real_path
from imagegen_spec.bench.report import publish, write_report
from imagegen_spec.bench.scenarios import LOAD_KINDS, SOAK_KINDS, scenarios
from imagegen_spec.bench.servers import (
    ServerGroup,
    bare_command,
    mock_command,
    prism_command,
)
from imagegen_spec.bench.soak import SoakSettings, run_soak
from imagegen_spec.bench.streaming import StreamSettings, measure_streaming
from imagegen_spec.bench.table import BenchReport, render_markdown, targets
from imagegen_spec.bench.wrk import wrk_binary
from imagegen_spec.core.specs import variants
from imagegen_spec.shared.cli import parser as command_parser
from imagegen_spec.shared.cli import prog, run_command

LOAD, GENERATE, CONFORMANCE, SOAK = "load", "generate", "conformance", "soak"
REAL_PATH = "real-path"
STREAM = "stream"
PARTS = (LOAD, REAL_PATH, STREAM, GENERATE, CONFORMANCE, SOAK)
COMMAND = "bench"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse and check the command line."""
    parser = command_parser(
        COMMAND,
        "Benchmark the mock against Prism and a bare ASGI app, generation, "
        "conformance, and a soak run; print the table and write the reports.",
    )
    parser.add_argument("--variant", default="dalle", choices=variants(), help="%(default)s")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (%(default)s)")
    parser.add_argument("--seconds", type=float, default=5.0, help="per load run (%(default)s)")
    parser.add_argument("--connections", type=int, default=16, help="wrk's (%(default)s)")
    parser.add_argument(
        "--single-seconds", type=float, default=2.0, help="per one-connection run (%(default)s)"
    )
    parser.add_argument("--only", action="append", choices=PARTS, help="run only this part")
    parser.add_argument("--skip", action="append", choices=PARTS, default=[], help="skip a part")
    parser.add_argument("--soak-requests", type=int, default=20_000, help="%(default)s")
    parser.add_argument("--soak-connections", type=int, default=64, help="%(default)s")
    parser.add_argument(
        "--memory-ceiling", type=float, default=300.0, help="MiB for the soak (%(default)s)"
    )
    parser.add_argument(
        "--memory-requests",
        type=int,
        default=50_000,
        help="url requests with new prompts before the memory is read (%(default)s)",
    )
    parser.add_argument(
        "--memory-baseline",
        type=int,
        default=1_000,
        help="url requests before the first memory reading (%(default)s)",
    )
    parser.add_argument(
        "--conformance-examples",
        type=int,
        default=60,
        help="Schemathesis examples per run (%(default)s)",
    )
    parser.add_argument(
        "--conformance-rounds",
        type=int,
        default=5,
        help="alternated conformance rounds; runs are short and noisy (%(default)s)",
    )
    parser.add_argument(
        "--stream-connections",
        type=int,
        default=4,
        help="concurrent clients of the streamed and JSON requests (%(default)s)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="one short round of everything, to try the bench"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--no-publish", action="store_true", help="write reports/bench.md only, never the docs"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.single_seconds = 1, 2.0, 1.0
        args.soak_requests = min(args.soak_requests, 2_000)
        args.memory_requests = min(args.memory_requests, 5_000)
        args.conformance_examples = min(args.conformance_examples, 10)
        args.conformance_rounds = 1
    for name in (
        "rounds",
        "connections",
        "soak_requests",
        "soak_connections",
        "conformance_rounds",
        "memory_baseline",
        "stream_connections",
    ):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    for name in ("seconds", "single_seconds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1 (wrk counts seconds)")
    if args.memory_ceiling <= 0 or args.conformance_examples < 1:
        parser.error("--memory-ceiling and --conformance-examples must be positive")
    if args.memory_requests <= args.memory_baseline:
        parser.error("--memory-requests must be larger than --memory-baseline")
    return args


def chosen_parts(only: Sequence[str] | None, skip: Sequence[str]) -> tuple[str, ...]:
    """The parts to run, in their fixed order."""
    return tuple(part for part in PARTS if (not only or part in only) and part not in skip)


def run(args: argparse.Namespace, parts: Sequence[str]) -> BenchReport:
    """Run the chosen parts and collect the report (servers are stopped on any failure)."""
    if LOAD in parts or REAL_PATH in parts:
        wrk_binary()
    requests = scenarios(args.variant)
    settings = LoadSettings(args.rounds, args.seconds, args.connections, args.single_seconds)
    report = BenchReport(describe_machine(), args.variant, settings)
    with tempfile.TemporaryDirectory(prefix="imagegen-bench-") as scratch:
        work = Path(scratch)
        if LOAD in parts:
            print("load: mock, Prism and the bare app, alternated", file=sys.stderr)
            (work / LOAD).mkdir()
            commands = [
                mock_command(args.variant),
                prism_command(args.variant),
                bare_command(args.variant),
            ]
            kinds = [requests[kind] for kind in LOAD_KINDS]
            load = measure_load(commands, kinds, settings, work / LOAD)
            report = replace(report, load=load)
        if REAL_PATH in parts:
            print("real path: new prompts, isolation, workers, memory", file=sys.stderr)
            (work / REAL_PATH).mkdir()
            real_settings = RealPathSettings(settings, args.memory_baseline, args.memory_requests)
            real = measure_real_path(args.variant, requests, real_settings, work / REAL_PATH)
            report = replace(report, real_path=real)
        if STREAM in parts:
            print("stream: a streamed request beside the same one as JSON", file=sys.stderr)
            (work / STREAM).mkdir()
            stream_settings = StreamSettings(args.rounds, args.seconds, args.stream_connections)
            with ServerGroup(work / STREAM) as group:
                report = replace(report, streaming=measure_streaming(stream_settings, group))
        if GENERATE in parts:
            print("generate: cold and no-op", file=sys.stderr)
            (work / GENERATE).mkdir()
            report = replace(report, generation=measure_generation(args.rounds, work / GENERATE))
        if CONFORMANCE in parts:
            # Imported here: the other parts need none of the conformance runner's dependencies.
            from imagegen_spec.bench.conformance import measure_conformance

            print("conformance: mock and the bare app", file=sys.stderr)
            (work / CONFORMANCE).mkdir()
            conformance = measure_conformance(
                args.variant, args.conformance_examples, args.conformance_rounds, work / CONFORMANCE
            )
            report = replace(report, conformance=conformance)
        if SOAK in parts:
            print(f"soak: {args.soak_requests:,} mixed requests", file=sys.stderr)
            (work / SOAK).mkdir()
            soak_settings = SoakSettings(
                args.soak_requests, args.soak_connections, memory_ceiling_mib=args.memory_ceiling
            )
            with ServerGroup(work / SOAK) as group:
                soak = run_soak(
                    mock_command(args.variant),
                    [requests[kind] for kind in SOAK_KINDS],
                    soak_settings,
                    group,
                )
            report = replace(report, soak=soak)
    return report


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench; exit 0, 1 if the soak (or, with --strict, a target) failed, 2 on errors."""
    return run_command(COMMAND, _main, argv)


def _main(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
    parts = chosen_parts(args.only, args.skip)
    # SIGTERM unwinds like Ctrl-C, so every server the bench started is stopped on the way out.
    signal.signal(signal.SIGTERM, _terminate)
    report = run(args, parts)
    print(render_markdown(report))
    print(f"wrote {write_report(report)}", file=sys.stderr)
    if parts == PARTS and not args.no_publish:
        for path in publish(report):
            print(f"wrote {path}", file=sys.stderr)
    if report.soak is not None and not report.soak.passed:
        print(f"{prog(COMMAND)}: the soak run failed (see the Soak table)", file=sys.stderr)
        return 1
    if args.strict and any(target.met is False for target in targets(report)):
        print(f"{prog(COMMAND)}: a target was missed", file=sys.stderr)
        return 1
    return 0
