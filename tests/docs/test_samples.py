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

from imagegen_spec.core.operation import operation
from imagegen_spec.core.specs import REPO_ROOT, variants
from imagegen_spec.docs.samples import (
    AZURE_KEY_VARIABLE,
    BEARER_KEY_VARIABLE,
    MOCK_ORIGIN,
    Client,
    CodeSample,
    code_samples,
    generated_client_folder,
    request_examples,
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
    pytest.param(variant, sample, id=f"{variant}-{sample.client}")
    for variant in variants()
    for sample in code_samples(operation(variant))
]


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


def test_each_variant_publishes_a_sample_per_client() -> None:
    for variant in variants():
        op = operation(variant)
        samples = code_samples(op)
        assert [sample.client for sample in samples] == list(Client)
        first = request_examples(op)[0]
        assert all(sample.example == first for sample in samples)


@pytest.mark.parametrize("variant", variants())
def test_samples_of_every_example_are_valid_python(variant: str) -> None:
    op = operation(variant)
    for example in request_examples(op):
        for sample in code_samples(op, example):
            if sample.lang == "python":
                compile(sample.source, f"{variant}-{example.name}-{sample.client}", "exec")
