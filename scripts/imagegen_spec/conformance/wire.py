"""What an outgoing request would mean to a server that implements the spec.

A request is read as the server reads it — method, path below the base URL, query, headers, the
body's bytes — and judged with the core's request semantics (the same JSON Schema validation of
the same spec the mock uses), so "could this request generate an image?" has one answer across
the project.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests

from imagegen_spec.core.request import InvalidJSON, parameter_problems, parse_json, size_problems
from imagegen_spec.core.variant import variant_model


@dataclass(frozen=True)
class WireRequest:
    """A request as it goes on the wire: the path is relative to the base URL."""

    method: str
    path: str | None
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes | None

    @classmethod
    def from_parts(
        cls,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | str | None,
        base_url: str,
    ) -> WireRequest:
        """Read a request's parts; `path` is None when the URL is not below base_url."""
        parts = urlsplit(url)
        base_path = urlsplit(base_url).path.rstrip("/")
        path = parts.path if parts.path.startswith(base_path + "/") else None
        return cls(
            method=method.upper(),
            path=path.removeprefix(base_path) if path is not None else None,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={str(name): str(value) for name, value in headers.items()},
            body=body.encode("utf-8") if isinstance(body, str) else body,
        )

    @classmethod
    def from_prepared(cls, prepared: requests.PreparedRequest, base_url: str) -> WireRequest:
        """Read a prepared `requests` request (what Schemathesis sends and records)."""
        body = prepared.body
        return cls.from_parts(
            str(prepared.method or "GET"),
            prepared.url or "",
            {str(name): str(value) for name, value in prepared.headers.items()},
            body if isinstance(body, (bytes, str)) else None,
            base_url,
        )

    @classmethod
    def from_transport_kwargs(cls, kwargs: Mapping[str, Any], base_url: str) -> WireRequest:
        """Read the keyword arguments Schemathesis hands to `requests` for one case."""
        names = ("method", "url", "headers", "params", "cookies", "json", "data", "files")
        request = requests.Request(**{name: kwargs[name] for name in names if name in kwargs})
        return cls.from_prepared(request.prepare(), base_url)


@dataclass(frozen=True)
class Reading:
    """What the spec says about one request."""

    on_operation: bool
    body: Any
    body_valid: bool
    parameters_valid: bool

    @property
    def could_generate_image(self) -> bool:
        """Whether a server implementing the spec would accept it, given a valid key."""
        return self.on_operation and self.body_valid and self.parameters_valid


def read(variant: str, request: WireRequest) -> Reading:
    """Judge a request against the variant's spec (authentication aside)."""
    model = variant_model(variant)
    body: Any = None
    body_valid = False
    if request.body:
        try:
            body = parse_json(request.body)
        except InvalidJSON:
            body = None
        else:
            # Valid by the request schema and by the rules it cannot state (x-imagegen-size).
            body_valid = model.request.body_is_valid(body) and not size_problems(model, body)
    route = model.route
    match = route.pattern.match(request.path) if request.path is not None else None
    on_operation = match is not None and request.method == route.method
    parameters_valid = False
    if match is not None:
        path_values = {name: unquote(value) for name, value in route.path_values(match).items()}
        headers = {name.lower(): value for name, value in request.headers.items()}
        parameters_valid = not parameter_problems(model, path_values, request.query, headers)
    return Reading(
        on_operation=on_operation,
        body=body,
        body_valid=body_valid,
        parameters_valid=parameters_valid,
    )


def is_valid_body(variant: str, body: Any) -> bool:
    """Tell whether a request body is valid against the variant's request schema."""
    return variant_model(variant).request.body_is_valid(body)


BodyError = tuple[tuple[str | int, ...], tuple[str | int, ...]]
"""Where a body is wrong (its path) and which rule says so (the schema path)."""


def body_errors(variant: str, body: Any) -> frozenset[BodyError]:
    """Where and why a request body breaks the variant's request schema (empty: it is valid)."""
    model = variant_model(variant)
    return frozenset(
        (tuple(error.absolute_path), tuple(error.absolute_schema_path))
        for error in model.validator.errors(model.request.schema_pointer, body)
    )
