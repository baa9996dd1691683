"""The benchmark's results, its targets (met or missed) and their Markdown tables."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from imagegen_spec.bench.generation import GenerationMeasurement
from imagegen_spec.bench.load import LoadMeasurement, LoadSettings
from imagegen_spec.bench.machine import Machine
from imagegen_spec.bench.real_path import RENDER_CONNECTIONS, RealPathReport
from imagegen_spec.bench.scenarios import (
    B64,
    B64_LARGEST,
    B64_UNIQUE,
    LABELS,
    URL,
    URL_LARGEST,
    URL_UNIQUE,
    default_response_format,
)
from imagegen_spec.bench.servers import BARE, MOCK, PRISM_NAME
from imagegen_spec.bench.soak import SoakResult
from imagegen_spec.bench.streaming import StreamReport, StreamRun, p50, p99
from imagegen_spec.core.events import PARTIAL_IMAGES_FIELD
from imagegen_spec.shared.tables import markdown_table

RUNNER_ROW = "mock, conformance runner (every check)"
"""The conformance row of the runner's own run against the mock."""
MET = "met"
MISSED = "**missed**"
NOT_RUN = "not run"


@dataclass(frozen=True)
class ConformanceMeasurement:
    """Conformance cases run per second against each server, and how they were run."""

    method: str
    cases: dict[str, int]
    seconds: dict[str, float]
    ratio: float | None = None
    """The mock's rate over the bare app's (median of paired rounds; None: from the rows)."""

    def rate(self, server: str) -> float:
        """Cases per second against a server."""
        return self.cases[server] / self.seconds[server] if self.seconds[server] else 0.0


@dataclass(frozen=True)
class BenchReport:
    """Everything one bench run measured (a part not run is None)."""

    machine: Machine
    variant: str
    load_settings: LoadSettings
    load: Sequence[LoadMeasurement] = ()
    generation: GenerationMeasurement | None = None
    conformance: ConformanceMeasurement | None = None
    soak: SoakResult | None = None
    real_path: RealPathReport | None = None
    streaming: StreamReport | None = None

    def measurement(self, server: str, kind: str) -> LoadMeasurement | None:
        """The load measurement of a server and request kind, if taken."""
        return next((m for m in self.load if m.server == server and m.kind == kind), None)

    def ratio(self, kind: str, other: str) -> float | None:
        """The mock's throughput over another server's for one request kind.

        The median of the per-round ratios when both have them (paired by round, so a drift of
        the machine between rounds cancels), else the ratio of the medians.
        """
        mine, theirs = self.measurement(MOCK, kind), self.measurement(other, kind)
        if mine is None or theirs is None or not theirs.requests_per_second:
            return None
        pairs = list(zip(mine.round_rates, theirs.round_rates, strict=False))
        if pairs and len(mine.round_rates) == len(theirs.round_rates) and all(b for _, b in pairs):
            return statistics.median(a / b for a, b in pairs)
        return mine.requests_per_second / theirs.requests_per_second


@dataclass(frozen=True)
class Target:
    """A goal, what was measured, and whether it was met (None: not measured)."""

    name: str
    goal: str
    measured: str
    met: bool | None

    @property
    def verdict(self) -> str:
        """met, missed or not run."""
        return NOT_RUN if self.met is None else MET if self.met else MISSED


def _at_least(name: str, value: float | None, goal: float, unit: str = "x") -> Target:
    shown = "-" if value is None else f"{value:.2f}{unit}"
    return Target(name, f">= {goal:g}{unit}", shown, None if value is None else value >= goal)


def _below(name: str, value: float | None, goal: float, unit: str) -> Target:
    shown = "-" if value is None else f"{value:.2f} {unit}"
    return Target(name, f"< {goal:g} {unit}", shown, None if value is None else value < goal)


def _at_most(name: str, value: float | None, goal: float, unit: str = "x") -> Target:
    shown = "-" if value is None else f"{value:.2f}{unit}"
    return Target(name, f"<= {goal:g}{unit}", shown, None if value is None else value <= goal)


