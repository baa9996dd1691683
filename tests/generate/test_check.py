"""`--check` catches a stale generated/ and says how to fix it; generating fixes it.

Each test works on copies of spec/ and generated/ in a temporary folder (`--spec-dir`, `--out`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from imagegen_spec.core.operation import operation
from imagegen_spec.core.specs import SPEC_DIR, variants
from imagegen_spec.generate.config import (
    CLIENT_DIR,
    FIX_COMMAND,
    GENERATED_DIR,
    MANIFEST_NAME,
    MODELS_DIR,
    Names,
)
from tests.generate.conftest import run_generate

pytestmark = pytest.mark.slow

EDITED = "azure"
NEW_PROPERTY = "steps"


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of spec/ and generated/: (spec folder, output folder)."""
    spec_dir, out_dir = tmp_path / "spec", tmp_path / "generated"
    shutil.copytree(SPEC_DIR, spec_dir)
    shutil.copytree(GENERATED_DIR, out_dir, ignore=shutil.ignore_patterns("__pycache__"))
    return spec_dir, out_dir


def dirs(workspace: tuple[Path, Path]) -> list[str]:
    spec_dir, out_dir = workspace
    return ["--spec-dir", str(spec_dir), "--out", str(out_dir)]


def request_schema_name(variant: str) -> str:
    ref = operation(variant).definition["requestBody"]["content"]["application/json"]["schema"]
    return str(ref["$ref"]).rsplit("/", 1)[-1]


def add_optional_request_property(spec_file: Path, variant: str) -> None:
    spec = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    schema = spec["components"]["schemas"][request_schema_name(variant)]
    schema["properties"][NEW_PROPERTY] = {
        "type": "integer",
        "minimum": 0,
        "description": "Diffusion steps (added by a test).",
    }
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")


def reported_seconds(stdout: str) -> float:
    match = re.search(r"\((\d+\.\d+) s\)", stdout)
    assert match, f"expected the run to report its time, got {stdout!r}"
    return float(match[1])


def test_unchanged_tree_passes_without_running_a_generator(
    workspace: tuple[Path, Path],
) -> None:
    result = run_generate("--check", *dirs(workspace))
    assert result.returncode == 0, result.stderr
    assert "is up to date" in result.stdout
    assert reported_seconds(result.stdout) < 1.0, "expected a no-change check under a second"

    result = run_generate(*dirs(workspace))
    assert result.returncode == 0, result.stderr
    assert all(f"{variant}: up to date" in result.stdout for variant in variants())
    assert reported_seconds(result.stdout) < 1.0, "expected a no-change run under a second"


def test_spec_edit_fails_the_check_then_generate_brings_it_into_models_and_client(
    workspace: tuple[Path, Path],
) -> None:
    spec_dir, out_dir = workspace
    add_optional_request_property(spec_dir / f"{EDITED}.yaml", EDITED)

    result = run_generate("--check", *dirs(workspace))
    assert result.returncode == 1, result.stdout + result.stderr
    report = result.stderr
    assert f"stale for {EDITED}:" in report, report
    assert f"spec {EDITED}.yaml changed since generation" in report, report
    assert f"{EDITED}/{MODELS_DIR}/{Names(EDITED).models_package}/__init__.py" in report, report
    assert f"{EDITED}/{CLIENT_DIR}/{Names(EDITED).client_package}/models/" in report, report
    assert f"Fix: run `{FIX_COMMAND} -- --spec-dir" in report, report
    for other in set(variants()) - {EDITED}:
        assert f"  {other}:" not in report, f"expected only {EDITED} to be stale: {report}"

    result = run_generate(*dirs(workspace))
    assert result.returncode == 0, result.stderr
    assert f"{EDITED}: regenerated (spec {EDITED}.yaml changed" in result.stdout
    assert run_generate("--check", *dirs(workspace)).returncode == 0

    seen = new_property_in_generated(out_dir, EDITED)
    assert seen["model_fields"], "expected the property in the pydantic request model"
    assert seen["model_rejects_negative"], "expected the model to enforce `minimum: 0`"
    assert seen["client_fields"], "expected the property in the client's request model"
    assert seen["client_sends"] == 7, "expected the client to send the property"


