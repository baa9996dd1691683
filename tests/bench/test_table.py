from collections import Counter

import pytest

from imagegen_spec.bench.generation import GenerationMeasurement
from imagegen_spec.bench.load import LoadMeasurement, LoadSettings
from imagegen_spec.bench.machine import Machine, cpu_model
from imagegen_spec.bench.report import with_block
from imagegen_spec.bench.servers import peak_rss_mib
from imagegen_spec.bench.soak import SoakResult, SoakSettings
from imagegen_spec.bench.streaming import StreamReport, StreamRun, StreamSettings
from imagegen_spec.bench.table import (
    MET,
    MISSED,
    NOT_RUN,
    BenchReport,
    ConformanceMeasurement,
    render_markdown,
    targets,
)
from imagegen_spec.shared.blocks import MarkerError

MACHINE = Machine("Test CPU", 2, "3.11.0", "0.1", "v20", "5.14.2", "wrk 4.1.0", "today", "abc")


def _load(server: str, kind: str, rps: float, p50: float = 1.0) -> LoadMeasurement:
    return LoadMeasurement(server, kind, 200, rps, p50, p50 * 2, p50 / 2, 0, 3)


def _report(mock_url_rps: float, b64_p50: float) -> BenchReport:
    soak = SoakResult(SoakSettings(requests=10), {"url": 200, "invalid": 400})
    soak.statuses = {"url": Counter({200: 5}), "invalid": Counter({400: 4, 500: 1})}
    soak.peak_rss_mib = 50.0
    return BenchReport(
        MACHINE,
        "dalle",
        LoadSettings(),
        load=[
            _load("mock", "url", mock_url_rps),
            _load("prism", "url", 1000),
            _load("bare", "url", 10_000),
            _load("mock", "b64", 500, b64_p50),
        ],
        generation=GenerationMeasurement(10.0, 0.4, 3),
        conformance=ConformanceMeasurement(
            "how", {"mock": 90, "bare": 100}, {"mock": 1.0, "bare": 1.0}
        ),
        soak=soak,
    )


def test_targets_are_judged_on_ratios_and_limits() -> None:
    verdicts = {t.name: t.verdict for t in targets(_report(mock_url_rps=6000, b64_p50=5))}
    assert verdicts["valid url-mode req/s, mock / Prism"] == MET, "6000/1000 >= 3"
    assert verdicts["valid url-mode req/s, mock / bare app"] == MET, "6000/10000 >= 0.5"
    assert verdicts["no-op regeneration (`generate --check`)"] == MET
    assert verdicts["conformance cases/s, mock / bare app"] == MET, "90/100 >= 0.8"
    assert verdicts["soak: 10 mixed requests get the spec's status"] == MISSED, "one 500"
    assert verdicts["soak: server peak RSS (VmHWM)"] == MET


def test_missed_targets_are_marked() -> None:
    verdicts = {t.name: t.verdict for t in targets(_report(mock_url_rps=2000, b64_p50=25))}
    assert verdicts["valid url-mode req/s, mock / Prism"] == MISSED, "2000/1000 < 3"
    assert verdicts["valid url-mode req/s, mock / bare app"] == MISSED, "2000/10000 < 0.5"
    assert verdicts["repeated b64_json 1024x1024, p50 at 16 connections"] == MISSED, "25 ms"


def test_ratios_pair_the_rounds() -> None:
    def load(server: str, rates: tuple[float, ...]) -> LoadMeasurement:
        return LoadMeasurement(server, "url", 200, sorted(rates)[1], 1, 2, 1, 0, 3, rates)

    report = BenchReport(
        MACHINE,
        "dalle",
        LoadSettings(),
        load=[load("mock", (13_000, 9_000, 8_000)), load("bare", (25_000, 19_000, 25_000))],
    )
    # Per round 0.52, 0.47, 0.32: the median is 0.47; the ratio of medians would be 0.36.
    assert report.ratio("url", "bare") == pytest.approx(9_000 / 19_000)


def test_a_part_not_run_is_marked_not_run() -> None:
    report = BenchReport(MACHINE, "dalle", LoadSettings())
    assert {t.verdict for t in targets(report)} == {NOT_RUN}


def test_markdown_has_the_machine_targets_and_tables() -> None:
    text = render_markdown(_report(mock_url_rps=6000, b64_p50=5))
    assert "Test CPU, 2 cores" in text, "the machine it came from"
    assert "| valid url-mode req/s, mock / Prism | >= 3x | 6.00x | met |" in text
    assert "| valid, default body | 6.00x | 0.60x |" in text, "the ratio table"
    assert "| no-op: `--check` of an up-to-date folder | 0.40 |" in text
    assert "| invalid (n above its maximum) | 400 | 400 x 4, 500 x 1 |" in text, "soak statuses"
    assert f"| {MISSED} |" in text


def test_block_goes_between_the_markers() -> None:
    text = "intro\n<!-- bench:start -->\nold\n<!-- bench:end -->\nnotes\n"
    assert with_block(text, "new", "doc") == (
        "intro\n<!-- bench:start -->\n\nnew\n\n<!-- bench:end -->\nnotes\n"
    )
    with pytest.raises(MarkerError, match="doc must hold"):
        with_block("no markers", "new", "doc")


def test_reads_the_cpu_model_and_peak_memory() -> None:
    assert cpu_model("processor\t: 0\nmodel name\t: AMD EPYC 7B13\n") == "AMD EPYC 7B13"
    assert peak_rss_mib("Name:\tpython\nVmHWM:\t  102400 kB\nVmRSS:\t 1 kB\n") == 100.0


def _stream_run(kind: str, alone_p50s: list[float], events: int) -> StreamRun:
    run = StreamRun(kind, {"prompt": "p", "size": "1024x1024", "partial_images": 3})
    run.requests, run.events, run.seconds = 100, events, 2.0
    run.first_image_ms = [4.0, 5.0, 6.0]
    run.last_ms = [8.0, 9.0, 10.0]
    run.alone_first_image_ms = alone_p50s
    run.round_alone_p50 = alone_p50s
    return run


def test_the_streamed_request_is_shown_beside_json_with_its_first_image_ratio() -> None:
    streaming = StreamReport(
        "openai",
        StreamSettings(rounds=3),
        json=_stream_run("json", [2.0, 2.0, 4.0], 0),
        streamed=_stream_run("streamed", [1.0, 3.0, 2.0], 400),
    )
    report = BenchReport(MACHINE, "dalle", LoadSettings(), streaming=streaming)

    # Per round 0.5, 1.5, 0.5: the median is 0.5.
    assert streaming.first_image_ratio == pytest.approx(0.5)
    text = render_markdown(report)
    assert "First partial image over the whole JSON answer, alone: 0.50x" in text, text
    assert "### A streamed request" in text
    assert "| streamed, 1024x1024, partial_images 3 | 50.0 | 200.0 | 5.0 |" in text, text
    assert "| JSON body, 1024x1024 | 50.0 | - |" in text, text
