"""Error bodies in each provider's own shape.

Every error starts from the example the spec declares for that status, so its shape and fixed
fields (`type`, codes) are the provider's; the mock fills in what this request got wrong.
Validation errors take one of two dialects, chosen by the spec's validation response schema:
FastAPI's `{"detail": [{loc, msg, type}]}` or an `{"error": {message, param, code, ...}}` object.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from imagegen_spec.core.request import Problem
from imagegen_spec.core.variant import Variant

# OpenAI's error codes for the JSON Schema keyword that failed.
_OPENAI_CODES = {
    "missing": "missing_required_parameter",
    "required": "missing_required_parameter",
    "type": "invalid_type",
    "enum": "invalid_value",
    "const": "invalid_value",
    "minimum": "integer_below_min_value",
    "maximum": "integer_above_max_value",
    "minLength": "string_below_min_length",
    "maxLength": "string_above_max_length",
    "additionalProperties": "unknown_parameter",
    "json_invalid": "invalid_json",
}

# Pydantic's error types (which FastAPI reports) for the JSON Schema keyword that failed.
_PYDANTIC_TYPES = {
    "missing": "missing",
    "required": "missing",
    "enum": "literal_error",
    "const": "literal_error",
    "minimum": "greater_than_equal",
    "maximum": "less_than_equal",
    "minLength": "string_too_short",
    "maxLength": "string_too_long",
    "additionalProperties": "extra_forbidden",
    "json_invalid": "json_invalid",
}
_PYDANTIC_TYPE_OF_JSON_TYPE = {
    "integer": "int_type",
    "number": "float_type",
    "string": "string_type",
    "boolean": "bool_type",
    "object": "dict_type",
    "array": "list_type",
}


@dataclass(frozen=True)
class Reply:
    """What the mock answers: a status, a JSON body and extra headers (errors and successes)."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str]


def declared_error(
    runtime: Variant, status: int, *, cause: str | None = None, message: str | None = None
) -> Reply:
    """The spec's example error for a status, with its declared headers, optionally re-worded."""
    template = runtime.responses.error_template(status, cause)
    body = copy.deepcopy(template.body)
    if message is not None and isinstance(body.get("error"), dict):
        body["error"]["message"] = message
    headers = {name: str(value) for name, value in template.headers.items() if value is not None}
    return Reply(status, body, headers)


def validation_error(runtime: Variant, problems: list[Problem]) -> Reply:
    """The provider's validation error naming every problem (FastAPI) or the first one."""
    status = runtime.responses.validation_status
    if runtime.responses.fastapi_validation:
        return Reply(status, {"detail": [_fastapi_entry(p) for p in problems]}, {})
    response = declared_error(runtime, status)
    error = response.body["error"]
    first = problems[0]
    error["message"] = _sentence(first)
    declared = runtime.responses.error_object_schema(status).get("properties", {})
    if "param" in error or "param" in declared:
        if first.param is None and not _accepts_null(declared.get("param", {})):
            error.pop("param", None)  # Azure types `param` as a plain string: left out, not null
        else:
            error["param"] = first.param
    error["code"] = _OPENAI_CODES.get(first.kind, "invalid_value")
    return response


def _accepts_null(schema: dict[str, Any]) -> bool:
    """Tell whether a field's schema (as the spec declares it) allows `null`."""
    return bool(Draft202012Validator(schema).is_valid(None))


def _sentence(problem: Problem) -> str:
    return f"{problem.message} ({problem.rule})" if problem.rule else problem.message


def _fastapi_entry(problem: Problem) -> dict[str, Any]:
    return {
        "loc": [problem.location, *problem.path],
        "msg": _pydantic_message(problem),
        "type": _pydantic_type(problem),
    }


def _pydantic_type(problem: Problem) -> str:
    if problem.kind == "type":
        types = problem.limit if isinstance(problem.limit, list) else [problem.limit]
        first = next((kind for kind in types if kind != "null"), "string")
        return _PYDANTIC_TYPE_OF_JSON_TYPE.get(str(first), "value_error")
    return _PYDANTIC_TYPES.get(problem.kind, "value_error")


def _pydantic_message(problem: Problem) -> str:
    limit = problem.limit
    kind = _pydantic_type(problem)
    if kind == "missing":
        text = "Field required"
    elif kind == "extra_forbidden":
        text = "Extra inputs are not permitted"
    elif kind == "json_invalid":
        text = f"JSON decode error: {problem.message}"
    elif kind == "literal_error":
        options = limit if isinstance(limit, list) else [limit]
        text = "Input should be " + _or([_literal(option) for option in options])
    elif kind == "greater_than_equal":
        text = f"Input should be greater than or equal to {limit}"
    elif kind == "less_than_equal":
        text = f"Input should be less than or equal to {limit}"
    elif kind == "string_too_short":
        text = f"String should have at least {limit} character{'s' if limit != 1 else ''}"
    elif kind == "string_too_long":
        text = f"String should have at most {limit} characters"
    elif kind.endswith("_type"):
        noun = {"int_type": "a valid integer", "float_type": "a valid number"}.get(
            kind, f"a valid {kind.removesuffix('_type').replace('dict', 'dictionary')}"
        )
        text = f"Input should be {noun}"
    else:
        text = problem.message
    return f"{text} ({problem.rule})" if problem.rule else text


def _literal(value: Any) -> str:
    return "None" if value is None else repr(value)


def _or(options: list[str]) -> str:
    if len(options) <= 1:
        return "".join(options)
    return ", ".join(options[:-1]) + " or " + options[-1]
