"""Run the two generators and the post-processing, into a staging folder.

Each generator runs as its own process from this interpreter's environment (where nox installs
the pinned versions), with its ruff first on PATH; variants are generated in parallel.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from imagegen_spec.generate.config import (
    CLIENT_DIR,
    CLIENT_FLAGS,
    DATAMODEL_FLAGS,
    MODEL_METADATA_FILE,
    MODELS_DIR,
    STAGING_RUFF_TOML,
    GenerateError,
    Names,
    client_config_text,
)
from imagegen_spec.generate.postprocess import set_auth_defaults, write_models_distribution
from imagegen_spec.specs import Spec, parse_spec


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.update(PYTHONHASHSEED="0", PYTHONUTF8="1", RUFF_NO_CACHE="true", NO_COLOR="1")
    return env


def _run(command: Sequence[str], cwd: Path, what: str) -> None:
    result = subprocess.run(
        list(command),
        cwd=cwd,
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = "\n".join(part.strip() for part in (result.stdout, result.stderr) if part.strip())
        raise GenerateError(f"{what} failed (exit code {result.returncode}):\n{output}")


def read_spec(spec_file: Path) -> Spec:
    """Read a spec file, or raise GenerateError saying why it cannot be read."""
    try:
        return parse_spec(spec_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, ValueError) as error:
        raise GenerateError(f"cannot read the spec {spec_file}: {error}") from error


def generate_variant(spec_file: Path, names: Names, staging_root: Path) -> Path:
    """Generate one variant's models and client into `staging_root/<variant>`; return it."""
    spec = read_spec(spec_file)
    variant_dir = staging_root / names.variant
    models_package_dir = variant_dir / MODELS_DIR / names.models_package
    models_package_dir.mkdir(parents=True)
    _run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(spec_file),
            "--output",
            str(models_package_dir / "__init__.py"),
            "--emit-model-metadata",
            str(models_package_dir / MODEL_METADATA_FILE),
            *DATAMODEL_FLAGS,
        ],
        cwd=models_package_dir,
        what=f"{names.variant}: datamodel-code-generator",
    )
    config_file = staging_root / f"{names.variant}.openapi-python-client.json"
    config_file.write_text(client_config_text(names), encoding="utf-8")
    _run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(spec_file),
            "--output-path",
            str(variant_dir / CLIENT_DIR),
            "--config",
            str(config_file),
            *CLIENT_FLAGS,
        ],
        cwd=staging_root,
        what=f"{names.variant}: openapi-python-client",
    )
    write_models_distribution(variant_dir / MODELS_DIR, names, spec)
    set_auth_defaults(variant_dir / CLIENT_DIR / names.client_package / "client.py", spec)
    return variant_dir


def generate_variants(
    spec_dir: Path, variants: Sequence[str], staging_root: Path
) -> dict[str, Path]:
    """Generate several variants into an empty staging folder; return each variant's folder."""
    (staging_root / "ruff.toml").write_text(STAGING_RUFF_TOML, encoding="utf-8")
    if not variants:
        return {}
    with ThreadPoolExecutor(max_workers=min(len(variants), os.cpu_count() or 1)) as pool:
        futures = {
            variant: pool.submit(
                generate_variant, spec_dir / f"{variant}.yaml", Names(variant), staging_root
            )
            for variant in variants
        }
        return {variant: future.result() for variant, future in futures.items()}
