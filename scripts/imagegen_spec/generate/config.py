"""What the generators are told: package names, flags, the client's config file, and the pins.

Everything here shapes the generated files, so `config_sha256` hashes it (together with the
source of the modules that run the generators and post-process their output) into the manifest.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from imagegen_spec.core.generated import MANIFEST_NAME as MANIFEST_NAME
from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.shared.errors import UserError
from imagegen_spec.shared.pins import canonical, exact_pins

GENERATED_DIR = REPO_ROOT / "generated"
FIX_COMMAND = "nox -s generate"

# Where the generator pins live: the `generate` dependency group of the project's pyproject.toml.
PYPROJECT = REPO_ROOT / "pyproject.toml"
PIN_GROUP = "generate"
GENERATORS = ("datamodel-code-generator", "openapi-python-client", "ruff")

MODELS_DIR = "models"
CLIENT_DIR = "client"
MODEL_METADATA_FILE = "model_metadata.json"

# The oldest pydantic the models are written for: 2.14 imports the MISSING sentinel from
# pydantic itself (--use-missing-sentinel), so an optional field that the spec does not make
# nullable rejects null instead of defaulting to None.
PYDANTIC_TARGET = "2.14"

# TOOLCHAIN.md's flags that give clean `mypy --strict` output, plus: path and query parameters
# as a model (`--include-path-parameters`, `--openapi-scopes ... parameters`, named after the
# operationId), the MISSING sentinel (above), and a map from each model to its JSON pointer in
# the spec (`--emit-model-metadata`, added by run.py) that the tests use. `--ignore-pyproject`:
# no `[tool.datamodel-codegen]` table found above the output folder may change the output.
DATAMODEL_FLAGS: tuple[str, ...] = (
    "--ignore-pyproject",
    "--input-file-type=openapi",
    "--output-model-type=pydantic_v2.BaseModel",
    "--target-python-version=3.11",
    f"--target-pydantic-version={PYDANTIC_TARGET}",
    "--use-annotated",
    "--field-constraints",
    "--enum-field-as-literal=all",
    "--strict-nullable",
    "--use-missing-sentinel",
    "--use-double-quotes",
    "--disable-timestamp",
    "--use-schema-description",
    "--collapse-root-models",
    "--reuse-model",
    "--include-path-parameters",
    "--openapi-scopes",
    "schemas",
    "paths",
    "parameters",
    "--use-operation-id-as-name",
    "--formatters",
    "ruff-format",
    "ruff-check",
)

CLIENT_FLAGS: tuple[str, ...] = ("--meta", "uv", "--overwrite", "--fail-on-warning")

# ruff 0.17's default rule set rewrites `*args: Any` to `*args: object` and breaks
# `mypy --strict` (TOOLCHAIN.md), so the pinned ruff runs isolated with a small rule set.
CLIENT_POST_HOOKS: tuple[str, ...] = (
    "ruff check --isolated --select F,I,UP --fix-only .",
    "ruff format --isolated .",
)

# Written at the root of every staging folder. datamodel-code-generator runs ruff from the
# output folder, where ruff would otherwise use whatever configuration lies above it (in the
# repository: the project's own ruleset), and the output would depend on where it was made.
STAGING_RUFF_TOML = (
    'line-length = 88\ntarget-version = "py311"\n\n[lint]\nselect = ["F", "I", "UP"]\n'
)

# The modules whose code shapes the generated files: their source is part of the config hash,
# with every file below templates/ (openapi-python-client's overridden templates and the
# README, license and pyproject templates of both distributions).
CODE_FILES = ("config.py", "run.py", "postprocess.py", "generator_spec.py", "distribution.py")
TEMPLATES_DIR = Path(__file__).parent / "templates"
CLIENT_TEMPLATES = TEMPLATES_DIR / "client"

_VARIANT_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


class GenerateError(UserError):
    """A problem to report to the user in one message, without a traceback."""


@dataclass(frozen=True)
class Names:
    """The distribution and package names of one variant's models and client."""

    variant: str

    def __post_init__(self) -> None:
        if not _VARIANT_NAME.fullmatch(self.variant):
            raise GenerateError(
                f"variant name {self.variant!r} cannot name a Python package: use lowercase "
                f"letters, digits and single hyphens (rename spec/{self.variant}.yaml)"
            )

    @property
    def _stem(self) -> str:
        return "imagegen_" + self.variant.replace("-", "_")

    @property
    def models_package(self) -> str:
        """Import name of the models, e.g. `imagegen_azure_models`."""
        return f"{self._stem}_models"

    @property
    def models_project(self) -> str:
        """Distribution name of the models, e.g. `imagegen-azure-models`."""
        return self.models_package.replace("_", "-")

    @property
    def client_package(self) -> str:
        """Import name of the client, e.g. `imagegen_azure_client`."""
        return f"{self._stem}_client"

    @property
    def client_project(self) -> str:
        """Distribution name of the client, e.g. `imagegen-azure-client`."""
        return self.client_package.replace("_", "-")


