"""Request semantics: parsing a body, finding what is wrong, and the request the spec implies.

Problems are values (`Problem`, with a closed `ProblemKind`) that name the offending value; a
server renders them in its provider's shape. `effective_request` and `image_request` say what a
valid request asks for, with the spec's defaults applied: the mock answers with it and the
conformance checks compare a server's answer with it, both reading the spec through this module.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Literal

import orjson
from jsonschema.exceptions import ValidationError

from imagegen_spec.core.events import PARTIAL_IMAGES_FIELD, STREAM_FIELD
from imagegen_spec.core.variant import Variant

ProblemLocation = Literal["body", "path", "query", "header"]
"""Where a problem's value came from."""


class ProblemKind(StrEnum):
    """What is wrong: a JSON Schema keyword that failed, or a problem found before validation.

    Values are the keywords' own spellings; any other failed keyword is `SCHEMA`.
    """

    MISSING = "missing"
    """A required parameter is absent."""
    JSON_INVALID = "json_invalid"
    """The body is not one JSON document."""
    CONTENT_TYPE = "content_type"
    """The body is not declared as JSON (`Content-Type`)."""
    PREFER_DELAY = "prefer_delay"
    """A `Prefer: delay=MS` (a mock's test control) is not a delay it honours."""
    PREFER_CODE = "prefer_code"
    """A `Prefer: code=NNN` (a mock's test control) is not a status the operation declares."""
    PREFER_STREAM_CUT = "prefer_stream_cut"
    """A `Prefer: stream-cut=N` (a mock's test control) is not a number of events."""
    REQUIRED = "required"
    TYPE = "type"
    ENUM = "enum"
    CONST = "const"
    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    MIN_LENGTH = "minLength"
    MAX_LENGTH = "maxLength"
    ADDITIONAL_PROPERTIES = "additionalProperties"
    SIZE = "x-imagegen-size"
    """A `WIDTHxHEIGHT` size the schema accepts breaks the spec's `x-imagegen-size` arithmetic."""
    SCHEMA = "schema"
    """Another JSON Schema keyword (`pattern`, `not`, ...); the message names it."""

    @classmethod
    def of_keyword(cls, keyword: str) -> ProblemKind:
        """The kind of a failed JSON Schema keyword."""
        return _KINDS_BY_KEYWORD.get(keyword, cls.SCHEMA)


