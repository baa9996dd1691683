"""The generated client's auth defaults come from the operation's security scheme."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from imagegen_spec.core.operation import operation
from imagegen_spec.core.specs import Spec
from imagegen_spec.generate.config import GenerateError
from imagegen_spec.generate.postprocess import set_auth_defaults

# The two lines of openapi-python-client's AuthenticatedClient that set_auth_defaults rewrites.
CLIENT_PY = (
    "class AuthenticatedClient:\n"
    "    token: str\n"
    '    prefix: str = "Bearer"\n'
    '    auth_header_name: str = "Authorization"\n'
)


@pytest.fixture
def client_py(tmp_path: Path) -> Path:
    path = tmp_path / "client.py"
    path.write_text(CLIENT_PY, encoding="utf-8")
    return path


def azure_with_security(scheme: dict[str, object] | None) -> Spec:
    spec = copy.deepcopy(operation("azure").spec)
    if scheme is None:
        spec["security"] = []
    else:
        spec["components"]["securitySchemes"] = {"key": scheme}
        spec["security"] = [{"key": []}]
    return spec


def test_an_api_key_header_becomes_the_clients_default(client_py: Path) -> None:
    spec = azure_with_security({"type": "apiKey", "in": "header", "name": "X-Key"})
    set_auth_defaults(client_py, "azure", spec)
    text = client_py.read_text(encoding="utf-8")
    assert '    prefix: str = ""\n' in text, "expected no prefix before the key"
    assert '    auth_header_name: str = "X-Key"\n' in text, "expected the spec's header"


@pytest.mark.parametrize("scheme", [{"type": "http", "scheme": "bearer"}, None])
def test_a_bearer_token_or_no_auth_keeps_the_generators_defaults(
    client_py: Path, scheme: dict[str, object] | None
) -> None:
    set_auth_defaults(client_py, "azure", azure_with_security(scheme))
    assert client_py.read_text(encoding="utf-8") == CLIENT_PY, "expected client.py unchanged"


def test_an_unsupported_scheme_is_a_generate_error(client_py: Path) -> None:
    spec = azure_with_security({"type": "apiKey", "in": "query", "name": "key"})
    with pytest.raises(GenerateError, match=r"azure: security scheme .key. .* is not supported"):
        set_auth_defaults(client_py, "azure", spec)
    assert client_py.read_text(encoding="utf-8") == CLIENT_PY, "expected client.py unchanged"
