"""Run the two generators and the post-processing, into a staging folder.

Each generator runs as its own process from this interpreter's environment (where nox installs
the pinned versions), with that environment's ruff first on PATH; the runs go in parallel.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from imagegen_spec.core.specs import Spec, parse_spec
from imagegen_spec.generate.config import (
    CLIENT_DIR,
    CLIENT_FLAGS,
    CLIENT_TEMPLATES,
    DATAMODEL_FLAGS,
    MODEL_METADATA_FILE,
    MODELS_DIR,
    STAGING_RUFF_TOML,
    GenerateError,
    Names,
    client_config_text,
)
from imagegen_spec.generate.distribution import readme_context, write_distribution
from imagegen_spec.generate.generator_spec import generator_spec
from imagegen_spec.generate.postprocess import (
    make_models_keyword_only,
    set_auth_defaults,
    write_py_typed,
)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.update(PYTHONHASHSEED="0", PYTHONUTF8="1", RUFF_NO_CACHE="true", NO_COLOR="1")
    return env


@dataclass(frozen=True)
class _Job:
    command: list[str]
    cwd: Path
    what: str


def _run(job: _Job) -> None:
    result = subprocess.run(
        job.command,
        cwd=job.cwd,
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = "\n".join(part.strip() for part in (result.stdout, result.stderr) if part.strip())
        raise GenerateError(f"{job.what} failed (exit code {result.returncode}):\n{output}")


def read_spec(spec_file: Path) -> Spec:
    """Read a spec file, or raise GenerateError saying why it cannot be read."""
    try:
        return parse_spec(spec_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, ValueError) as error:
        raise GenerateError(f"cannot read the spec {spec_file}: {error}") from error


def write_generator_spec(spec: Spec, variant: str, staging_root: Path) -> Path:
    """Write the copy of a spec the generators read (`generator_spec`); return its path.

    It keeps the spec's file name (datamodel-code-generator records it in its header).
    """
    folder = staging_root / "specs"
    folder.mkdir(exist_ok=True)
    path = folder / f"{variant}.yaml"
    text = yaml.safe_dump(generator_spec(spec), sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(text, encoding="utf-8")
    return path


def _generator_jobs(spec_file: Path, names: Names, staging_root: Path) -> list[_Job]:
    """The two generator runs of one variant (independent of each other)."""
    variant_dir = staging_root / names.variant
    models_package_dir = variant_dir / MODELS_DIR / names.models_package
    models_package_dir.mkdir(parents=True)
    config_file = staging_root / f"{names.variant}.openapi-python-client.json"
    config_file.write_text(client_config_text(names), encoding="utf-8")
    datamodel = [
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
    ]
    client = [
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
        "--custom-template-path",
        str(CLIENT_TEMPLATES),
        *CLIENT_FLAGS,
    ]
    return [
        _Job(datamodel, models_package_dir, f"{names.variant}: datamodel-code-generator"),
        _Job(client, staging_root, f"{names.variant}: openapi-python-client"),
    ]


def generate_variants(
    spec_dir: Path, variants: Sequence[str], staging_root: Path
) -> dict[str, Path]:
    """Generate variants into an empty staging folder; return each variant's folder there.

    Every generator run is its own process, so they run in parallel, one per core.
    """
    # The generators run in other folders: give them absolute paths.
    spec_dir, staging_root = spec_dir.resolve(), staging_root.resolve()
    staging_root.mkdir(parents=True, exist_ok=True)
    (staging_root / "ruff.toml").write_text(STAGING_RUFF_TOML, encoding="utf-8")
    specs = {variant: read_spec(spec_dir / f"{variant}.yaml") for variant in variants}
    jobs = [
        job
        for variant, spec in specs.items()
        for job in _generator_jobs(
            write_generator_spec(spec, variant, staging_root), Names(variant), staging_root
        )
    ]
    if jobs:
        with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
            for future in [pool.submit(_run, job) for job in jobs]:
                future.result()
    for variant, spec in specs.items():
        names = Names(variant)
        variant_dir = staging_root / variant
        client_package_dir = variant_dir / CLIENT_DIR / names.client_package
        write_py_typed(variant_dir / MODELS_DIR, names)
        set_auth_defaults(client_package_dir / "client.py", variant, spec)
        make_models_keyword_only(client_package_dir)
        context = readme_context(variant, spec, client_package_dir)
        for kind in (MODELS_DIR, CLIENT_DIR):
            write_distribution(variant_dir / kind, kind, variant, spec, context)
    return {variant: staging_root / variant for variant in variants}