def client_config(names: Names) -> dict[str, Any]:
    """Return the openapi-python-client config file's content for a variant."""
    return {
        "project_name_override": names.client_project,
        "package_name_override": names.client_package,
        "literal_enums": True,
        "post_hooks": list(CLIENT_POST_HOOKS),
    }


def client_config_text(names: Names) -> str:
    """Return the openapi-python-client config file's text (JSON, sorted keys)."""
    return json.dumps(client_config(names), indent=2, sort_keys=True) + "\n"


def config_sha256(names: Names) -> str:
    """Return the sha256 of everything besides the spec that decides a variant's output."""
    package_dir = Path(__file__).parent
    recipe = {
        "datamodel-code-generator": list(DATAMODEL_FLAGS),
        "openapi-python-client": {"flags": list(CLIENT_FLAGS), "config": client_config_text(names)},
        "staging ruff.toml": STAGING_RUFF_TOML,
        "code": {
            name: hashlib.sha256((package_dir / name).read_bytes()).hexdigest()
            for name in CODE_FILES
        },
        "templates": {
            path.relative_to(TEMPLATES_DIR).as_posix(): hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
            for path in sorted(TEMPLATES_DIR.rglob("*"))
            if path.is_file()
        },
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()


def pinned_versions(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """Return the exact pins of the generators in pyproject.toml's `generate` group."""
    try:
        group = tomllib.loads(pyproject.read_text(encoding="utf-8"))["dependency-groups"][PIN_GROUP]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        raise GenerateError(
            f"cannot read the {PIN_GROUP!r} dependency group of {pyproject}: {error}"
        ) from error
    pins = exact_pins(group)
    unpinned = [name for name in GENERATORS if canonical(name) not in pins]
    if unpinned:
        raise GenerateError(
            f"{pyproject} must pin {', '.join(unpinned)} exactly (name==version) in its "
            f"{PIN_GROUP!r} dependency group: generated/ has to be reproducible"
        )
    return {name: pins[canonical(name)] for name in GENERATORS}


def installed_versions() -> dict[str, str]:
    """Return the installed version of each generator, read from package metadata."""
    found = {}
    for name in GENERATORS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def checked_generator_versions() -> dict[str, str]:
    """Return the installed generator versions, or raise if they are not the pinned ones."""
    installed = installed_versions()
    pinned = pinned_versions()
    wrong = [
        f"{name} {installed[name]} (pinned: {pinned[name]})"
        for name in GENERATORS
        if installed[name] != pinned[name]
    ]
    if wrong:
        raise GenerateError(
            "the installed generators are not the pinned ones: "
            + "; ".join(wrong)
            + f". Run it through nox (`{FIX_COMMAND}`), which installs the pins."
        )
    return installed
