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
from dataclasses import dataclass
from typing import Any

from imagegen_spec.mock.images import ImageSpec, prompt_seed, render
from imagegen_spec.mock.runtime import VariantRuntime

IMAGE_KEYS = ("url", "b64_json")


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


def effective_request(runtime: VariantRuntime, body: dict[str, Any]) -> dict[str, Any]:
    """The request body with the spec's default for every field left out or null."""
    effective = dict(body)
    for name, default in runtime.defaults.items():
        if effective.get(name) is None:
            effective[name] = default
    return effective


def image_request(runtime: VariantRuntime, effective: dict[str, Any]) -> ImageRequest:
    """Read size, count, format and transparency from an effective request body."""
    size = str(effective.get("size") or "")
    if "x" not in size:
        size = runtime.auto_size
    width, height = _dimensions(size)
    compression = effective.get("output_compression")
    return ImageRequest(
        prompt=str(effective["prompt"]),
        n=int(effective.get("n") or 1),
        width=width,
        height=height,
        image_format=str(effective.get("output_format") or runtime.default_image_format),
        transparent=effective.get("background") == "transparent",
        compression=int(compression) if compression is not None else None,
        response_format=str(effective.get("response_format") or "url"),
    )


@functools.lru_cache(maxsize=64)
def _dimensions(size: str) -> tuple[int, int]:
    """Width and height of a `WIDTHxHEIGHT` size."""
    width, height = size.split("x")
    return int(width), int(height)


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
    runtime: VariantRuntime,
    effective: dict[str, Any],
    wanted: ImageRequest,
    values: list[str],
    clock: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """The 200 body of a valid request, given each image's `url` or `b64_json` value."""
    images = [_image_entry(runtime, effective, wanted.response_format, value) for value in values]
    result: dict[str, Any] = {"created": int(clock()), "data": images}
    if runtime.reports_usage:
        result["usage"] = usage(wanted)
    return result


def _image_entry(
    runtime: VariantRuntime, effective: dict[str, Any], key: str, value: str
) -> dict[str, Any]:
    entry: dict[str, Any] = {key: value}
    for name, schema in runtime.image_schema.get("properties", {}).items():
        if name in IMAGE_KEYS:
            continue
        if name == "revised_prompt":
            returned = runtime.returned_when.get(name)
            if returned is None or returned(effective):
                entry[name] = revised_prompt(str(effective["prompt"]))
            continue
        resolved = runtime.operation.resolve(schema)
        if resolved.get("type") == "object":
            entry[name] = all_clear(runtime, resolved)
    return entry


def all_clear(runtime: VariantRuntime, schema: dict[str, Any]) -> Any:
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
