"""The operation's auth: the one security scheme it requires, read from the spec."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from imagegen_spec.core.operation import Operation, operation, spec_operation
from imagegen_spec.core.pointers import resolve_pointer

API_KEY = {"type": "apiKey", "in": "header", "name": "X-Key"}
BEARER = {"type": "http", "scheme": "Bearer"}


def with_security(
    schemes: dict[str, Any], document: Any = None, on_operation: Any = None
) -> Operation:
    """azure's spec with other security schemes and requirements (global, or the operation's)."""
    real = operation("azure")
    spec = copy.deepcopy(real.spec)
    spec["components"]["securitySchemes"] = schemes
    spec["security"] = document
    if on_operation is not None:
        spec["paths"][real.path][real.method]["security"] = on_operation
    return spec_operation("azure", spec)


def test_each_variants_auth_is_its_one_security_scheme(op: Operation) -> None:
    (requirement,) = op.spec["security"]
    (name,) = requirement
    scheme = op.spec["components"]["securitySchemes"][name]
    auth = op.auth
    assert (auth.scheme_name, auth.scheme) == (name, scheme), "expected the required scheme"
    if scheme["type"] == "apiKey":
        assert (auth.header, auth.bearer) == (scheme["name"], False), "expected the bare key"
    else:
        assert (auth.header, auth.bearer) == ("Authorization", True), "expected a bearer token"


def test_an_api_key_header_and_a_bearer_token_of_any_case() -> None:
    key = with_security({"key": API_KEY}, [{"key": []}]).auth
    assert (key.scheme_name, key.header, key.bearer) == ("key", "X-Key", False)
    token = with_security({"token": BEARER}, [{"token": []}]).auth
    assert (token.scheme_name, token.header, token.bearer) == ("token", "Authorization", True)


def test_the_operations_own_security_wins_over_the_global_one() -> None:
    op = with_security({"key": API_KEY, "token": BEARER}, [{"key": []}], [{"token": []}])
    assert list(op.security_schemes) == ["token"], "expected only the operation's requirement"
    assert op.auth.scheme_name == "token"
    unauthenticated = with_security({"key": API_KEY}, [{"key": []}], [])
    assert unauthenticated.security_schemes == {}, "expected `security: []` to require nothing"


@pytest.mark.parametrize(
    ("schemes", "requirements", "message"),
    [
        ({"key": API_KEY}, None, "exactly one security scheme, found none"),
        ({"key": API_KEY}, [], "exactly one security scheme, found none"),
        (
            {"key": API_KEY, "token": BEARER},
            [{"key": [], "token": []}],
            "exactly one security scheme, found key, token",
        ),
        (
            {"key": API_KEY, "token": BEARER},
            [{"key": []}, {"token": []}],
            "exactly one security scheme, found key, token",
        ),
        ({"key": API_KEY}, [{}, {"key": []}], "makes the key optional"),
        ({"key": {**API_KEY, "in": "query"}}, [{"key": []}], "'key' .* is not supported"),
        ({"basic": {"type": "http", "scheme": "basic"}}, [{"basic": []}], "not supported"),
        ({"key": API_KEY}, [{"other": []}], "'other' names no scheme in components"),
    ],
)
def test_an_auth_the_tools_cannot_serve_is_a_clear_error(
    schemes: dict[str, Any], requirements: Any, message: str
) -> None:
    op = with_security(schemes, requirements)
    with pytest.raises(ValueError, match=f"^azure: .*{message}"):
        _ = op.auth


def test_a_spec_with_other_than_one_operation_is_a_clear_error() -> None:
    spec = copy.deepcopy(operation("azure").spec)
    spec["paths"] = {}
    with pytest.raises(ValueError, match="azure: expected exactly one operation, found"):
        spec_operation("azure", spec)


def test_enum_values_follow_refs_and_any_of() -> None:
    op = operation("dalle")
    model = op.definition["requestBody"]["content"]["application/json"]["schema"]
    properties = op.resolve(model)["properties"]

    assert op.enum_values(properties["model"]) == ["dall-e-2", "dall-e-3"], properties["model"]


def test_a_parameter_example_is_its_example_else_its_schemas_first_else_none() -> None:
    real = operation("azure")
    spec = copy.deepcopy(real.spec)
    found = spec_operation("azure", spec)
    by_name = {parameter.name: parameter for parameter in found.parameters}
    deployment = by_name["deploymentId"]
    declared = found.resolve(
        resolve_pointer(spec, deployment.schema_pointer.removesuffix("/schema"))
    )
    assert found.parameter_example(deployment) == declared["example"], declared

    del declared["example"]  # the spec is changed in place: the operation reads it on each call
    found.resolve(declared["schema"])["examples"] = ["from-schema", "second"]
    assert found.parameter_example(deployment) == "from-schema", (
        "expected the schema's first example when the parameter gives none"
    )

    del found.resolve(declared["schema"])["examples"]
    assert found.parameter_example(deployment) is None, "expected None: no example"
