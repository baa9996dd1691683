"""Post-processing of the generators' output: done here, by the script, never by hand.

- datamodel-code-generator writes one module; this marks it typed (py.typed). Both folders
  become distributions through distribution.py (pyproject.toml, README, LICENSE).
- openapi-python-client's attrs models take positional arguments in the spec's key order;
  this makes them keyword-only.
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
from imagegen_spec.generate.config import GenerateError, Names

_ATTRS_DEFINE = "\n@_attrs_define\nclass "
_KW_ONLY_DEFINE = "\n@_attrs_define(kw_only=True)\nclass "
_PREFIX_LINE = '    prefix: str = "Bearer"\n'
_HEADER_NAME_LINE = '    auth_header_name: str = "Authorization"\n'


def write_py_typed(models_dir: Path, names: Names) -> None:
    """Mark the models package as typed (PEP 561); its pyproject.toml is distribution.py's."""
    (models_dir / names.models_package / "py.typed").write_text("", encoding="utf-8")


def make_models_keyword_only(client_package_dir: Path) -> None:
    """Make every attrs model of the client keyword-only (`@_attrs_define(kw_only=True)`).

    A positional call such as `Result(True, False)` would bind by field order, which follows
    the spec's key order: reordering two keys of the same type would swap the arguments
    silently. Keyword-only constructors make that call a TypeError.
    """
    for module in sorted((client_package_dir / "models").glob("*.py")):
        text = module.read_text(encoding="utf-8")
        if "_attrs_define" in text and text.count(_ATTRS_DEFINE) != 1:
            raise GenerateError(
                f"{module.name} from openapi-python-client does not hold {_ATTRS_DEFINE.strip()!r}"
                " once before its class: update imagegen_spec/generate/postprocess.py"
            )
        module.write_text(text.replace(_ATTRS_DEFINE, _KW_ONLY_DEFINE), encoding="utf-8")


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
