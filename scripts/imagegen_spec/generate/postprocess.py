"""Post-processing of the generators' output: done here, by the script, never by hand.

- datamodel-code-generator writes one module; this makes its folder an installable
  distribution (pyproject.toml whose version is the spec's `info.version`, and py.typed).
- openapi-python-client's `AuthenticatedClient` sends `Authorization: Bearer <token>`; for a spec
  whose security scheme is an API key in a header, this sets the defaults of `prefix` and
  `auth_header_name` so that the client sends that header out of the box. (Its templates get no
  security schemes to read, so a custom template could not do it without restating the spec.)
"""

from __future__ import annotations

import json
from pathlib import Path

from imagegen_spec.core.operation import spec_operation
from imagegen_spec.core.specs import Spec
from imagegen_spec.generate.config import PYDANTIC_TARGET, GenerateError, Names
from imagegen_spec.shared import toml

_HEADER = "# Written by `python -m imagegen_spec.generate` (nox -s generate): do not edit.\n"
_PREFIX_LINE = '    prefix: str = "Bearer"\n'
_HEADER_NAME_LINE = '    auth_header_name: str = "Authorization"\n'


def write_models_distribution(models_dir: Path, names: Names, spec: Spec) -> None:
    """Make the models folder an installable distribution: pyproject.toml and py.typed."""
    info = spec.get("info", {})
    title = str(info.get("title", names.variant))
    dependency = f"pydantic>={PYDANTIC_TARGET}"
    pyproject = toml.dumps(
        {
            "project": {
                "name": names.models_project,
                "version": str(info["version"]),
                "description": "Pydantic v2 models of " + title,
                "requires-python": ">=3.11",
                "dependencies": [dependency],
            },
            "build-system": {
                "requires": ["hatchling>=1.27"],
                "build-backend": "hatchling.build",
            },
            "tool": {
                "hatch": {"build": {"targets": {"wheel": {"packages": [names.models_package]}}}}
            },
        },
        header=_HEADER,
    )
    (models_dir / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (models_dir / names.models_package / "py.typed").write_text("", encoding="utf-8")


def set_auth_defaults(client_py: Path, variant: str, spec: Spec) -> None:
    """Make the client's `AuthenticatedClient` send the key as the spec's security scheme says."""
    try:
        op = spec_operation(variant, spec)
        if not op.security_schemes:
            return
        auth = op.auth
    except ValueError as error:
        raise GenerateError(str(error)) from error
    if auth.bearer:
        return  # openapi-python-client's defaults: `Authorization: Bearer <token>`
    header = auth.header
    replacements = (
        (
            _PREFIX_LINE,
            f"    # Defaults set by imagegen_spec.generate from the spec: the key in `{header}`.\n"
            '    prefix: str = ""\n',
        ),
        (_HEADER_NAME_LINE, f"    auth_header_name: str = {json.dumps(header)}\n"),
    )
    text = client_py.read_text(encoding="utf-8")
    for old, new in replacements:
        if text.count(old) != 1:
            raise GenerateError(
                f"{client_py.name} from openapi-python-client does not contain {old.strip()!r} "
                "exactly once: update imagegen_spec/generate/postprocess.py for this generator"
            )
        text = text.replace(old, new)
    client_py.write_text(text, encoding="utf-8")
