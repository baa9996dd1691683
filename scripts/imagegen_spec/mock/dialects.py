"""Provider dialects: every provider-specific way the mock shapes an answer, in one module.

The pipeline says *what* went wrong (a `Problem`, a status, a message); a dialect says how the
provider puts it. `dialect_for` chooses a variant's dialect from its spec, in one place:

- `OpenAIDialect`: `{"error": {message, type, param, code}}` naming the first problem, with
  OpenAI's error codes; `x-request-id` on every answer.
- `FastAPIDialect`: validation errors as FastAPI's `{"detail": [{loc, msg, type}]}` naming every
  problem with Pydantic's error types; other errors as OpenAI's (the gpt-image seed).
- `AzureDialect`: OpenAI's error object; a refusal reports the tripped content filters
  (`inner_error.content_filter_results`, the custom blocklist); `apim-request-id` beside
  `x-request-id`.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from jsonschema import Draft202012Validator

from imagegen_spec.core.request import Problem, ProblemKind
from imagegen_spec.core.variant import CONTENT_POLICY, Variant
from imagegen_spec.mock.replies import Headers, Reply, declared_reply
from imagegen_spec.mock.responses import all_clear

# OpenAI's error codes for what failed.
_OPENAI_CODES = {
    ProblemKind.REQUIRED: "missing_required_parameter",
    ProblemKind.TYPE: "invalid_type",
    ProblemKind.ENUM: "invalid_value",
    ProblemKind.CONST: "invalid_value",
    ProblemKind.MINIMUM: "integer_below_min_value",
    ProblemKind.MAXIMUM: "integer_above_max_value",
    ProblemKind.MIN_LENGTH: "string_below_min_length",
    ProblemKind.MAX_LENGTH: "string_above_max_length",
    ProblemKind.ADDITIONAL_PROPERTIES: "unknown_parameter",
    ProblemKind.MISSING: "missing_required_parameter",
    ProblemKind.JSON_INVALID: "invalid_json",
    ProblemKind.PREFER_DELAY: "invalid_value",
    ProblemKind.PREFER_CODE: "invalid_value",
    ProblemKind.PREFER_STREAM_CUT: "invalid_value",
    ProblemKind.CONTENT_TYPE: "unsupported_content_type",
}

# Pydantic's error types (which FastAPI reports) for what failed.
_PYDANTIC_TYPES = {
    ProblemKind.REQUIRED: "missing",
    ProblemKind.ENUM: "literal_error",
    ProblemKind.CONST: "literal_error",
    ProblemKind.MINIMUM: "greater_than_equal",
    ProblemKind.MAXIMUM: "less_than_equal",
    ProblemKind.MIN_LENGTH: "string_too_short",
    ProblemKind.MAX_LENGTH: "string_too_long",
    ProblemKind.ADDITIONAL_PROPERTIES: "extra_forbidden",
    ProblemKind.MISSING: "missing",
    ProblemKind.JSON_INVALID: "json_invalid",
    ProblemKind.PREFER_CODE: "literal_error",
    ProblemKind.CONTENT_TYPE: "literal_error",
    ProblemKind.PREFER_DELAY: "value_error",
    ProblemKind.PREFER_STREAM_CUT: "value_error",
}
_PYDANTIC_TYPE_OF_JSON_TYPE = {
    "integer": "int_type",
    "number": "float_type",
    "string": "string_type",
    "boolean": "bool_type",
    "object": "dict_type",
    "array": "list_type",
}
_BLOCKLIST_ID = "imagegen-mock-blocked-terms"


class OpenAIDialect:
    """OpenAI's error object and request id."""

    name = "openai"

    def request_id_headers(self, request_id: str) -> Headers:
        """The headers that carry a request's id."""
        return (("x-request-id", request_id),)

    def validation_error(self, runtime: Variant, problems: list[Problem]) -> Reply:
        """The validation error, naming the first problem."""
        first = problems[0]
        status = runtime.responses.validation_status
        fields: dict[str, Any] = {"code": _OPENAI_CODES.get(first.kind, "invalid_value")}
        example = runtime.responses.error_template(status).body.get("error", {})
        declared = runtime.responses.error_object_schema(status).get("properties", {})
        left_out: tuple[str, ...] = ()
        if "param" in example or "param" in declared:
            if first.param is not None or _accepts_null(runtime, declared.get("param", {})):
                fields["param"] = first.param
            else:
                # Azure types `param` as a plain string: no parameter at fault, no `param`.
                left_out = ("param",)
        return declared_reply(
            runtime, status, message=_sentence(first), error_fields=fields, left_out=left_out
        )

    def plain_error(
        self,
        runtime: Variant | None,
        status: int,
        message: str,
        code: str,
        headers: Headers = (),
    ) -> Reply:
        """An error no spec example covers (unknown route, wrong method, expired image URL)."""
        error = {"message": message, "type": "invalid_request_error", "param": None, "code": code}
        if runtime is not None:
            declared = runtime.responses.error_object_schema(401).get("properties", {})
            error = {
                name: value
                for name, value in error.items()
                if name in declared
                and (value is not None or _accepts_null(runtime, declared[name]))
            }
        return Reply(status, {"error": error}, headers)

    def declared_error(
        self, runtime: Variant, status: int, retry_after: int | None = None
    ) -> Reply:
        """A declared error as the spec's example has it; a 429 says the Retry-After it sends.

        The example's message names the example's Retry-After; that number is replaced by the
        one sent (or the sentence is added where the message names none).
        """
        template = runtime.responses.error_template(status)
        declared = {name.lower(): value for name, value in template.headers.items()}
        example_seconds = declared.get("retry-after")
        if example_seconds is None:
            return declared_reply(runtime, status)
        seconds = str(example_seconds if retry_after is None else retry_after)
        error = template.body.get("error")
        text = str(error.get("message", "")) if isinstance(error, dict) else ""
        number = re.compile(rf"(?<!\d){re.escape(str(example_seconds))}(?!\d)")
        if number.search(text):
            message = number.sub(seconds, text, count=1)
        else:
            message = f"{text} Please retry after {seconds} seconds.".strip()
        return declared_reply(
            runtime, status, message=message, header_values={"retry-after": seconds}
        )

    def refusal(self, runtime: Variant, term: str) -> Reply:
        """The content-policy refusal of a prompt holding a blocked term."""
        status = runtime.responses.content_policy_status()
        example = runtime.responses.error_template(status, CONTENT_POLICY).body.get("error", {})
        message = (
            f"{example.get('message', 'Refused.')} The prompt contains the blocked term {term!r}."
        )
        return declared_reply(
            runtime,
            status,
            cause=CONTENT_POLICY,
            message=message,
            error_fields=self._refusal_fields(runtime, status, example),
        )

    def _refusal_fields(
        self, runtime: Variant, status: int, example: dict[str, Any]
    ) -> dict[str, Any]:
        return {}


