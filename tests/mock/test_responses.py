"""Real, deterministic images of the requested size and format, and each provider's extras."""

from __future__ import annotations

import base64
import dataclasses
import io
from typing import Any

import pytest
from PIL import Image, ImageChops

from imagegen_spec.mock.urls import UrlSigner
from tests.mock.conftest import Mock
from tests.mock.test_validation import assert_matches_response_schema


def decode(entry: dict[str, Any]) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(entry["b64_json"])))


@pytest.mark.parametrize(
    ("variant", "body", "size", "image_format"),
    [
        ("dalle", {"prompt": "otter", "response_format": "b64_json"}, (1024, 1024), "PNG"),
        (
            "dalle",
            {"prompt": "otter", "size": "256x256", "response_format": "b64_json"},
            (256, 256),
            "PNG",
        ),
        (
            "dalle",
            {
                "prompt": "otter",
                "model": "dall-e-3",
                "size": "1792x1024",
                "response_format": "b64_json",
            },
            (1792, 1024),
            "PNG",
        ),
        (
            "azure",
            {"prompt": "corgi", "size": "1024x1792", "response_format": "b64_json"},
            (1024, 1792),
            "PNG",
        ),
        ("gpt-image", {"prompt": "swan"}, (512, 512), "PNG"),
        ("gpt-image", {"prompt": "swan", "size": "auto"}, (512, 512), "PNG"),
        (
            "gpt-image",
            {"prompt": "swan", "size": "1536x1024", "output_format": "jpeg"},
            (1536, 1024),
            "JPEG",
        ),
        (
            "gpt-image",
            {"prompt": "swan", "size": "256x256", "output_format": "webp"},
            (256, 256),
            "WEBP",
        ),
    ],
)
def test_b64_image_has_requested_size_and_format(
    mock: Mock, variant: str, body: dict[str, Any], size: tuple[int, int], image_format: str
) -> None:
    response = mock.generate(variant, body)
    assert response.status_code == 200, response.text
    assert_matches_response_schema(variant, 200, response.json())
    image = decode(response.json()["data"][0])
    assert (image.size, image.format) == (size, image_format)


@pytest.mark.parametrize("output_format", ["png", "webp"])
def test_transparent_background_has_alpha(mock: Mock, output_format: str) -> None:
    body = {
        "prompt": "a sticker",
        "size": "256x256",
        "background": "transparent",
        "output_format": output_format,
    }
    image = decode(mock.generate("gpt-image", body).json()["data"][0])
    assert image.mode == "RGBA" or "transparency" in image.info, (
        f"a transparent {output_format} must have an alpha channel or a transparent palette"
    )
    alpha = image.convert("RGBA").getchannel("A").getextrema()
    assert alpha == (0, 255), f"expected clear and opaque pixels, alpha spans {alpha}"


def test_opaque_image_has_no_alpha(mock: Mock) -> None:
    image = decode(
        mock.generate("gpt-image", {"prompt": "x", "background": "opaque"}).json()["data"][0]
    )
    assert image.mode in ("RGB", "P"), f"expected an RGB or palette picture, got {image.mode}"
    assert "transparency" not in image.info, "an opaque picture must have no transparent entry"


def test_same_request_same_bytes_and_prompt_changes_picture(mock: Mock) -> None:
    body = {"prompt": "a red fox", "size": "256x256", "response_format": "b64_json"}
    first = mock.generate("dalle", body).json()["data"][0]["b64_json"]
    again = mock.generate("dalle", body).json()["data"][0]["b64_json"]
    other = mock.generate("dalle", {**body, "prompt": "a blue whale"}).json()["data"][0]["b64_json"]
    assert first == again, "the same request must give the same image bytes"
    a = decode({"b64_json": first}).convert("RGB")
    b = decode({"b64_json": other}).convert("RGB")
    changed = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v else 0)
    differing = changed.histogram()[255]
    assert differing > a.width * a.height // 4, "another prompt must give a visibly other picture"


@pytest.mark.parametrize(
    ("variant", "n"), [("dalle", 1), ("dalle", 3), ("dalle", 10), ("gpt-image", 4), ("azure", 1)]
)
def test_exactly_n_images(mock: Mock, variant: str, n: int) -> None:
    body: dict[str, Any] = {"prompt": "p", "n": n}
    if variant == "gpt-image":
        body["size"] = "256x256"
    data = mock.generate(variant, body).json()["data"]
    assert len(data) == n, f"expected {n} images, got {len(data)}"


def test_url_serves_image_until_it_expires(mock: Mock) -> None:
    now = [1000.0]
    signer = UrlSigner(b"secret", 3600, clock=lambda: now[0])
    mock.app.services = dataclasses.replace(mock.app.services, signer=signer)
    response = mock.generate("dalle", {"prompt": "lighthouse", "size": "512x512"})
    url = response.json()["data"][0]["url"]
    assert url.startswith("http://testserver/_mock/images/"), url
    served = mock.client.get(url)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (512, 512)
    now[0] += 3599
    assert mock.client.get(url).status_code == 200, "still served just before the TTL"
    now[0] += 1
    assert mock.client.get(url).status_code == 404, "expired after the TTL"


def test_dalle3_revises_prompt_and_dalle2_does_not(mock: Mock) -> None:
    three = mock.generate("dalle", {"prompt": "otter", "model": "dall-e-3"}).json()["data"][0]
    two = mock.generate("dalle", {"prompt": "otter"}).json()["data"][0]
    assert "otter" in three["revised_prompt"]
    assert "revised_prompt" not in two, "dall-e-2 does not revise prompts"


def test_azure_returns_filter_results(mock: Mock) -> None:
    entry = mock.generate("azure", {"prompt": "corgi"}).json()["data"][0]
    assert set(entry["content_filter_results"]) >= {"sexual", "violence", "hate", "self_harm"}
    assert entry["prompt_filter_results"]["jailbreak"] == {"filtered": False, "detected": False}
    assert entry["content_filter_results"]["hate"] == {"filtered": False, "severity": "safe"}


def test_gpt_image_usage_is_deterministic(mock: Mock) -> None:
    body = {"prompt": "Black Swan", "n": 2, "size": "256x256"}
    first = mock.generate("gpt-image", body).json()["usage"]
    again = mock.generate("gpt-image", body).json()["usage"]
    assert first == again
    assert first["total_tokens"] == first["input_tokens"] + first["output_tokens"]
    bigger = mock.generate("gpt-image", {**body, "size": "1024x1024"}).json()["usage"]
    assert bigger["output_tokens"] > first["output_tokens"], "larger images cost more tokens"


@pytest.mark.parametrize(
    ("variant", "status", "code"),
    [
        ("dalle", 400, "content_policy_violation"),
        ("azure", 400, "content_policy_violation"),
        ("gpt-image", 400, "moderation_blocked"),
    ],
)
def test_blocked_term_is_refused(mock: Mock, variant: str, status: int, code: str) -> None:
    response = mock.generate(variant, {"prompt": "Something FORBIDDEN here"})
    assert response.status_code == status, response.text
    assert_matches_response_schema(variant, status, response.json())
    error = response.json()["error"]
    assert error["code"] == code
    assert "'forbidden'" in error["message"], "the refusal should name the blocked term"
    if variant == "azure":
        inner = error["inner_error"]
        assert inner["code"] == "ResponsibleAIPolicyViolation"
        assert inner["content_filter_results"]["custom_blocklists"]["filtered"] is True