def real_path_targets(real: RealPathReport | None) -> list[Target]:
    """The targets of the path users take (None measured: every one 'not run')."""
    isolation = None if real is None else real.isolation
    workers = None if real is None else real.workers
    memory = None if real is None else real.memory
    return [
        _at_least(
            "url-mode req/s, new prompt / repeated prompt",
            None if real is None else real.prompt_ratio(URL_UNIQUE, URL),
            0.8,
        ),
        _at_least(
            "b64_json 1024x1024 req/s, new prompt / repeated prompt",
            None if real is None else real.prompt_ratio(B64_UNIQUE, B64),
            0.8,
        ),
        _below(
            "p99 of a request that renders nothing (401) while renders run",
            None if isolation is None else isolation.loaded_p99_ms,
            25,
            "ms",
        ),
        _at_least(
            "b64_json largest, new prompts: req/s, 2 workers / 1 worker",
            None if workers is None else workers.ratio,
            1.5,
        ),
        _at_most(
            "RSS after 50,000 url requests (new prompts) / after 1,000",
            None if memory is None else memory.ratio,
            1.2,
        ),
    ]


def targets(report: BenchReport) -> list[Target]:
    """Every target, judged on this run."""
    b64 = report.measurement(MOCK, B64)
    conformance = report.conformance
    conformance_ratio = None
    if conformance is not None and conformance.ratio is not None:
        conformance_ratio = conformance.ratio
    elif conformance is not None and conformance.rate(BARE):
        conformance_ratio = conformance.rate(MOCK) / conformance.rate(BARE)
    found = [
        _at_least("valid url-mode req/s, mock / Prism", report.ratio(URL, PRISM_NAME), 3),
        _at_least("valid url-mode req/s, mock / bare app", report.ratio(URL, BARE), 0.5),
        _below(
            f"repeated b64_json 1024x1024, p50 at {report.load_settings.connections} connections",
            None if b64 is None else b64.p50_ms,
            20,
            "ms",
        ),
        _below(
            "no-op regeneration (`generate --check`)",
            None if report.generation is None else report.generation.noop_seconds,
            1,
            "s",
        ),
        _at_least("conformance cases/s, mock / bare app", conformance_ratio, 0.8),
    ]
    found += real_path_targets(report.real_path)
    soak = report.soak
    if soak is not None:
        wrong = sum(sum(counts.values()) for counts in soak.wrong.values())
        wrong += sum(soak.client_errors.values()) + soak.settings.requests - soak.sent
        found.append(
            Target(
                f"soak: {soak.settings.requests:,} mixed requests get the spec's status",
                "0 other",
                f"{wrong} other",
                wrong == 0,
            )
        )
        found.append(
            _below(
                "soak: server peak RSS (VmHWM)",
                soak.peak_rss_mib,
                soak.settings.memory_ceiling_mib,
                "MiB",
            )
        )
    return found


def targets_table(report: BenchReport) -> str:
    """The targets with their verdicts."""
    rows = [[t.name, t.goal, t.measured, t.verdict] for t in targets(report)]
    return markdown_table(["target", "goal", "measured", "result"], rows)


def load_table(report: BenchReport) -> str:
    """Throughput and latency of every server for every request kind."""
    rows = []
    for kind in dict.fromkeys(m.kind for m in report.load):
        for measurement in (m for m in report.load if m.kind == kind):
            rows.append(
                [
                    LABELS[kind],
                    measurement.server,
                    str(measurement.status),
                    f"{measurement.requests_per_second:,.0f}",
                    f"{measurement.p50_ms:.2f}",
                    f"{measurement.p99_ms:.2f}",
                    f"{measurement.single_p50_ms:.2f}",
                    str(measurement.unexpected),
                ]
            )
    header = ["request", "server", "status", "req/s", "p50 ms", "p99 ms", "alone p50 ms"]
    return markdown_table([*header, "unexpected"], rows)


def ratio_table(report: BenchReport) -> str:
    """The mock's throughput over Prism's and over the bare app's, per request kind."""

    def shown(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}x"

    rows = [
        [LABELS[kind], shown(report.ratio(kind, PRISM_NAME)), shown(report.ratio(kind, BARE))]
        for kind in dict.fromkeys(m.kind for m in report.load)
    ]
    return markdown_table(["request", "mock / Prism", "mock / bare app"], rows)