def new_property_in_generated(out_dir: Path, variant: str) -> dict[str, Any]:
    """Import the regenerated packages in a fresh interpreter and look for the new property."""
    names = Names(variant)
    schema = request_schema_name(variant)
    probe = f"""
import json, sys
import attrs, pydantic
sys.path[:0] = [{str(out_dir / variant / MODELS_DIR)!r}, {str(out_dir / variant / CLIENT_DIR)!r}]
import {names.models_package} as models
from {names.client_package} import models as client
Request, ClientRequest = models.{schema}, client.{schema}
try:
    Request.model_validate({{"prompt": "p", {NEW_PROPERTY!r}: -1}})
    rejects = False
except pydantic.ValidationError:
    rejects = True
sent = ClientRequest(prompt="p", **{{{NEW_PROPERTY!r}: 7}}).to_dict()
print(json.dumps({{
    "model_fields": {NEW_PROPERTY!r} in Request.model_fields,
    "model_rejects_negative": rejects,
    "client_fields": {NEW_PROPERTY!r} in attrs.fields_dict(ClientRequest),
    "client_sends": sent.get({NEW_PROPERTY!r}),
}}))
"""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_hand_edit_in_generated_fails_the_check(workspace: tuple[Path, Path]) -> None:
    _, out_dir = workspace
    edited = out_dir / "dalle" / CLIENT_DIR / "README.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA hand edit.\n", encoding="utf-8")
    result = run_generate("--check", *dirs(workspace))
    assert result.returncode == 1
    assert "edited by hand?" in result.stderr, result.stderr
    assert "regenerating would change 1 file:" in result.stderr, result.stderr
    assert "dalle/client/README.md" in result.stderr, result.stderr
    assert FIX_COMMAND in result.stderr

    assert run_generate(*dirs(workspace)).returncode == 0
    assert "A hand edit." not in edited.read_text(encoding="utf-8")


def test_removed_spec_and_broken_manifest_are_reported(workspace: tuple[Path, Path]) -> None:
    spec_dir, out_dir = workspace
    (spec_dir / "dalle.yaml").unlink()
    result = run_generate("--check", *dirs(workspace))
    assert result.returncode == 1
    assert "its spec is gone" in result.stderr, result.stderr

    assert run_generate(*dirs(workspace)).returncode == 0
    assert not (out_dir / "dalle").exists()
    assert "dalle" not in json.loads((out_dir / MANIFEST_NAME).read_text())["variants"]

    (out_dir / MANIFEST_NAME).write_text("[", encoding="utf-8")
    result = run_generate("--check", *dirs(workspace))
    assert result.returncode == 2
    assert "error:" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_an_out_folder_that_cannot_be_written_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a regular file\n", encoding="utf-8")
    out_dir = tmp_path / "file" / "sub"

    result = run_generate("--variant", "dalle", "--out", str(out_dir))

    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"--out: {out_dir} cannot be written: Not a directory" in result.stderr, result.stderr
    assert "regenerated" not in result.stdout, "expected no generator to run"


def test_a_file_where_a_variant_folder_goes_is_replaced(workspace: tuple[Path, Path]) -> None:
    _, out_dir = workspace
    shutil.rmtree(out_dir / "dalle")
    (out_dir / "dalle").write_text("in the way\n", encoding="utf-8")

    result = run_generate("--variant", "dalle", *dirs(workspace))

    assert result.returncode == 0, result.stdout + result.stderr
    assert (out_dir / "dalle" / CLIENT_DIR).is_dir() and (out_dir / "dalle" / MODELS_DIR).is_dir()


def test_unknown_variant_is_an_error_naming_the_known_ones() -> None:
    result = run_generate("--check", "--variant", "nope")
    assert result.returncode == 2
    assert "unknown variant nope; known: " + ", ".join(variants()) in result.stderr
    assert "Traceback" not in result.stderr
