"""Each generated client calls the mock server and returns the typed result or typed error.

The mock runs in-process: the client's httpx client gets `httpx.ASGITransport(app=mock)`.
Requests, parameters and expected types all come from the spec: its examples, its declared
responses (the client names a model after the schema it parses), its security scheme.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import re
import typing
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import httpx

from imagegen_spec.core.operation import operation
from imagegen_spec.core.pointers import resolve_pointer
from imagegen_spec.core.validation import validator
from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from tests.spec.test_request_bodies import REJECT, TABLE

KEY = "generated-client-key"


def base_url(variant: str) -> str:
    """The mock's in-process URL of a variant: the path of the spec's 127.0.0.1 server."""
    for server in operation(variant).spec["servers"]:
        url = urlsplit(server["url"])
        if url.hostname == "127.0.0.1":
            return "http://testserver" + str(url.path).rstrip("/")
    raise AssertionError(f"{variant}: expected a server entry on 127.0.0.1")


def endpoint_module(client_package: ModuleType) -> ModuleType:
    """The client module of the spec's one operation (`api/<tag>/<operation id>.py`)."""
    api = importlib.import_module(client_package.__name__ + ".api")
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(api.__path__, api.__name__ + ".")
        if not info.ispkg
    ]
    endpoints = [module for module in modules if hasattr(module, "asyncio_detailed")]
    assert len(endpoints) == 1, f"expected one endpoint module, found {endpoints}"
    return endpoints[0]


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def parameter_arguments(variant: str, function: Any) -> dict[str, Any]:
    """Each parameter's spec example, under the client function's name for the parameter."""
    op = operation(variant)
    names = {_normal(name): name for name in inspect.signature(function).parameters}
    arguments = {}
    for parameter in op.parameters:
        declared = resolve_pointer(op.spec, parameter.schema_pointer.removesuffix("/schema"))
        assert "example" in declared or not parameter.required, f"{parameter.name}: no example"
        if "example" in declared:
            arguments[names[_normal(parameter.name)]] = declared["example"]
    return arguments


def response_class(client_package: ModuleType, variant: str, status: str) -> type[Any]:
    """The client model of the schema a declared response's body has."""
    op = operation(variant)
    schema_pointer = op.response_schema_pointer(status)
    assert schema_pointer is not None, f"{variant}: {status} is not declared"
    name = str(resolve_pointer(op.spec, schema_pointer)["$ref"]).rsplit("/", 1)[-1]
    found = getattr(importlib.import_module(client_package.__name__ + ".models"), name)
    assert isinstance(found, type), f"expected a model class {name}"
    return found


def call(
    variant: str, client_package: ModuleType, body: dict[str, Any], token: str
) -> tuple[Any, list[httpx.Request]]:
    """Send a body through the generated client to the mock (which accepts only KEY)."""
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    transport = httpx.ASGITransport(app=create_app(MockConfig(api_key=KEY)))
    client = client_package.AuthenticatedClient(
        base_url=base_url(variant),
        token=token,
        httpx_args={"transport": transport, "event_hooks": {"request": [record]}},
    )
    endpoint = endpoint_module(client_package)
    request_model = typing.get_type_hints(endpoint.asyncio_detailed)["body"]
    arguments = parameter_arguments(variant, endpoint.asyncio_detailed)

    async def send() -> Any:
        async with client:
            return await endpoint.asyncio_detailed(
                client=client, body=request_model.from_dict(body), **arguments
            )

    return asyncio.run(send()), sent


def first_request_example(variant: str) -> dict[str, Any]:
    op = operation(variant)
    return dict(next(e.value for e in op.examples() if "/requestBody/" in e.where))


def assert_typed(response: Any, client_package: ModuleType, variant: str, status: int) -> None:
    assert response.status_code == status, response.content
    expected = response_class(client_package, variant, str(status))
    assert isinstance(response.parsed, expected), (
        f"expected a {expected.__name__}, got {type(response.parsed)}"
    )
    op = operation(variant)
    schema_pointer = op.response_schema_pointer(str(status))
    assert schema_pointer is not None
    errors = validator(variant).errors(schema_pointer, response.parsed.to_dict())
    assert errors == [], f"expected the typed result to round-trip: {errors}"


def test_client_returns_the_typed_result_and_authenticates_as_the_spec_says(
    variant: str, client_package: ModuleType
) -> None:
    response, sent = call(variant, client_package, first_request_example(variant), KEY)
    assert_typed(response, client_package, variant, 200)
    assert response.parsed.data, "expected at least one image"

    (scheme,) = operation(variant).security_schemes.values()
    if scheme["type"] == "apiKey":
        assert sent[0].headers[scheme["name"]] == KEY, "expected the key in its header"
        assert "authorization" not in sent[0].headers
    else:
        assert sent[0].headers["authorization"] == f"Bearer {KEY}"


def test_client_returns_the_typed_error_for_a_wrong_key(
    variant: str, client_package: ModuleType
) -> None:
    response, _ = call(variant, client_package, first_request_example(variant), "wrong-key")
    assert_typed(response, client_package, variant, 401)


def test_client_returns_the_typed_error_for_a_body_the_spec_rejects(
    variant: str, client_package: ModuleType
) -> None:
    endpoint = endpoint_module(client_package)
    request_model = typing.get_type_hints(endpoint.asyncio_detailed)["body"]
    # The first rejected body of the spec tests that the client sends unchanged (it validates
    # nothing itself, as the official SDKs do not).
    body = next(
        body
        for row_variant, _, body, accepted in TABLE
        if row_variant == variant
        and accepted == REJECT
        and isinstance(body, dict)
        and request_model.from_dict(body).to_dict() == body
    )
    response, _ = call(variant, client_package, body, KEY)
    declared = [int(status) for status in operation(variant).statuses]
    assert 400 <= response.status_code < 500 and response.status_code in declared
    assert_typed(response, client_package, variant, response.status_code)
