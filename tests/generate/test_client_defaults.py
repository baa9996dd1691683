"""The generated clients send only what the caller set, and keep safe defaults.

Each test drives the real generated client (generated/<variant>/client) through httpx, against
the mock in-process (`httpx.ASGITransport`) or a planted `httpx.MockTransport` where a test needs
an answer the mock does not give (a 503 with `retry-after-ms`).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import time
import typing
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest
from httpx_retries import Retry

from imagegen_spec.core.operation import operation
from imagegen_spec.core.pointers import flatten, resolve_pointer
from imagegen_spec.generate.generator_spec import default_note, listed_default
from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from tests.generate.test_clients import KEY, base_url, endpoint_module, parameter_arguments
from tests.loopback import served

PROMPT = "a lighthouse at dusk, in watercolour"


class Recorder(httpx.AsyncBaseTransport):
    """Forward to a transport and keep every request that reached it (after retries: each one).

    `before(index, request)` may change a request, or answer it itself by returning a response.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        before: Callable[[int, httpx.Request], httpx.Response | None] | None = None,
    ) -> None:
        self.inner = inner
        self.before = before
        self.requests: list[httpx.Request] = []
        self.responses: list[httpx.Response] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        planted = self.before(len(self.requests), request) if self.before is not None else None
        self.requests.append(request)
        response = planted or await self.inner.handle_async_request(request)
        self.responses.append(response)
        return response


def mock_transport(**config: Any) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_app(MockConfig(api_key=KEY, **config)))


def request_class(client_package: ModuleType) -> type[Any]:
    found = typing.get_type_hints(endpoint_module(client_package).asyncio_detailed)["body"]
    assert isinstance(found, type)
    return found


def send(
    variant: str,
    client_package: ModuleType,
    transport: httpx.AsyncBaseTransport,
    body: Any = None,
    **client_args: Any,
) -> Any:
    """Call the endpoint once through the generated client (its own retry layer included)."""
    client = client_package.AuthenticatedClient(
        base_url=base_url(variant), token=KEY, httpx_args={"transport": transport}, **client_args
    )
    endpoint = endpoint_module(client_package)
    arguments = parameter_arguments(variant, endpoint.asyncio_detailed)
    if body is None:
        body = request_class(client_package)(prompt=PROMPT)

    async def go() -> Any:
        async with client:
            return await endpoint.asyncio_detailed(client=client, body=body, **arguments)

    return asyncio.run(go())


def test_a_prompt_only_request_sends_exactly_the_prompt(
    variant: str, client_package: ModuleType
) -> None:
    recorder = Recorder(mock_transport())
    response = send(variant, client_package, recorder)
    assert response.status_code == 200, response.content
    (request,) = recorder.requests
    assert json.loads(request.content) == {"prompt": PROMPT}, (
        f"expected only the prompt on the wire, got {request.content!r}"
    )


def test_the_models_serialise_only_the_fields_set(variant: str, models: ModuleType) -> None:
    model = getattr(models, request_class_name(variant))
    request = model(prompt=PROMPT)
    assert request.model_dump(mode="json") == {"prompt": PROMPT}
    assert json.loads(request.model_dump_json()) == {"prompt": PROMPT}
    assert request.model_dump(mode="json", exclude_unset=True) == {"prompt": PROMPT}


def request_class_name(variant: str) -> str:
    op = operation(variant)
    return str(resolve_pointer(op.spec, op.request_schema_pointer)["$ref"]).rsplit("/", 1)[-1]


def spec_defaults(variant: str) -> dict[str, Any]:
    """Every request field's default, read from the spec (beside a `$ref` or in the schema)."""
    op = operation(variant)
    schema = flatten(op.spec, resolve_pointer(op.spec, op.request_schema_pointer))
    fields = {name: flatten(op.spec, value) for name, value in schema["properties"].items()}
    return {name: field["default"] for name, field in fields.items() if "default" in field}


def squashed(text: str | None) -> str:
    return " ".join((text or "").split())


def test_every_spec_default_is_in_the_docs_and_not_a_value(
    variant: str, client_package: ModuleType, models: ModuleType
) -> None:
    defaults = spec_defaults(variant)
    assert defaults, f"{variant}: expected the spec to give request defaults"
    client_model = request_class(client_package)
    unset = importlib.import_module(client_package.__name__ + ".types").UNSET
    docstring = squashed(client_model.__doc__)
    pydantic_model = getattr(models, request_class_name(variant))
    for name, value in defaults.items():
        note = squashed(default_note(value))
        # openapi-python-client drops a description beside a $ref: the class docs list those.
        assert note in docstring or listed_default(name, value) in docstring, (
            f"{variant}: expected the default of {name} in the client docs: {docstring}"
        )
        description = pydantic_model.model_fields[name].description
        assert note in squashed(description), f"{variant}: expected {note!r} in {name}'s field"
        parameter = inspect.signature(client_model).parameters[name]
        assert parameter.default is unset, f"{variant}: {name} must default to UNSET"


