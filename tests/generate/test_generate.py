"""Generation is reproducible, and the manifest records exactly what made generated/."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from imagegen_spec.core.specs import SPEC_DIR, load_spec, spec_sha256, variants
from imagegen_spec.generate.config import (
    CLIENT_DIR,
    GENERATED_DIR,
    GENERATORS,
    MANIFEST_NAME,
    MODELS_DIR,
    GenerateError,
    Names,
    checked_generator_versions,
    config_sha256,
    pinned_versions,
)
from imagegen_spec.generate.manifest import file_hashes, manifest_text, read_manifest
from imagegen_spec.generate.run import generate_variants


def test_a_fresh_run_reproduces_generated_byte_for_byte(tmp_path: Path) -> None:
    # generated/ is the output of an earlier run (another process, folder, maybe machine):
    # a second run here, in a different temporary folder, must give the very same bytes.
    checked_generator_versions()
    fresh = generate_variants(SPEC_DIR, variants(), tmp_path / "staging")
    recorded = read_manifest(GENERATED_DIR)
    for variant in variants():
        hashes = file_hashes(fresh[variant])
        assert hashes, f"expected {variant} to generate files"
        assert hashes == file_hashes(GENERATED_DIR / variant), (
            f"{variant}: a fresh run differs from generated/; is generated/ stale "
            "(`nox -s generate`), or is generation not deterministic?"
        )
        assert recorded[variant]["files"] == hashes


def test_manifest_records_spec_generators_config_and_files() -> None:
    entries = read_manifest(GENERATED_DIR)
    assert sorted(entries) == sorted(variants())
    for variant, entry in entries.items():
        assert entry["spec"] == {"file": f"{variant}.yaml", "sha256": spec_sha256(variant)}
        assert entry["generators"] == pinned_versions(), "expected the pinned generators"
        assert sorted(entry["generators"]) == sorted(GENERATORS)
        assert entry["config_sha256"] == config_sha256(Names(variant))
        assert entry["files"] == file_hashes(GENERATED_DIR / variant)
        assert {path.split("/")[0] for path in entry["files"]} == {CLIENT_DIR, MODELS_DIR}


def test_manifest_is_deterministic_text() -> None:
    text = (GENERATED_DIR / MANIFEST_NAME).read_text(encoding="utf-8")
    assert text == manifest_text(read_manifest(GENERATED_DIR)), "expected sorted, stable JSON"
    assert not re.search(r"\"[a-z_]*(time|date)[a-z_]*\"", text), "expected no timestamps"


def test_no_timestamps_in_generated_files() -> None:
    stamp = re.compile(rb"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d")
    for path in GENERATED_DIR.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert not stamp.search(path.read_bytes()), f"{path} holds a timestamp"


def test_distributions_are_named_for_the_variant_and_versioned_by_the_spec(variant: str) -> None:
    names = Names(variant)
    version = str(load_spec(variant)["info"]["version"])
    for kind, project, package in (
        (CLIENT_DIR, names.client_project, names.client_package),
        (MODELS_DIR, names.models_project, names.models_package),
    ):
        folder = GENERATED_DIR / variant / kind
        meta = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
        assert meta["project"]["name"] == project
        assert meta["project"]["version"] == version, f"{project}: expected info.version"
        assert "build-backend" in meta["build-system"], f"{project}: expected pip-installable"
        assert (folder / package / "__init__.py").is_file()
        assert (folder / package / "py.typed").is_file(), f"{package}: expected typed"


def test_package_names_say_the_variant() -> None:
    assert Names("azure").client_package == "imagegen_azure_client"
    assert Names("gpt-image").client_package == "imagegen_gpt_image_client"
    assert Names("dalle").models_package == "imagegen_dalle_models"
    with pytest.raises(GenerateError, match="cannot name a Python package"):
        Names("Bad_Name")


def test_pins_must_be_exact(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[dependency-groups]\ngenerate = ["datamodel-code-generator>=0.89", '
        '"openapi-python-client==0.29.1", "ruff==0.17.5"]\n',
        encoding="utf-8",
    )
    with pytest.raises(GenerateError, match="must pin datamodel-code-generator exactly"):
        pinned_versions(pyproject)


def test_manifest_that_is_not_json_is_reported(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(GenerateError, match="cannot be read"):
        read_manifest(tmp_path)
    (tmp_path / MANIFEST_NAME).write_text(json.dumps({"variants": []}), encoding="utf-8")
    with pytest.raises(GenerateError, match="no `variants` mapping"):
        read_manifest(tmp_path)
