"""Fixtures of the generated-code tests: the packages in generated/, and the generator's CLI."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.generate.config import (
    CLIENT_DIR,
    GENERATED_DIR,
    MODEL_METADATA_FILE,
    MODELS_DIR,
    Names,
)


def import_generated(variant: str, kind: str, out_dir: Path = GENERATED_DIR) -> ModuleType:
    """Import a variant's generated models or client package from its folder in generated/.

    The folder goes first on sys.path, so the tests always see generated/ as it is now, not a
    copy installed earlier.
    """
    names = Names(variant)
    package = names.models_package if kind == MODELS_DIR else names.client_package
    folder = str(out_dir / variant / kind)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(package)


@pytest.fixture
def models(variant: str) -> ModuleType:
    """The generated pydantic models of each variant in turn."""
    return import_generated(variant, MODELS_DIR)


@pytest.fixture
def model_metadata(variant: str) -> dict[str, Any]:
    """datamodel-code-generator's map from each model to its place in the spec."""
    path = GENERATED_DIR / variant / MODELS_DIR / Names(variant).models_package
    return dict(json.loads((path / MODEL_METADATA_FILE).read_text(encoding="utf-8")))


@pytest.fixture
def client_package(variant: str) -> ModuleType:
    """The generated client package of each variant in turn."""
    return import_generated(variant, CLIENT_DIR)


def run_generate(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m imagegen_spec.generate ARGS` as a user would, capturing its output."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT / "scripts"), *filter(None, [env.get("PYTHONPATH")])]
    )
    return subprocess.run(
        [sys.executable, "-m", "imagegen_spec.generate", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
    )


def uv_binary() -> str:
    """uv, from the tests dependency group (a missing uv fails: it is never silently skipped)."""
    try:
        from uv import find_uv_bin
    except ImportError:
        pytest.fail("uv is missing: it is in the tests dependency group; run `nox -s tests`")
    return str(find_uv_bin())
