"""Schemathesis, every check and phase, against each variant of the mock: zero failures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from imagegen_spec.specs import spec_path, variants
from tests.mock.conftest import KEY, LiveServer, serve

CONFIG = f"""
[auth.openapi.bearerAuth]
bearer = "{KEY}"

[auth.openapi.apiKey]
api_key = "{KEY}"
"""


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    yield from serve(create_app(MockConfig(api_key=KEY)))


@pytest.mark.parametrize("variant", variants())
def test_mock_conforms(server: LiveServer, variant: str, tmp_path: Path) -> None:
    (tmp_path / "schemathesis.toml").write_text(CONFIG, encoding="utf-8")
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert executable, "schemathesis must be installed next to the test interpreter"
    completed = subprocess.run(
        [
            executable,
            "run",
            str(spec_path(variant)),
            "--url",
            f"{server.base_url}/{variant}/v1",
            "--checks",
            "all",
            "--max-examples",
            "40",
            "--seed",
            "1",
            "--phases",
            "examples,coverage,fuzzing",
        ],
        cwd=tmp_path,
        env={**os.environ, "HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path / "hypothesis")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    summary = completed.stdout[-3000:]
    assert completed.returncode == 0, f"schemathesis should find no failure:\n{summary}"
    assert " passed" in summary and "failure" not in summary.split("SUMMARY")[-1], summary
