"""The generated models and clients install as distributions into a fresh environment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from imagegen_spec.core.specs import load_spec, variants
from imagegen_spec.generate.config import CLIENT_DIR, GENERATED_DIR, MODELS_DIR, Names
from tests.generate.conftest import uv_binary


@pytest.mark.slow
def test_every_generated_distribution_installs_and_imports(tmp_path: Path) -> None:
    uv = uv_binary()
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    folders = [
        str(GENERATED_DIR / v / kind) for v in variants() for kind in (CLIENT_DIR, MODELS_DIR)
    ]
    for command in (
        [uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
        [uv, "pip", "install", "--quiet", "--python", str(python), *folders],
    ):
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
        assert result.returncode == 0, f"{command[:3]} failed: {result.stderr}"

    packages = {
        (names.client_package if kind == CLIENT_DIR else names.models_package): (
            names.client_project if kind == CLIENT_DIR else names.models_project
        )
        for names in map(Names, variants())
        for kind in (CLIENT_DIR, MODELS_DIR)
    }
    probe = (
        "import importlib, importlib.metadata as m, json, sys\n"
        "packages = json.loads(sys.argv[1])\n"
        "for package in packages: importlib.import_module(package)\n"
        "print(json.dumps({p: m.version(d) for p, d in packages.items()}))\n"
    )
    result = subprocess.run(
        [str(python), "-c", probe, json.dumps(packages)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    installed = json.loads(result.stdout)
    for names in map(Names, variants()):
        version = str(load_spec(names.variant)["info"]["version"])
        assert installed[names.client_package] == version
        assert installed[names.models_package] == version
