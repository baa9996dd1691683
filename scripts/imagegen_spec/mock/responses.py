"""Success bodies shaped by the spec's 200 schema and by the request.

The image goes under the key the request's `response_format` names (`url` or `b64_json`, which
are both the enum values and the image schema's property names); every other property of the
image schema is filled in from its schema: `revised_prompt` when the request matches its
`x-imagegen-returned-when` (or always, without one), objects such as content-filter results as
their all-clear instance. The top level gets `created` and, when the schema has it, `usage`
(with `output_tokens_details` where the usage schema has it); a top-level property named like a
request field echoes the setting the images were made with (`core.request.resolved_request`).

A stream's events (`core.events`) are filled in the same way: `type`, the image, `created_at`,
the partial image's index or the usage, and the echoed settings.
"""

from __future__ import annotations

import base64
import functools
import math
import time
from collections.abc import Callable
from typing import Any

from imagegen_spec.core.events import EVENT_TYPE_FIELD, PARTIAL_INDEX, USAGE, EventSchema
from imagegen_spec.core.request import ImageRequest, resolved_request
from imagegen_spec.core.variant import Variant
from imagegen_spec.mock.images import ImageSpec, prompt_seed, render

IMAGE_KEYS = ("url", "b64_json")


def image_specs(wanted: ImageRequest) -> list[ImageSpec]:
    """The pictures a request asks for, one per index within `n`."""
    seed = prompt_seed(wanted.prompt)
    return [
        ImageSpec(
            seed,
            index,
            wanted.width,
            wanted.height,
            wanted.image_format,
            wanted.transparent,
            wanted.compression,
        )
        for index in range(wanted.n)
    ]


def encoded_images(specs: list[ImageSpec]) -> list[str]:
    """The `b64_json` values of pictures (cheap for prepared ones, see `images.is_prepared`)."""
    return [base64.b64encode(render(spec)).decode("ascii") for spec in specs]


def success_body(
    runtime: Variant,
    effective: dict[str, Any],
    wanted: ImageRequest,
    values: list[str],
    clock: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """The 200 body of a valid request, given each image's `url` or `b64_json` value."""
    extras = dict(_constant_extras(runtime))
    returned = runtime.responses.returned_when.get("revised_prompt")
    if "revised_prompt" in _image_properties(runtime) and (returned is None or returned(effective)):
        extras["revised_prompt"] = revised_prompt(str(effective["prompt"]))
    key = wanted.response_format
    images = [{key: value, **extras} for value in values]
    result: dict[str, Any] = {"created": int(clock()), "data": images}
    echoes = _echoed_names(runtime)
    if echoes:
        settings = resolved_request(runtime, effective)
        result.update((name, settings.get(name)) for name in echoes)
    if runtime.responses.reports_usage:
        result["usage"] = usage(wanted, _reports_output_details(runtime))
    return result


def event_body(
    runtime: Variant,
    event: EventSchema,
    effective: dict[str, Any],
    wanted: ImageRequest,
    b64_json: str,
    partial_index: int | None = None,
    clock: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """The JSON object of one stream event: a partial image (with its index) or the completed one.

    Every property of the event's schema is filled: `type`, `b64_json`, `created_at`, the
    partial image's index, the usage, and the settings the image was made with.
    """
    properties = event.properties
    body: dict[str, Any] = {
        EVENT_TYPE_FIELD: event.name,
        "b64_json": b64_json,
        "created_at": int(clock()),
    }
    settings = resolved_request(runtime, effective)
    body.update((name, settings.get(name)) for name in _event_echoes(runtime, event))
    if PARTIAL_INDEX in properties and partial_index is not None:
        body[PARTIAL_INDEX] = partial_index
    if USAGE in properties:
        body[USAGE] = usage(wanted, _reports_output_details(runtime))
    return body


@functools.cache
def _echoed_names(runtime: Variant) -> tuple[str, ...]:
    """The success body's top-level properties that echo a request field (none for most specs)."""
    request = runtime.request.properties
    return tuple(
        name for name in runtime.responses.success_schema.get("properties", {}) if name in request
    )


@functools.cache
def _event_echoes(runtime: Variant, event: EventSchema) -> tuple[str, ...]:
    request = runtime.request.properties
    return tuple(name for name in event.properties if name in request)


@functools.cache
def _reports_output_details(runtime: Variant) -> bool:
    """Whether the spec's usage object has `output_tokens_details`."""
    schema = runtime.responses.success_schema.get("properties", {}).get(USAGE, {})
    return "output_tokens_details" in runtime.operation.resolve(schema).get("properties", {})


def _image_properties(runtime: Variant) -> dict[str, Any]:
    properties: dict[str, Any] = runtime.responses.image_schema.get("properties", {})
    return properties


@functools.cache
def _constant_extras(runtime: Variant) -> dict[str, Any]:
    """The image entry's object properties (content-filter results) as their all-clear instance.

    The same for every request of a variant, so built once; replies never change their bodies.
    """
    extras = {}
    for name, schema in _image_properties(runtime).items():
        if name in IMAGE_KEYS or name == "revised_prompt":
            continue
        resolved = runtime.operation.resolve(schema)
        if resolved.get("type") == "object":
            extras[name] = all_clear(runtime, resolved)
    return extras


def all_clear(runtime: Variant, schema: dict[str, Any]) -> Any:
    """The instance of a result schema that reports nothing: false flags, first enum values."""
    schema = runtime.operation.resolve(schema)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        return {
            name: all_clear(runtime, child) for name, child in schema.get("properties", {}).items()
        }
    if kind == "array":
        return []
    if kind == "boolean":
        return False
    if kind == "integer":
        return 0
    return ""


def revised_prompt(prompt: str) -> str:
    """A deterministic 'revision' of a prompt, as dall-e-3 returns one."""
    return f"A detailed, high-quality rendering of: {prompt.strip()}"


def usage(wanted: ImageRequest, output_details: bool = False) -> dict[str, Any]:
    """Deterministic token counts: about 4 characters a text token, 1 token per 64x64 tile.

    `output_details` adds `output_tokens_details` (every output token an image token).
    """
    text_tokens = max(1, math.ceil(len(wanted.prompt) / 4))
    output_tokens = wanted.n * math.ceil(wanted.width / 64) * math.ceil(wanted.height / 64)
    counts: dict[str, Any] = {
        "input_tokens": text_tokens,
        "input_tokens_details": {"image_tokens": 0, "text_tokens": text_tokens},
        "output_tokens": output_tokens,
        "total_tokens": text_tokens + output_tokens,
    }
    if output_details:
        counts["output_tokens_details"] = {"image_tokens": output_tokens, "text_tokens": 0}
    return counts
