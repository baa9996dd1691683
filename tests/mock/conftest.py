"""Fixtures for the mock server tests: the app in-process, and on a real 127.0.0.1 port."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from imagegen_spec.conformance.server import serve as serve_locally
from imagegen_spec.core.operation import operation
from imagegen_spec.core.validation import validator
from imagegen_spec.core.variant import variant_model
from imagegen_spec.mock.app import MockApp, create_app
from imagegen_spec.mock.config import MockConfig

KEY = "test-key"

# A minimal valid request per variant: the path (with its path and query parameters) and body.
ENDPOINTS = {
    "azure": "/azure/v1/deployments/dalle-deployment/images/generations"
    "?api-version=2025-01-01-preview",
    "gpt-image": "/gpt-image/v1/images/generations",
    "dalle": "/dalle/v1/images/generations",
    "openai": "/openai/v1/images/generations",
}


def assert_in_error_shape(variant: str, body: Any) -> None:
    """Assert that a body has the shape of the variant's errors (its declared 401's schema)."""
    pointer = operation(variant).response_schema_pointer("401")
    assert pointer is not None, f"{variant} must declare 401"
    errors = validator(variant).errors(pointer, body)
    assert errors == [], (
        f"expected {variant}'s error shape, got {body}: {[e.message for e in errors]}"
    )


FRAME = re.compile(r"event: ([^\n]+)\ndata: ([^\n]+)\n\n")
"""One server-sent event as the mock frames it: an `event:` line, one `data:` line, a blank line."""

Event = tuple[str, dict[str, Any]]
"""A server-sent event's name and its JSON object."""


def parse_events(text: str) -> list[Event]:
    """The events of a stream body, asserting that the body is nothing but well-framed events."""
    found = FRAME.findall(text)
    framed = "".join(f"event: {name}\ndata: {data}\n\n" for name, data in found)
    assert framed == text, f"expected only `event:`/`data:` frames, got {text[:300]!r}"
    return [(name, json.loads(data)) for name, data in found]


def assert_valid_stream_event(variant: str, name: str, body: dict[str, Any]) -> None:
    """Assert that an event matches the variant's spec: its frame, its JSON object, its `type`."""
    events = variant_model(variant).events
    assert events is not None, f"{variant} declares no event stream"
    spec_validator = validator(variant)
    errors = spec_validator.errors(events.pointer, body)
    assert errors == [], f"expected a valid {name} event: {[e.message for e in errors]}"
    if events.frame_pointer is not None:
        frame = {"event": name, "data": json.dumps(body)}
        errors = spec_validator.errors(events.frame_pointer, frame)
        assert errors == [], f"expected a valid server-sent event: {[e.message for e in errors]}"
    assert body["type"] == name, f"expected `event: {body['type']}`, got {name}"


def auth_headers(variant: str, key: str = KEY) -> dict[str, str]:
    """The credential header of a variant."""
    return {"api-key": key} if variant == "azure" else {"Authorization": f"Bearer {key}"}


@dataclass
class Mock:
    """A mock app and a client that calls it in-process."""

    app: MockApp
    client: TestClient

    def generate(
        self, variant: str, body: Any, headers: dict[str, str] | None = None
    ) -> httpx2.Response:
        """POST a body to a variant's operation, authenticated unless headers say otherwise."""
        return self.client.post(
            ENDPOINTS[variant], json=body, headers={**auth_headers(variant), **(headers or {})}
        )


@dataclass
class LiveServer:
    """The mock served by uvicorn on 127.0.0.1 in a background thread."""

    app: MockApp
    base_url: str


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(app: MockApp) -> Iterator[LiveServer]:
    """Serve an app on 127.0.0.1 (a socket bound before start: no port race) until closed."""
    with serve_locally(app) as origin:
        yield LiveServer(app, origin)


@pytest.fixture
def mock() -> Iterator[Mock]:
    """The default mock (any non-empty key), in-process."""
    yield from in_process(MockConfig())


@pytest.fixture
def strict_mock() -> Iterator[Mock]:
    """A mock that accepts only KEY."""
    yield from in_process(MockConfig(api_key=KEY))


def in_process(config: MockConfig) -> Generator[Mock]:
    """A mock with the given settings and an in-process client; a fixture body for tests."""
    app = create_app(config)
    with TestClient(app) as client:
        yield Mock(app, client)


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    """The mock on a real port, with a short Retry-After so SDK retries stay fast."""
    yield from serve(create_app(MockConfig(api_key=KEY, retry_after=0)))
