"""Success bodies shaped by the spec's 200 schema and by the request.

The image goes under the key the request's `response_format` names (`url` or `b64_json`, which
are both the enum values and the image schema's property names); every other property of the
image schema is filled in from its schema: `revised_prompt` when the request matches its
`x-imagegen-returned-when` (or always, without one), objects such as content-filter results as
their all-clear instance. The top level gets `created` and, when the schema has it, `usage`.
"""

from __future__ import annotations

import base64
import functools
import math
import time
from collections.abc import Callable
from typing import Any

from imagegen_spec.core.request import ImageRequest, effective_request, image_request
from imagegen_spec.core.variant import Variant
from imagegen_spec.mock.images import CACHE_SIZE, content_type, render_image

IMAGE_KEYS = ("url", "b64_json")


def success_body(
    runtime: Variant,
    body: dict[str, Any],
    publish: Callable[[bytes, str], str],
    clock: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """Build the 200 body for a valid request; `publish` stores an image and returns its URL."""
    effective = effective_request(runtime, body)
    wanted = image_request(runtime, effective)
    images = []
    for index in range(wanted.n):
        data = render_image(
            wanted.prompt,
            wanted.width,
            wanted.height,
            wanted.image_format,
            transparent=wanted.transparent,
            index=index,
            compression=wanted.compression,
        )
        if wanted.response_format == "b64_json":
            value = _base64(data)
        else:
            value = publish(data, content_type(wanted.image_format))
        images.append(_image_entry(runtime, effective, wanted.response_format, value))
    result: dict[str, Any] = {"created": int(clock()), "data": images}
    if runtime.responses.reports_usage:
        result["usage"] = usage(wanted)
    return result


@functools.lru_cache(maxsize=CACHE_SIZE)
def _base64(data: bytes) -> str:
    """Base64 of an image, cached like the image itself.

    render_image's cache hands back the same bytes object for the same request, and Python keeps
    the hash of a bytes object, so a repeated request finds its text at once.
    """
    return base64.b64encode(data).decode("ascii")


def _image_entry(
    runtime: Variant, effective: dict[str, Any], key: str, value: str
) -> dict[str, Any]:
    entry: dict[str, Any] = {key: value}
    for name, schema in runtime.responses.image_schema.get("properties", {}).items():
        if name in IMAGE_KEYS:
            continue
        if name == "revised_prompt":
            returned = runtime.responses.returned_when.get(name)
            if returned is None or returned(effective):
                entry[name] = revised_prompt(str(effective["prompt"]))
            continue
        resolved = runtime.operation.resolve(schema)
        if resolved.get("type") == "object":
            entry[name] = all_clear(runtime, resolved)
    return entry


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


def usage(wanted: ImageRequest) -> dict[str, Any]:
    """Deterministic token counts: about 4 characters a text token, 1 token per 64x64 tile."""
    text_tokens = max(1, math.ceil(len(wanted.prompt) / 4))
    output_tokens = wanted.n * math.ceil(wanted.width / 64) * math.ceil(wanted.height / 64)
    return {
        "input_tokens": text_tokens,
        "input_tokens_details": {"image_tokens": 0, "text_tokens": text_tokens},
        "output_tokens": output_tokens,
        "total_tokens": text_tokens + output_tokens,
    }
