"""Schemathesis with Azure's own 2025-01-01-preview spec finds no response that breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mock.conftest import KEY, LiveServer

AZURE_REFERENCE = (
    Path(__file__).parents[1] / "fixtures" / "references" / "azure-2025-01-01-preview.json"
)


@pytest.mark.slow
def test_azure_answers_conform_to_azures_own_spec(live: LiveServer, tmp_path: Path) -> None:
    """Before `error.param` became a plain string, the mock's `"param": null` failed ST108."""
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st is not None, "Schemathesis (the tests group) must be installed"
    completed = subprocess.run(
        [
            st,
            "run",
            str(AZURE_REFERENCE),
            "--url",
            f"{live.base_url}/azure/v1",
            "--header",
            f"api-key: {KEY}",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "30",
            "--seed",
            "1",
            "--checks",
            "response_schema_conformance,not_a_server_error",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