def _load_section(report: BenchReport) -> list[str]:
    settings = report.load_settings
    return [
        "### HTTP throughput and latency",
        "",
        f"Variant `{report.variant}` (its default body, only a prompt, is "
        f"`{default_response_format(report.variant)}` mode), one `POST` per request on "
        "127.0.0.1. wrk, 1 thread, "
        f"{settings.connections} connections, {settings.seconds:g} s per run; 'alone' is a "
        f"{settings.single_seconds:g} s run on one connection. {settings.rounds} rounds with "
        "the servers alternated (mock, Prism, bare, mock, ...); medians, and ratios as the "
        "median of the per-round ratios. 'status' is the "
        "answer to a single probe; 'unexpected' counts responses whose class (2xx or not) "
        "differs from it over all runs, plus socket errors. The bare app answers 200 to "
        "everything with a fixed 80-byte body, so only its url-mode row is a like-for-like "
        "ceiling.",
        "",
        load_table(report),
        "",
        ratio_table(report),
        "",
    ]


def _generation_section(generation: GenerationMeasurement) -> list[str]:
    rows = [
        ["cold: every variant into an empty folder", f"{generation.cold_seconds:.2f}"],
        ["no-op: `--check` of an up-to-date folder", f"{generation.noop_seconds:.2f}"],
    ]
    return [
        "### Generation",
        "",
        f"`python -m imagegen_spec.generate` as a fresh process; median of {generation.rounds}.",
        "",
        markdown_table(["run", "seconds"], rows),
        "",
    ]


def _conformance_section(conformance: ConformanceMeasurement) -> list[str]:
    rows = [
        [
            server,
            str(conformance.cases[server]),
            f"{conformance.seconds[server]:.2f}",
            f"{conformance.rate(server):.1f}",
        ]
        for server in conformance.cases
    ]
    return [
        "### Conformance",
        "",
        conformance.method,
        "",
        markdown_table(["server", "cases", "seconds", "cases/s"], rows),
        "",
    ]


def _stream_row(run: StreamRun, label: str) -> list[str]:
    return [
        label,
        f"{run.requests_per_second:,.1f}",
        f"{run.events_per_second:,.1f}" if run.events else "-",
        f"{p50(run.first_image_ms):.1f}",
        f"{p99(run.first_image_ms):.1f}",
        f"{p50(run.last_ms):.1f}",
        f"{p50(run.alone_first_image_ms):.1f}",
        str(run.wrong),
    ]


def _stream_section(streaming: StreamReport) -> list[str]:
    settings, streamed = streaming.settings, streaming.streamed
    rows = [
        _stream_row(streaming.json, f"JSON body, {streaming.json.body['size']}"),
        _stream_row(
            streamed,
            f"streamed, {streamed.body['size']}, {PARTIAL_IMAGES_FIELD} "
            f"{streamed.body[PARTIAL_IMAGES_FIELD]}",
        ),
    ]
    ratio = streaming.first_image_ratio
    header = ["request", "req/s", "events/s", "first image p50 ms", "first image p99 ms"]
    return [
        "### A streamed request",
        "",
        f"Variant `{streaming.variant}` on the mock, a new prompt per request; "
        f"{settings.connections} concurrent clients (aiohttp), {settings.seconds:g} s per run, "
        f"{settings.rounds} rounds alternating the JSON and the streamed request. 'first "
        "image' is the time from sending to the first partial image of a stream (to the whole "
        "body for JSON), 'last' to the completed event, 'alone' the first image's p50 with one "
        "client (run after the others in each round); 'wrong' counts answers other than 200 "
        "and streams without their completed event. First partial image over the whole JSON "
        f"answer, alone: {'-' if ratio is None else f'{ratio:.2f}x'} (median of the rounds' "
        "p50s).",
        "",
        markdown_table([*header, "last p50 ms", "alone first image p50 ms", "wrong"], rows),
        "",
    ]