class FastAPIDialect(OpenAIDialect):
    """FastAPI's validation errors, OpenAI's for the rest."""

    name = "fastapi"

    def validation_error(self, runtime: Variant, problems: list[Problem]) -> Reply:
        """Every problem, as FastAPI lists Pydantic's errors."""
        detail = [_fastapi_entry(problem) for problem in problems]
        return Reply(runtime.responses.validation_status, {"detail": detail})


class AzureDialect(OpenAIDialect):
    """Azure OpenAI: content filter results in refusals, API Management's request id."""

    name = "azure"

    def request_id_headers(self, request_id: str) -> Headers:
        """x-request-id and apim-request-id (a UUID, as Azure API Management sends)."""
        return (("x-request-id", request_id), ("apim-request-id", str(uuid.uuid4())))

    def _refusal_fields(
        self, runtime: Variant, status: int, example: dict[str, Any]
    ) -> dict[str, Any]:
        inner = example.get("inner_error")
        if not isinstance(inner, dict) or "content_filter_results" not in inner:
            return {}
        error_schema = runtime.responses.error_object_schema(status)
        inner_schema = runtime.operation.resolve(error_schema["properties"]["inner_error"])
        results = all_clear(runtime, inner_schema["properties"]["content_filter_results"])
        if isinstance(results, dict) and "custom_blocklists" in results:
            results["custom_blocklists"] = {
                "filtered": True,
                "details": [{"filtered": True, "id": _BLOCKLIST_ID}],
            }
        return {"inner_error": {**inner, "content_filter_results": results}}


OPENAI = OpenAIDialect()
FASTAPI = FastAPIDialect()
AZURE = AzureDialect()


def dialect_for(runtime: Variant) -> OpenAIDialect:
    """The dialect a variant's spec describes: the one place that decides it.

    FastAPI when the validation response is `{"detail": [...]}`; Azure when the content-policy
    error carries `inner_error` (Azure's content filter results); OpenAI otherwise.
    """
    if runtime.responses.fastapi_validation:
        return FASTAPI
    policy_error = runtime.responses.error_object_schema(runtime.responses.content_policy_status())
    if "inner_error" in policy_error.get("properties", {}):
        return AZURE
    return OPENAI


def _accepts_null(runtime: Variant, schema: dict[str, Any]) -> bool:
    """Tell whether a field's schema (as the spec declares it) allows `null`."""
    resolved = runtime.operation.resolve(schema)
    return bool(Draft202012Validator(resolved).is_valid(None))


def _sentence(problem: Problem) -> str:
    return f"{problem.message} ({problem.rule})" if problem.rule else problem.message


def _fastapi_entry(problem: Problem) -> dict[str, Any]:
    return {
        "loc": [problem.location, *problem.path],
        "msg": _pydantic_message(problem),
        ProblemKind.TYPE: _pydantic_type(problem),
    }


def _pydantic_type(problem: Problem) -> str:
    if problem.kind is ProblemKind.TYPE:
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