_KINDS_BY_KEYWORD = {kind.value: kind for kind in ProblemKind}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request.

    `location` is where the value came from; `path` the keys down to it (empty for the whole
    body); `kind` what failed; `limit` the failed keyword's value (an enum's values, a maximum).
    """

    location: ProblemLocation
    path: tuple[str | int, ...]
    kind: ProblemKind
    message: str
    limit: Any = None
    rule: str | None = None

    @property
    def param(self) -> str | None:
        """The name of the offending parameter (the top-level body field, or the parameter)."""
        return str(self.path[0]) if self.path else None


class InvalidJSON(ValueError):
    """The body is not one JSON document (or uses NaN/Infinity, which JSON does not have)."""


def _reject_constant(name: str) -> Any:
    raise InvalidJSON(f"{name} is not valid JSON")


_SIZE = re.compile(r"[0-9]+x[0-9]+")
"""A `WIDTHxHEIGHT` size (the values `x-imagegen-size` speaks about)."""

_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
"""Made once: `json.loads(..., parse_constant=...)` builds a new decoder on every call."""


def parse_json(raw: bytes) -> Any:
    """Parse a request body strictly as JSON (RFC 8259), raising InvalidJSON with the reason.

    Decodes as `json.loads` does bytes (UTF-8, -16 or -32, a UTF-8 BOM refused). orjson parses
    first (about 5x faster); whatever it refuses, and any body with a run of 19 or more digits
    (orjson reads integers beyond 64 bits as floats), goes to the standard library, which
    decides: so the result and every error are the standard library's.
    """
    if _LONG_DIGITS.search(raw) is None:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    # A body opening with "{" then a non-NUL byte is UTF-8 without a BOM (RFC 8259 section 8.1,
    # json.detect_encoding's rule); only other bodies need the detection.
    utf8_object = raw[:1] == b"{" and raw[1:2] != b"\x00"
    try:
        text = raw.decode("utf-8" if utf8_object else json.detect_encoding(raw), "surrogatepass")
        if text.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidJSON(str(error)) from None


_LONG_DIGITS = re.compile(rb"[0-9]{19}")
"""A run of digits that may be an integer orjson cannot hold (19 digits can pass 2**63)."""


def parameter_problems(
    variant: Variant,
    path_values: Mapping[str, str],
    query: Mapping[str, str],
    headers: Mapping[str, str],
) -> list[Problem]:
    """Check the path, query and header parameters the operation declares."""
    sources = {"path": path_values, "query": query, "header": headers}
    problems = []
    for parameter in variant.request.parameters:
        source = sources[parameter.location]
        key = parameter.name.lower() if parameter.location == "header" else parameter.name
        if key not in source:
            if parameter.required:
                problems.append(
                    Problem(
                        parameter.location,
                        (parameter.name,),
                        ProblemKind.MISSING,
                        f"missing required {parameter.location} parameter '{parameter.name}'",
                    )
                )
            continue
        for error in variant.validator.errors(parameter.schema_pointer, source[key]):
            problems.append(_problem(parameter.location, (parameter.name,), error))
    return problems


def body_problems(variant: Variant, body: Any) -> list[Problem]:
    """Check a parsed JSON body against the request schema (fast path when it is valid).

    A body the schema accepts is then held to the spec's `x-imagegen-size` (`size_problems`).
    """
    request = variant.request
    if request.body_is_valid(body):
        return size_problems(variant, body)
    problems: dict[tuple[str | int, ...], Problem] = {}
    for error in variant.validator.errors(request.schema_pointer, body):
        problem = _problem("body", tuple(error.absolute_path), error)
        problem = replace(problem, rule=_rule_description(variant, error))
        problems.setdefault(problem.path, problem)
    if ("size",) not in problems:
        problems.update((problem.path, problem) for problem in size_problems(variant, body))
    return list(problems.values())


def size_problems(variant: Variant, body: Any) -> list[Problem]:
    """Check a body's `WIDTHxHEIGHT` size against the spec's `x-imagegen-size`, if it has one.

    Only a size of the form `WIDTHxHEIGHT` (digits) is checked; its schema decides the rest.
    """
    rule = variant.request.size_rule
    size = body.get("size") if isinstance(body, dict) else None
    if rule is None or not isinstance(size, str) or _SIZE.fullmatch(size) is None:
        return []
    width, height = _dimensions(size)
    broken = rule.violations(width, height)
    if not broken:
        return []
    message = f"Invalid 'size': {_show(size)}: {'; '.join(broken)}."
    return [Problem("body", ("size",), ProblemKind.SIZE, message, rule)]


def _rule_description(variant: Variant, error: ValidationError) -> str | None:
    """The description of the request schema's `allOf` rule an error comes from, if any."""
    schema_path = [part for part in error.absolute_schema_path if part != "$ref"]
    if len(schema_path) >= 2 and schema_path[0] == "allOf":
        rules = variant.request.schema.get("allOf", [])
        index = schema_path[1]
        if isinstance(index, int) and index < len(rules):
            description = rules[index].get("description")
            return " ".join(str(description).split()) if description else None
    return None


def _problem(
    location: ProblemLocation, prefix: tuple[str | int, ...], error: ValidationError
) -> Problem:
    path = prefix if location != "body" else tuple(error.absolute_path)
    keyword = str(error.validator)
    if keyword == "required" and isinstance(error.validator_value, list):
        missing = _missing_property(error)
        if missing is not None:
            path = (*path, missing)
            message = f"Missing required parameter '{missing}'."
            return Problem(location, path, ProblemKind.REQUIRED, message)
    if keyword == "additionalProperties":
        extra = _extra_properties(error)
        if extra:
            path = (*path, extra[0])
            names = ", ".join(f"'{name}'" for name in extra)
            message = f"Unrecognized request argument: {names}."
            return Problem(location, path, ProblemKind.ADDITIONAL_PROPERTIES, message)
    where = ".".join(str(part) for part in path) or location
    message = f"Invalid '{where}': {_explain(keyword, error.instance, error.validator_value)}"
    return Problem(location, path, ProblemKind.of_keyword(keyword), message, error.validator_value)