def _soak_section(soak: SoakResult) -> list[str]:
    rows = []
    for kind, expected in soak.expected.items():
        counts = soak.statuses.get(kind, Counter[int]())
        got = ", ".join(f"{status} x {count:,}" for status, count in sorted(counts.items()))
        rows.append([LABELS[kind], str(expected), got or "-"])
    errors = ", ".join(f"{name} x {n}" for name, n in soak.client_errors.items()) or "none"
    settings = soak.settings
    return [
        "### Soak",
        "",
        f"{soak.sent:,} of {settings.requests:,} mixed requests (the kinds in turn) at "
        f"{settings.connections} concurrent connections (aiohttp) in {soak.seconds:.1f} s; client "
        f"errors: {errors}. Mock peak RSS {soak.peak_rss_mib:.0f} MiB (after start-up "
        f"{soak.start_rss_mib:.0f} MiB), ceiling {settings.memory_ceiling_mib:.0f} MiB.",
        "",
        markdown_table(["request", "spec says", "got"], rows),
        "",
    ]


def _real_path_section(real: RealPathReport) -> list[str]:
    prompt_rows = [
        [
            LABELS[m.kind],
            str(m.status),
            f"{m.requests_per_second:,.0f}",
            f"{m.p50_ms:.2f}",
            f"{m.p99_ms:.2f}",
            str(m.unexpected),
        ]
        for m in real.prompts
    ]
    ratios = [
        [LABELS[new], f"{ratio:.2f}x" if ratio is not None else "-"]
        for new, old in ((URL_UNIQUE, URL), (B64_UNIQUE, B64), (B64_LARGEST, B64_UNIQUE))
        for ratio in [real.prompt_ratio(new, old)]
    ]
    largest_url = real.prompt_ratio(URL_LARGEST, URL_UNIQUE)
    if largest_url is not None:
        ratios.append([LABELS[URL_LARGEST], f"{largest_url:.2f}x"])
    isolation, workers, memory = real.isolation, real.workers, real.memory
    return [
        "### The path users take",
        "",
        "The mock alone, the kinds alternated per round; a new prompt per request gets a new "
        "number in its prompt (wrk's Lua script), so nothing is served from a per-prompt cache.",
        "",
        markdown_table(
            ["request", "status", "req/s", "p50 ms", "p99 ms", "unexpected"], prompt_rows
        ),
        "",
        markdown_table(["request", "req/s over the row it is compared with"], ratios),
        "",
        f"Requests that render nothing ({LABELS[isolation.quiet_kind]}, one connection): p99 "
        f"{isolation.loaded_p99_ms:.2f} ms (p50 {isolation.loaded_p50_ms:.2f} ms) while "
        f"{RENDER_CONNECTIONS} other connections keep `{LABELS[isolation.render_kind]}` running "
        f"({isolation.render_requests_per_second:,.0f} req/s); alone, p99 "
        f"{isolation.alone_p99_ms:.2f} ms.",
        "",
        f"Workers, `{LABELS[workers.kind]}`: 1 worker {workers.one_requests_per_second:,.0f} "
        f"req/s, 2 workers {workers.two_requests_per_second:,.0f} req/s, ratio "
        f"{workers.ratio:.2f}x (median of paired rounds). The load generator (wrk, one thread) "
        f"used {workers.load_generator_core_share:.0%} of one core over its runs; the rest was "
        "the workers', shared with whatever else ran on the machine (see the load average).",
        "",
        f"Memory: VmRSS {memory.baseline_rss_mib:.0f} MiB after {memory.baseline_requests:,} "
        f"url requests with new prompts, {memory.rss_mib:.0f} MiB after {memory.requests:,} "
        f"({memory.ratio:.2f}x); {memory.wrong} of them did not get 200.",
        "",
    ]


def render_markdown(report: BenchReport) -> str:
    """The whole report: machine, targets, then each part that ran."""
    lines = [f"Measured {report.machine.sentence()}.", "", targets_table(report), ""]
    if report.load:
        lines += _load_section(report)
    if report.generation is not None:
        lines += _generation_section(report.generation)
    if report.conformance is not None:
        lines += _conformance_section(report.conformance)
    if report.real_path is not None:
        lines += _real_path_section(report.real_path)
    if report.streaming is not None:
        lines += _stream_section(report.streaming)
    if report.soak is not None:
        lines += _soak_section(report.soak)
    return "\n".join(lines).rstrip() + "\n"


def render_summary(report: BenchReport) -> str:
    """The short form the README quotes: the machine and the targets."""
    return f"Measured {report.machine.sentence()}.\n\n{targets_table(report)}\n"