def test_a_positional_call_is_a_type_error(
    variant: str, client_package: ModuleType, models: ModuleType
) -> None:
    module = importlib.import_module(client_package.__name__ + ".models")
    classes = [getattr(module, name) for name in module.__all__]
    attrs_models = [cls for cls in classes if hasattr(cls, "__attrs_attrs__")]
    assert attrs_models, "expected attrs models in the client"
    for cls in attrs_models:
        fields = [f for f in cls.__attrs_attrs__ if f.init]
        with pytest.raises(TypeError):
            cls(*[None] * len(fields))
        kinds = {p.kind for p in inspect.signature(cls).parameters.values()}
        assert kinds <= {inspect.Parameter.KEYWORD_ONLY}, f"{cls.__name__}: {kinds}"
    with pytest.raises(TypeError):
        getattr(models, request_class_name(variant))(PROMPT)
    with pytest.raises(TypeError):
        client_package.AuthenticatedClient("http://127.0.0.1", KEY)


def test_a_429_with_retry_after_is_retried_then_succeeds(
    variant: str, client_package: ModuleType
) -> None:
    def fault_once(index: int, request: httpx.Request) -> None:
        # The mock's own 429 (its spec's error body), asked for once: a retry resends the same
        # request object, so the header is taken off again.
        if index == 0:
            request.headers["Prefer"] = "code=429"
        else:
            del request.headers["Prefer"]

    recorder = Recorder(mock_transport(retry_after=1), before=fault_once)
    started = time.monotonic()
    response = send(variant, client_package, recorder)
    waited = time.monotonic() - started
    statuses = [r.status_code for r in recorder.responses]
    assert statuses == [429, 200], f"expected a retry after the 429, got {statuses}"
    assert recorder.responses[0].headers["Retry-After"] == "1"
    assert response.status_code == 200, response.content
    assert 1.0 <= waited < 5, f"expected the retry to wait Retry-After (1 s), waited {waited:.2f}"


def test_retry_after_ms_is_honoured_before_retry_after(
    variant: str, client_package: ModuleType
) -> None:
    def unavailable_twice(index: int, request: httpx.Request) -> httpx.Response | None:
        if index < 2:  # a gateway's 503 asking for 200 ms (and, less precisely, 30 s)
            return httpx.Response(503, headers={"retry-after-ms": "200", "Retry-After": "30"})
        return None

    recorder = Recorder(mock_transport(), before=unavailable_twice)
    started = time.monotonic()
    response = send(variant, client_package, recorder)
    waited = time.monotonic() - started
    statuses = [r.status_code for r in recorder.responses]
    assert statuses == [503, 503, 200], f"expected two retries, got {statuses}"
    assert response.status_code == 200
    assert 0.4 <= waited < 3, f"expected two waits of 200 ms (retry-after-ms), took {waited:.2f}"


def test_retries_stop_after_two(variant: str, client_package: ModuleType) -> None:
    def always_busy(index: int, request: httpx.Request) -> httpx.Response | None:
        request.headers["Prefer"] = "code=429"
        return None

    recorder = Recorder(mock_transport(retry_after=0), before=always_busy)
    response = send(variant, client_package, recorder)
    assert [r.status_code for r in recorder.responses] == [429, 429, 429]
    assert response.status_code == 429, "expected the typed 429 error after the last retry"


def test_an_undeclared_status_raises(variant: str, client_package: ModuleType) -> None:
    errors = importlib.import_module(client_package.__name__ + ".errors")
    transport = httpx.MockTransport(lambda request: httpx.Response(404, text="no such route"))
    with pytest.raises(errors.UnexpectedStatus) as raised:
        send(variant, client_package, transport)
    assert raised.value.status_code == 404


def test_the_default_timeout_is_finite_and_a_timeout_applies(
    variant: str, client_package: ModuleType
) -> None:
    client = client_package.AuthenticatedClient(base_url=base_url(variant), token=KEY)
    timeout = client.get_httpx_client().timeout
    for phase in ("connect", "read", "write", "pool"):
        value = getattr(timeout, phase)
        assert value is not None and value > 0, f"expected a finite {phase} timeout: {timeout}"
    endpoint = endpoint_module(client_package)
    arguments = parameter_arguments(variant, endpoint.sync_detailed)
    # A real server on loopback (in-process transports have no timeouts) that waits 1.5 s.
    with served(create_app(MockConfig(api_key=KEY))) as origin:
        url = origin + base_url(variant).removeprefix("http://testserver")
        slow = client_package.AuthenticatedClient(
            base_url=url,
            token=KEY,
            headers={"Prefer": "delay=1500"},
            timeout=httpx.Timeout(0.3),
            retry=Retry(total=0),
        )
        started = time.monotonic()
        with slow, pytest.raises(httpx.TimeoutException):
            endpoint.sync_detailed(
                client=slow, body=request_class(client_package)(prompt=PROMPT), **arguments
            )
        assert time.monotonic() - started < 1.4, "expected the timeout, not the answer"


def test_with_headers_returns_an_independent_client(
    variant: str, client_package: ModuleType
) -> None:
    client = client_package.AuthenticatedClient(base_url=base_url(variant), token=KEY)
    original = client.get_httpx_client()
    tagged = client.with_headers({"X-Trace": "1"})
    assert "x-trace" not in original.headers, "the original's open httpx client must not change"
    assert "x-trace" not in client.get_httpx_client().headers
    assert tagged.get_httpx_client() is not original
    assert tagged.get_httpx_client().headers["x-trace"] == "1"
    auth = operation(variant).auth
    assert tagged.get_httpx_client().headers[auth.header], "expected the credential kept"
