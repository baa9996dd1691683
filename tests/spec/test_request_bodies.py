"""Request bodies per variant, accepted or rejected as the spec intends.

Each body goes through `core.request.body_problems`, what the mock and the checks use: JSON
Schema 2020-12, then the spec's `x-imagegen-size` arithmetic (openai's gpt-image-2 sizes).
"""

from __future__ import annotations

from typing import Any

import pytest

from imagegen_spec.core.operation import operation
from imagegen_spec.core.request import body_problems
from imagegen_spec.core.specs import variants
from imagegen_spec.core.validation import validator
from imagegen_spec.core.variant import variant_model

OK = True
REJECT = False

# (variant, case id, body, accepted?)
TABLE: list[tuple[str, str, dict[str, Any], bool]] = [
    # --- azure -------------------------------------------------------------------------------
    ("azure", "minimal", {"prompt": "a corgi"}, OK),
    (
        "azure",
        "seed-request",
        {
            "prompt": "a corgi in a field",
            "n": 1,
            "size": "1024x1024",
            "response_format": "url",
            "user": "user123456",
            "quality": "standard",
            "style": "vivid",
        },
        OK,
    ),
    ("azure", "sdk-sends-model", {"prompt": "a corgi", "model": "dalle-deployment"}, OK),
    ("azure", "every-size-256", {"prompt": "p", "size": "256x256"}, OK),
    ("azure", "prompt-4000", {"prompt": "x" * 4000}, OK),
    ("azure", "prompt-4001", {"prompt": "x" * 4001}, REJECT),
    ("azure", "prompt-empty", {"prompt": ""}, REJECT),
    ("azure", "prompt-missing", {"n": 1}, REJECT),
    ("azure", "n-0", {"prompt": "p", "n": 0}, REJECT),
    ("azure", "n-2", {"prompt": "p", "n": 2}, REJECT),
    ("azure", "n-float-1.0-is-integer", {"prompt": "p", "n": 1.0}, OK),
    ("azure", "n-string", {"prompt": "p", "n": "1"}, REJECT),
    ("azure", "n-null", {"prompt": "p", "n": None}, REJECT),
    ("azure", "size-null", {"prompt": "p", "size": None}, REJECT),
    ("azure", "size-unknown", {"prompt": "p", "size": "999x999"}, REJECT),
    ("azure", "quality-hd", {"prompt": "p", "quality": "hd"}, OK),
    ("azure", "quality-high", {"prompt": "p", "quality": "high"}, REJECT),
    ("azure", "style-natural", {"prompt": "p", "style": "natural"}, OK),
    ("azure", "response-format-b64", {"prompt": "p", "response_format": "b64_json"}, OK),
    # Unknown fields are ignored, as Azure's open request schema has it.
    ("azure", "unknown-property-ignored", {"prompt": "p", "seed": 1}, OK),
    ("azure", "prompt-number", {"prompt": 5}, REJECT),
    # --- gpt-image ---------------------------------------------------------------------------
    (
        "gpt-image",
        "seed-request",
        {"model": "random", "prompt": "Black Swan", "size": "1024x1024"},
        OK,
    ),
    ("gpt-image", "minimal", {"prompt": "p"}, OK),
    (
        "gpt-image",
        "every-field-null",
        {
            "prompt": "p",
            "background": None,
            "model": None,
            "moderation": None,
            "n": None,
            "output_compression": None,
            "output_format": None,
            "quality": None,
            "response_format": None,
            "size": None,
            "style": None,
        },
        OK,
    ),
    ("gpt-image", "prompt-null", {"prompt": None}, REJECT),
    ("gpt-image", "user-null", {"prompt": "p", "user": None}, REJECT),
    ("gpt-image", "n-1", {"prompt": "p", "n": 1}, OK),
    ("gpt-image", "n-4", {"prompt": "p", "n": 4}, OK),
    ("gpt-image", "n-5", {"prompt": "p", "n": 5}, REJECT),
    ("gpt-image", "n-0", {"prompt": "p", "n": 0}, REJECT),
    ("gpt-image", "n-2.0-is-integer", {"prompt": "p", "n": 2.0}, OK),
    ("gpt-image", "n-2.5", {"prompt": "p", "n": 2.5}, REJECT),
    ("gpt-image", "n-string", {"prompt": "p", "n": "2"}, REJECT),
    ("gpt-image", "n-bool", {"prompt": "p", "n": True}, REJECT),
    (
        "gpt-image",
        "compression-0-jpeg",
        {"prompt": "p", "output_format": "jpeg", "output_compression": 0},
        OK,
    ),
    (
        "gpt-image",
        "compression-100-webp",
        {"prompt": "p", "output_format": "webp", "output_compression": 100},
        OK,
    ),
    (
        "gpt-image",
        "compression-101-webp",
        {"prompt": "p", "output_format": "webp", "output_compression": 101},
        REJECT,
    ),
    (
        "gpt-image",
        "compression-minus-1-jpeg",
        {"prompt": "p", "output_format": "jpeg", "output_compression": -1},
        REJECT,
    ),
    (
        "gpt-image",
        "compression-50-png-ignored",
        {"prompt": "p", "output_format": "png", "output_compression": 50},
        OK,
    ),
    (
        "gpt-image",
        "compression-50-default-format-ignored",
        {"prompt": "p", "output_compression": 50},
        OK,
    ),
    ("gpt-image", "compression-100-png", {"prompt": "p", "output_compression": 100}, OK),
    (
        "gpt-image",
        "transparent-png",
        {"prompt": "p", "background": "transparent", "output_format": "png"},
        OK,
    ),
    ("gpt-image", "transparent-default-format", {"prompt": "p", "background": "transparent"}, OK),
    (
        "gpt-image",
        "transparent-webp",
        {"prompt": "p", "background": "transparent", "output_format": "webp"},
        OK,
    ),
    (
        "gpt-image",
        "transparent-jpeg",
        {"prompt": "p", "background": "transparent", "output_format": "jpeg"},
        REJECT,
    ),
    (
        "gpt-image",
        "opaque-jpeg",
        {"prompt": "p", "background": "opaque", "output_format": "jpeg"},
        OK,
    ),
    # url is in the field's type but rejected by a rule ("Currently url is not supported").
    ("gpt-image", "response-format-url", {"prompt": "p", "response_format": "url"}, REJECT),
    ("gpt-image", "response-format-b64", {"prompt": "p", "response_format": "b64_json"}, OK),
    ("gpt-image", "stream-true", {"prompt": "p", "stream": True}, REJECT),
    ("gpt-image", "stream-false", {"prompt": "p", "stream": False}, OK),
    ("gpt-image", "stream-null", {"prompt": "p", "stream": None}, OK),
    ("gpt-image", "stream-string", {"prompt": "p", "stream": "true"}, REJECT),
    ("gpt-image", "partial-images-2-ignored", {"prompt": "p", "partial_images": 2}, OK),
    ("gpt-image", "partial-images-4", {"prompt": "p", "partial_images": 4}, REJECT),
    ("gpt-image", "size-auto", {"prompt": "p", "size": "auto"}, OK),
    ("gpt-image", "size-1536x1024", {"prompt": "p", "size": "1536x1024"}, OK),
    ("gpt-image", "size-unknown", {"prompt": "p", "size": "1000x1000"}, REJECT),
    ("gpt-image", "moderation-high", {"prompt": "p", "moderation": "high"}, REJECT),
    ("gpt-image", "quality-hd", {"prompt": "p", "quality": "hd"}, REJECT),
    ("gpt-image", "unknown-property-ignored", {"prompt": "p", "seed": 7}, OK),
    ("gpt-image", "prompt-32000", {"prompt": "x" * 32000}, OK),
    ("gpt-image", "prompt-32001", {"prompt": "x" * 32001}, REJECT),
    # --- dalle -------------------------------------------------------------------------------
    (
        "dalle",
        "seed-request",
        {"model": "dall-e-3", "prompt": "A cute baby sea otter", "n": 1, "size": "1024x1024"},
        OK,
    ),
    ("dalle", "minimal-dalle2", {"prompt": "p"}, OK),
    ("dalle", "dalle2-n-10", {"prompt": "p", "n": 10}, OK),
    ("dalle", "dalle2-n-11", {"prompt": "p", "n": 11}, REJECT),
    ("dalle", "dalle2-n-0", {"prompt": "p", "n": 0}, REJECT),
    ("dalle", "dalle2-n-null", {"prompt": "p", "n": None}, OK),
    ("dalle", "dalle2-prompt-1000", {"prompt": "x" * 1000}, OK),
    ("dalle", "dalle2-prompt-1001", {"prompt": "x" * 1001}, REJECT),
    ("dalle", "model-null-is-dalle2", {"prompt": "x" * 1001, "model": None}, REJECT),
    ("dalle", "dalle2-size-256", {"prompt": "p", "size": "256x256"}, OK),
    ("dalle", "dalle2-size-1792x1024", {"prompt": "p", "size": "1792x1024"}, REJECT),
    ("dalle", "dalle2-quality-standard", {"prompt": "p", "quality": "standard"}, OK),
    ("dalle", "dalle2-quality-hd", {"prompt": "p", "quality": "hd"}, REJECT),
    ("dalle", "dalle2-style-default", {"prompt": "p", "style": "vivid"}, OK),
    ("dalle", "dalle2-style-natural", {"prompt": "p", "style": "natural"}, REJECT),
    ("dalle", "dalle2-style-null", {"prompt": "p", "style": None}, OK),
    ("dalle", "dalle3-prompt-4000", {"prompt": "x" * 4000, "model": "dall-e-3"}, OK),
    ("dalle", "dalle3-prompt-4001", {"prompt": "x" * 4001, "model": "dall-e-3"}, REJECT),
    ("dalle", "dalle3-n-2", {"prompt": "p", "model": "dall-e-3", "n": 2}, REJECT),
    ("dalle", "dalle3-n-1.0", {"prompt": "p", "model": "dall-e-3", "n": 1.0}, OK),
    (
        "dalle",
        "dalle3-size-1024x1792",
        {"prompt": "p", "model": "dall-e-3", "size": "1024x1792"},
        OK,
    ),
    ("dalle", "dalle3-size-512", {"prompt": "p", "model": "dall-e-3", "size": "512x512"}, REJECT),
    (
        "dalle",
        "dalle3-hd-natural",
        {"prompt": "p", "model": "dall-e-3", "quality": "hd", "style": "natural"},
        OK,
    ),
    ("dalle", "model-unknown", {"prompt": "p", "model": "dall-e-4"}, REJECT),
    ("dalle", "n-string", {"prompt": "p", "n": "1"}, REJECT),
    ("dalle", "user-null", {"prompt": "p", "user": None}, REJECT),
    ("dalle", "unknown-property", {"prompt": "p", "seed": 1}, REJECT),
    ("dalle", "not-an-object", ["p"], REJECT),  # type: ignore[list-item]
    # --- openai ------------------------------------------------------------------------------
    ("openai", "minimal", {"prompt": "A cute baby sea otter"}, OK),
    (
        "openai",
        "every-field-null",
        {
            "prompt": "p",
            "background": None,
            "model": None,
            "moderation": None,
            "n": None,
            "output_compression": None,
            "output_format": None,
            "partial_images": None,
            "quality": None,
            "size": None,
            "stream": None,
        },
        OK,
    ),
    ("openai", "prompt-32000", {"prompt": "x" * 32000}, OK),
    ("openai", "prompt-32001", {"prompt": "x" * 32001}, REJECT),
    ("openai", "prompt-empty", {"prompt": ""}, REJECT),
    ("openai", "user-null", {"prompt": "p", "user": None}, REJECT),
    ("openai", "model-gpt-image-1.5", {"prompt": "p", "model": "gpt-image-1.5"}, OK),
    ("openai", "model-snapshot", {"prompt": "p", "model": "gpt-image-2-2026-04-21"}, OK),
    ("openai", "model-dall-e-2-retired", {"prompt": "p", "model": "dall-e-2"}, REJECT),
    ("openai", "model-dall-e-3-retired", {"prompt": "p", "model": "dall-e-3"}, REJECT),
    ("openai", "n-10", {"prompt": "p", "n": 10}, OK),
    ("openai", "n-11", {"prompt": "p", "n": 11}, REJECT),
    ("openai", "quality-hd-is-dall-e", {"prompt": "p", "quality": "hd"}, REJECT),
    ("openai", "response-format-is-dall-e", {"prompt": "p", "response_format": "b64_json"}, REJECT),
    ("openai", "style-is-dall-e", {"prompt": "p", "style": "vivid"}, REJECT),
    ("openai", "unknown-property", {"prompt": "p", "seed": 1}, REJECT),
    (
        "openai",
        "compression-0-jpeg",
        {"prompt": "p", "output_compression": 0, "output_format": "jpeg"},
        OK,
    ),
    ("openai", "compression-101", {"prompt": "p", "output_compression": 101}, REJECT),
    ("openai", "compression-with-png-ignored", {"prompt": "p", "output_compression": 50}, OK),
    (
        "openai",
        "transparent-webp",
        {"prompt": "p", "background": "transparent", "output_format": "webp"},
        OK,
    ),
    (
        "openai",
        "transparent-jpeg",
        {"prompt": "p", "background": "transparent", "output_format": "jpeg"},
        REJECT,
    ),
    ("openai", "moderation-low", {"prompt": "p", "moderation": "low"}, OK),
    # Streaming: partial_images 0..3, and without stream it is accepted and ignored.
    ("openai", "stream-2-partials", {"prompt": "p", "stream": True, "partial_images": 2}, OK),
    ("openai", "stream-3-partials", {"prompt": "p", "stream": True, "partial_images": 3}, OK),
    ("openai", "stream-4-partials", {"prompt": "p", "stream": True, "partial_images": 4}, REJECT),
    (
        "openai",
        "stream-minus-1-partials",
        {"prompt": "p", "stream": True, "partial_images": -1},
        REJECT,
    ),
    ("openai", "partials-without-stream", {"prompt": "p", "partial_images": 2}, OK),
    ("openai", "stream-n-2", {"prompt": "p", "stream": True, "n": 2}, OK),
    ("openai", "stream-string", {"prompt": "p", "stream": "true"}, REJECT),
    # Sizes: the standard ones for every model, any WIDTHxHEIGHT only for gpt-image-2.
    ("openai", "size-auto", {"prompt": "p", "size": "auto"}, OK),
    (
        "openai",
        "size-1536x1024-1.5",
        {"prompt": "p", "model": "gpt-image-1.5", "size": "1536x1024"},
        OK,
    ),
    (
        "openai",
        "size-1792x1024-is-dall-e",
        {"prompt": "p", "size": "1792x1024", "model": "gpt-image-1"},
        REJECT,
    ),
    (
        "openai",
        "size-custom-1.5",
        {"prompt": "p", "model": "gpt-image-1.5", "size": "1536x864"},
        REJECT,
    ),
    ("openai", "size-custom-default-model", {"prompt": "p", "size": "1536x864"}, OK),
    (
        "openai",
        "size-custom-snapshot",
        {"prompt": "p", "model": "gpt-image-2-2026-04-21", "size": "1536x864"},
        OK,
    ),
    ("openai", "size-custom-null-model", {"prompt": "p", "model": None, "size": "1536x864"}, OK),
    # The gpt-image-2 size rule (x-imagegen-size) at its boundaries.
    ("openai", "size-3840x2160-largest", {"prompt": "p", "size": "3840x2160"}, OK),
    ("openai", "size-2160x3840-upright", {"prompt": "p", "size": "2160x3840"}, OK),
    ("openai", "size-3856x2160-edge", {"prompt": "p", "size": "3856x2160"}, REJECT),
    ("openai", "size-3840x2176-pixels", {"prompt": "p", "size": "3840x2176"}, REJECT),
    ("openai", "size-3072x3072-pixels", {"prompt": "p", "size": "3072x3072"}, REJECT),
    ("openai", "size-2880x2880-pixels", {"prompt": "p", "size": "2880x2880"}, OK),
    ("openai", "size-1024x640-fewest-pixels", {"prompt": "p", "size": "1024x640"}, OK),
    ("openai", "size-1008x640-too-few", {"prompt": "p", "size": "1008x640"}, REJECT),
    ("openai", "size-1000x1000-not-16", {"prompt": "p", "size": "1000x1000"}, REJECT),
    ("openai", "size-1024x1000-not-16", {"prompt": "p", "size": "1024x1000"}, REJECT),
    ("openai", "size-3840x1280-3-to-1", {"prompt": "p", "size": "3840x1280"}, OK),
    ("openai", "size-1280x3840-1-to-3", {"prompt": "p", "size": "1280x3840"}, OK),
    ("openai", "size-3840x1264-beyond-3-to-1", {"prompt": "p", "size": "3840x1264"}, REJECT),
    ("openai", "size-1264x3840-beyond-1-to-3", {"prompt": "p", "size": "1264x3840"}, REJECT),
    ("openai", "size-five-digits", {"prompt": "p", "size": "10240x1024"}, REJECT),
    ("openai", "size-not-a-size", {"prompt": "p", "size": "big"}, REJECT),
    ("openai", "size-zero-side", {"prompt": "p", "size": "0x1024"}, REJECT),
]


@pytest.mark.parametrize(
    ("variant", "body", "accepted"),
    [(variant, body, accepted) for variant, _, body, accepted in TABLE],
    ids=[f"{variant}-{case}" for variant, case, _, _ in TABLE],
)
def test_request_body(variant: str, body: dict[str, Any], accepted: bool) -> None:
    problems = body_problems(variant_model(variant), body)
    if accepted:
        assert problems == [], f"expected {body!r} to be accepted, got {problems}"
    else:
        assert problems, f"expected {body!r} to be rejected"


def test_table_covers_each_variant_at_least_15_times() -> None:
    for variant in variants():
        assert sum(row[0] == variant for row in TABLE) >= 15, f"{variant} needs 15 cases"


def test_a_request_of_every_default_is_valid(variant: str) -> None:
    """A client that fills in every default (generated clients do) must send a valid request."""
    op = operation(variant)
    schema = op.resolve({"$ref": "#" + op.request_schema_pointer})
    body = {
        name: field["default"] for name, field in schema["properties"].items() if "default" in field
    }
    body["prompt"] = "p"
    errors = validator(variant).errors(op.request_schema_pointer, body)
    assert errors == [], f"the defaults {body} should be valid: {[e.message for e in errors]}"