def _explain(keyword: str, instance: Any, limit: Any) -> str:
    """Say what is wrong with a value, without echoing a long one."""
    shown = _show(instance)
    if keyword == "type":
        kinds = limit if isinstance(limit, list) else [limit]
        return f"{shown} is not of type {' or '.join(map(str, kinds))}."
    if keyword == "enum":
        return f"{shown} is not one of {', '.join(map(_show, limit))}."
    if keyword == "const":
        return f"{shown} is not {_show(limit)}."
    if keyword in _BOUNDS:
        return f"{shown} is {_BOUNDS[keyword]} of {limit}."
    if keyword in _LENGTH_BOUNDS:
        return f"a string of {len(instance)} characters is {_LENGTH_BOUNDS[keyword]} of {limit}."
    return f"{shown} does not satisfy {keyword} {_show(limit)}."


_BOUNDS = {"minimum": "below the minimum", "maximum": "above the maximum"}
_LENGTH_BOUNDS = {"minLength": "shorter than the minimum", "maxLength": "longer than the maximum"}
"""How `_explain` words a value (a string's length) outside a bound, by the bound's keyword."""


def _show(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _missing_property(error: ValidationError) -> str | None:
    instance = error.instance
    required = error.validator_value
    if not isinstance(instance, dict) or not isinstance(required, list):
        return None
    for name in required:
        if name not in instance:
            return str(name)
    return None


def _extra_properties(error: ValidationError) -> list[str]:
    instance = error.instance
    schema = error.schema
    if not isinstance(instance, dict) or not isinstance(schema, dict):
        return []
    declared = schema.get("properties", {})
    return sorted(name for name in instance if name not in declared)


@dataclass(frozen=True)
class ImageRequest:
    """What one request asks for, with the spec's defaults applied."""

    prompt: str
    n: int
    width: int
    height: int
    image_format: str
    transparent: bool
    compression: int | None
    response_format: str
    stream: bool = False
    """Whether the answer is the spec's event stream (`stream: true` where one is declared)."""
    partial_images: int = 0
    """How many partial images a stream sends before each final image."""


def effective_request(variant: Variant, body: dict[str, Any]) -> dict[str, Any]:
    """The request body with the spec's default for every field left out or null."""
    effective = dict(body)
    for name, default in variant.request.defaults.items():
        if effective.get(name) is None:
            effective[name] = default
    return effective


def wants_stream(variant: Variant, body: dict[str, Any]) -> bool:
    """Whether a request body (defaults applied or not) asks for the spec's event stream.

    Cheap enough for every request: it reads one field and its default, so the mock can tell a
    streamed request without building the whole effective request.
    """
    if variant.events is None:
        return False
    asked = body.get(STREAM_FIELD)
    return (variant.request.defaults.get(STREAM_FIELD) if asked is None else asked) is True


def image_request(variant: Variant, effective: dict[str, Any]) -> ImageRequest:
    """Read size, count, format and transparency from an effective request body."""
    size = str(effective.get("size") or "")
    if "x" not in size:
        size = variant.request.auto_size
    width, height = _dimensions(size)
    compression = effective.get("output_compression")
    return ImageRequest(
        prompt=str(effective["prompt"]),
        n=int(effective.get("n") or 1),
        width=width,
        height=height,
        image_format=str(effective.get("output_format") or variant.responses.default_image_format),
        transparent=effective.get("background") == "transparent",
        compression=int(compression) if compression is not None else None,
        response_format=str(
            effective.get("response_format") or variant.responses.default_response_format
        ),
        stream=wants_stream(variant, effective),
        partial_images=int(effective.get(PARTIAL_IMAGES_FIELD) or 0),
    )


def resolved_request(variant: Variant, effective: dict[str, Any]) -> dict[str, Any]:
    """An effective request with each `auto` replaced by what it stands for (`x-imagegen-auto`).

    What a server that echoes its settings (openai's `size`, `quality`, `background`) reports.
    """
    autos = variant.request.autos
    return {
        name: autos[name] if value == "auto" and name in autos else value
        for name, value in effective.items()
    }


@functools.lru_cache(maxsize=64)
def _dimensions(size: str) -> tuple[int, int]:
    """Width and height of a `WIDTHxHEIGHT` size."""
    width, height = size.split("x")
    return int(width), int(height)
