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
from typing import Any

from imagegen_spec.generate.config import PYDANTIC_TARGET, GenerateError, Names
from imagegen_spec.specs import Spec

_HEADER = "# Written by `python -m imagegen_spec.generate` (nox -s generate): do not edit.\n"
_PREFIX_LINE = '    prefix: str = "Bearer"\n'
_HEADER_NAME_LINE = '    auth_header_name: str = "Authorization"\n'


def _toml_string(value: str) -> str:
    # A JSON string of printable text is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def write_models_distribution(models_dir: Path, names: Names, spec: Spec) -> None:
    """Make the models folder an installable distribution: pyproject.toml and py.typed."""
    info = spec.get("info", {})
    title = str(info.get("title", names.variant))
    dependency = f"pydantic>={PYDANTIC_TARGET}"
    pyproject = (
        _HEADER
        + "[project]\n"
        + f"name = {_toml_string(names.models_project)}\n"
        + f"version = {_toml_string(str(info['version']))}\n"
        + f"description = {_toml_string('Pydantic v2 models of ' + title)}\n"
        + 'requires-python = ">=3.11"\n'
        + f"dependencies = [{_toml_string(dependency)}]\n"
        + "\n[build-system]\n"
        + 'requires = ["hatchling>=1.27"]\n'
        + 'build-backend = "hatchling.build"\n'
        + "\n[tool.hatch.build.targets.wheel]\n"
        + f"packages = [{_toml_string(names.models_package)}]\n"
    )
    (models_dir / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (models_dir / names.models_package / "py.typed").write_text("", encoding="utf-8")


def security_schemes(spec: Spec) -> list[dict[str, Any]]:
    """Return every security scheme named by the spec's `security` (global or per operation)."""
    defined = spec.get("components", {}).get("securitySchemes", {})
    requirements = list(spec.get("security") or [])
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                requirements += operation.get("security") or []
    found = []
    for requirement in requirements:
        for name in requirement:
            if name not in defined:
                raise GenerateError(f"security requirement {name!r} names no security scheme")
            if defined[name] not in found:
                found.append(defined[name])
    return found


def set_auth_defaults(client_py: Path, spec: Spec) -> None:
    """Make the client's `AuthenticatedClient` send the key as the spec's security scheme says."""
    schemes = security_schemes(spec)
    if not schemes:
        return
    if len(schemes) > 1:
        raise GenerateError(
            "the client's AuthenticatedClient sends one credential, but the spec requires "
            f"{len(schemes)} security schemes: {schemes}"
        )
    scheme = schemes[0]
    if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return  # openapi-python-client's defaults: `Authorization: Bearer <token>`
    if scheme.get("type") != "apiKey" or scheme.get("in") != "header":
        raise GenerateError(
            f"security scheme {scheme} is not supported: the generated client can send a bearer "
            "token or an API key in a header"
        )
    header = str(scheme["name"])
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
