"""Every published code sample runs against the mock on 127.0.0.1 and gets its images."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from imagegen_spec.core.events import PARTIAL_IMAGES_FIELD, STREAM_FIELD, EventStream
from imagegen_spec.core.operation import operation
from imagegen_spec.core.specs import REPO_ROOT, variants
from imagegen_spec.docs.samples import (
    AZURE_KEY_VARIABLE,
    BEARER_KEY_VARIABLE,
    MOCK_ORIGIN,
    STREAMED_CLIENTS,
    Client,
    CodeSample,
    code_samples,
    generated_client_folder,
    published_samples,
    redoc_languages,
    request_examples,
    stream_example,
)
from imagegen_spec.mock.app import MockApp, create_app
from imagegen_spec.mock.config import MockConfig
from tests.loopback import served

NODE_MODULES = REPO_ROOT / "scripts" / "node" / "node_modules"
KEY = "sample-key"


@dataclass(frozen=True)
class LiveMock:
    """The mock app (for its request counts) and where it listens."""

    app: MockApp
    origin: str


@pytest.fixture(scope="module")
def live_mock() -> Iterator[LiveMock]:
    """The mock on a free 127.0.0.1 port, for the module."""
    app = create_app(MockConfig(api_key=KEY))
    with served(app) as origin:
        yield LiveMock(app, origin)


def command(sample: CodeSample, source: str, scratch: Path) -> list[str]:
    """How to run a sample: bash for curl, this Python, node on an ES module file."""
    if sample.client is Client.CURL:
        return ["bash", "-euo", "pipefail", "-c", source]
    if sample.client is Client.NODE_SDK:
        if shutil.which("node") is None or not (NODE_MODULES / "openai").is_dir():
            pytest.skip("node or scripts/node's openai package is missing (npm ci)")
        (scratch / "node_modules").symlink_to(NODE_MODULES)
        script = scratch / "sample.mjs"
        script.write_text(source, encoding="utf-8")
        return ["node", str(script)]
    return [sys.executable, "-c", source]


SAMPLES = [
    pytest.param(
        variant, sample, id=f"{variant}-{sample.client}{'-streamed' if sample.streamed else ''}"
    )
    for variant in variants()
    for sample in published_samples(operation(variant))
]


def printed_events(sample: CodeSample, stdout: str) -> list[str]:
    """The event names a streamed sample printed: curl's `event:` lines, the SDKs' `name: ...`."""
    if sample.client is Client.CURL:
        return [
            line.removeprefix("event:").strip()
            for line in stdout.splitlines()
            if line.startswith("event:")
        ]
    return [line.split(":", 1)[0] for line in stdout.splitlines() if line.strip()]


def expected_events(variant: str, sample: CodeSample) -> list[str]:
    """The events the spec says a stream of the sample's request carries, in order."""
    stream = EventStream.of(operation(variant))
    assert stream is not None, f"{variant}: expected the spec to declare an event stream"
    partials = int(sample.example.body.get(PARTIAL_IMAGES_FIELD, 0))
    assert stream.partial is not None or partials == 0
    names = [stream.partial.name] * partials if stream.partial is not None else []
    return [*names, stream.completed.name]


@pytest.mark.slow
@pytest.mark.parametrize(("variant", "sample"), SAMPLES)
def test_the_sample_runs_against_the_mock(
    variant: str, sample: CodeSample, live_mock: LiveMock, tmp_path: Path
) -> None:
    assert MOCK_ORIGIN in sample.source, "expected the sample to call the local mock"
    source = sample.source.replace(MOCK_ORIGIN, live_mock.origin)
    env = {
        **os.environ,
        BEARER_KEY_VARIABLE: KEY,
        AZURE_KEY_VARIABLE: KEY,
        "PYTHONPATH": str(REPO_ROOT / generated_client_folder(operation(variant))),
    }
    before = live_mock.app.stats[(variant, 200)]
    run = subprocess.run(
        command(sample, source, tmp_path),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, f"expected {sample.label} to succeed:\n{run.stdout}{run.stderr}"
    assert live_mock.app.stats[(variant, 200)] == before + 1, "expected one 200 from the mock"
    assert run.stdout.strip(), "expected the sample to print what it got"
    if sample.streamed:
        expected = expected_events(variant, sample)
        assert printed_events(sample, run.stdout) == expected, (
            f"expected {sample.label} to read the events {expected}, it printed:\n{run.stdout}"
        )


def test_each_variant_publishes_a_sample_per_client() -> None:
    for variant in variants():
        op = operation(variant)
        samples = code_samples(op)
        assert [sample.client for sample in samples] == list(Client)
        first = request_examples(op)[0]
        assert all(sample.example == first for sample in samples)


def test_a_variant_that_streams_publishes_streamed_sdk_samples() -> None:
    streaming = [variant for variant in variants() if EventStream.of(operation(variant))]
    assert streaming, "expected a variant whose spec declares a text/event-stream answer"
    for variant in variants():
        op = operation(variant)
        streamed = [sample for sample in published_samples(op) if sample.streamed]
        if variant not in streaming:
            assert not streamed, f"{variant}: expected no streamed sample (no event stream)"
            continue
        assert [sample.client for sample in streamed] == list(STREAMED_CLIENTS), variant
        example = stream_example(op)
        assert example is not None and example.body[STREAM_FIELD] is True
        assert all(sample.example == example for sample in streamed)
        labels = [sample.label for sample in published_samples(op)]
        assert len(set(labels)) == len(labels), f"{variant}: expected distinct labels {labels}"
        tabs = {tab["label"] for tab in redoc_languages()}
        assert set(labels) <= tabs, f"{variant}: expected Redoc to list every sample's tab"
        for sample in streamed:
            if sample.client is not Client.CURL:
                assert "partial_images" in sample.source and "for " in sample.source


@pytest.mark.parametrize("variant", variants())
def test_samples_of_every_example_are_valid_python(variant: str) -> None:
    op = operation(variant)
    for example in request_examples(op):
        for sample in code_samples(op, example):
            if sample.lang == "python":
                compile(sample.source, f"{variant}-{example.name}-{sample.client}", "exec")
