"""Request bodies per variant, accepted or rejected by JSON Schema 2020-12 as the spec intends."""

from __future__ import annotations

from typing import Any

import pytest

from imagegen_spec.core.operation import operation
from imagegen_spec.core.validation import validator

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
]


@pytest.mark.parametrize(
    ("variant", "body", "accepted"),
    [(variant, body, accepted) for variant, _, body, accepted in TABLE],
    ids=[f"{variant}-{case}" for variant, case, _, _ in TABLE],
)
def test_request_body(variant: str, body: dict[str, Any], accepted: bool) -> None:
    errors = validator(variant).errors(operation(variant).request_schema_pointer, body)
    if accepted:
        assert errors == [], f"expected {body!r} to be accepted, got {[e.message for e in errors]}"
    else:
        assert errors, f"expected {body!r} to be rejected"


def test_table_covers_each_variant_at_least_15_times() -> None:
    for variant in {row[0] for row in TABLE}:
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
