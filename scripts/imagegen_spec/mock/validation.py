"""Request validation against the spec, yielding problems that name the offending value."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from jsonschema.exceptions import ValidationError

from imagegen_spec.mock.runtime import VariantRuntime


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request.

    `location` is where the value came from (body, query, header, path); `path` the keys down
    to it (empty for the whole body); `keyword` the JSON Schema keyword that failed, or
    `json_invalid` / `missing` for problems found before schema validation.
    """

    location: str
    path: tuple[str | int, ...]
    keyword: str
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


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
"""Made once: `json.loads(..., parse_constant=...)` builds a new decoder on every call."""


def parse_json(raw: bytes) -> Any:
    """Parse a request body strictly as JSON (RFC 8259), raising InvalidJSON with the reason.

    Decodes as `json.loads` does bytes (UTF-8, -16 or -32, a UTF-8 BOM refused).
    """
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


def parameter_problems(
    runtime: VariantRuntime,
    path_values: Mapping[str, str],
    query: Mapping[str, str],
    headers: Mapping[str, str],
) -> list[Problem]:
    """Check the path, query and header parameters the operation declares."""
    sources = {"path": path_values, "query": query, "header": headers}
    problems = []
    for parameter in runtime.parameters:
        source = sources[parameter.location]
        key = parameter.name.lower() if parameter.location == "header" else parameter.name
        if key not in source:
            if parameter.required:
                problems.append(
                    Problem(
                        parameter.location,
                        (parameter.name,),
                        "missing",
                        f"missing required {parameter.location} parameter '{parameter.name}'",
                    )
                )
            continue
        for error in runtime.validator.errors(parameter.schema_pointer, source[key]):
            problems.append(_problem(parameter.location, (parameter.name,), error))
    return problems


def body_problems(runtime: VariantRuntime, body: Any) -> list[Problem]:
    """Check a parsed JSON body against the request schema (fast path when it is valid)."""
    if runtime.body_is_valid(body):
        return []
    schema_pointer = runtime.request_schema_pointer
    problems: dict[tuple[str | int, ...], Problem] = {}
    for error in runtime.validator.errors(schema_pointer, body):
        problem = _problem("body", tuple(error.absolute_path), error)
        problem = replace(problem, rule=_rule_description(runtime, error))
        problems.setdefault(problem.path, problem)
    return list(problems.values())


def _rule_description(runtime: VariantRuntime, error: ValidationError) -> str | None:
    """The description of the request schema's `allOf` rule an error comes from, if any."""
    schema_path = [part for part in error.absolute_schema_path if part != "$ref"]
    if len(schema_path) >= 2 and schema_path[0] == "allOf":
        rules = runtime.request_schema.get("allOf", [])
        index = schema_path[1]
        if isinstance(index, int) and index < len(rules):
            description = rules[index].get("description")
            return " ".join(str(description).split()) if description else None
    return None


def _problem(location: str, prefix: tuple[str | int, ...], error: ValidationError) -> Problem:
    path = prefix if location != "body" else tuple(error.absolute_path)
    keyword = str(error.validator)
    if keyword == "required" and isinstance(error.validator_value, list):
        missing = _missing_property(error)
        if missing is not None:
            path = (*path, missing)
            return Problem(location, path, keyword, f"Missing required parameter '{missing}'.")
    if keyword == "additionalProperties":
        extra = _extra_properties(error)
        if extra:
            path = (*path, extra[0])
            names = ", ".join(f"'{name}'" for name in extra)
            return Problem(location, path, keyword, f"Unrecognized request argument: {names}.")
    where = ".".join(str(part) for part in path) or location
    message = f"Invalid '{where}': {_explain(keyword, error.instance, error.validator_value)}"
    return Problem(location, path, keyword, message, error.validator_value)


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
    if keyword == "minimum":
        return f"{shown} is below the minimum of {limit}."
    if keyword == "maximum":
        return f"{shown} is above the maximum of {limit}."
    if keyword == "minLength":
        return f"a string of {len(instance)} characters is shorter than the minimum of {limit}."
    if keyword == "maxLength":
        return f"a string of {len(instance)} characters is longer than the maximum of {limit}."
    return f"{shown} does not satisfy {keyword} {_show(limit)}."


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
