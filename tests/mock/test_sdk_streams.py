"""The official openai SDKs, Python and Node, streaming partial images from the mock on a port."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openai
import pytest
from openai.types import ImageGenCompletedEvent, ImageGenPartialImageEvent
from PIL import Image

from imagegen_spec.core.specs import REPO_ROOT
from tests.mock.conftest import KEY, LiveServer

NODE_MODULES = REPO_ROOT / "scripts" / "node" / "node_modules"
PARTIAL = "image_generation.partial_image"
COMPLETED = "image_generation.completed"


def client(live: LiveServer, **options: Any) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=f"{live.base_url}/openai/v1", api_key=KEY, max_retries=0, **options
    )


def decode(b64_json: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(b64_json, validate=True)))
    image.load()
    return image


def test_the_sdk_streams_two_partial_images_and_the_completed_one(live: LiveServer) -> None:
    """The issue's done-when: two partial images and a completed image, each decodable."""
    stream = client(live).images.generate(
        model="gpt-image-1.5",
        prompt="A watercolour lighthouse at dusk",
        stream=True,
        partial_images=2,
        size="1024x1536",
    )
    events = list(stream)
    assert [event.type for event in events] == [PARTIAL, PARTIAL, COMPLETED]
    partials, completed = events[:2], events[2]
    assert all(isinstance(event, ImageGenPartialImageEvent) for event in partials)
    assert [event.partial_image_index for event in partials] == [0, 1]  # type: ignore[union-attr]
    assert isinstance(completed, ImageGenCompletedEvent)
    for event in events:
        image = decode(event.b64_json)
        assert (image.format, image.size) == ("PNG", (1024, 1536)), event.type
        assert (event.size, event.output_format) == ("1024x1536", "png")
    assert completed.usage.output_tokens > 0
    assert (
        completed.usage.total_tokens == completed.usage.input_tokens + completed.usage.output_tokens
    )


def test_the_sdk_streams_with_every_default_size(live: LiveServer) -> None:
    events = list(
        client(live).images.generate(
            model="gpt-image-1.5", prompt="an otter", stream=True, partial_images=1
        )
    )
    assert [event.type for event in events] == [PARTIAL, COMPLETED]
    assert {decode(event.b64_json).size for event in events} == {(1024, 1024)}


def test_the_async_sdk_streams_a_gpt_image_2_size_as_jpeg(live: LiveServer) -> None:
    async def stream() -> list[Any]:
        async with openai.AsyncOpenAI(
            base_url=f"{live.base_url}/openai/v1", api_key=KEY, max_retries=0
        ) as async_client:
            events = await async_client.images.generate(
                model="gpt-image-2",
                prompt="a desert highway",
                stream=True,
                partial_images=3,
                size="1536x864",
                output_format="jpeg",
            )
            return [event async for event in events]

    events = asyncio.run(stream())
    assert [event.type for event in events] == [PARTIAL] * 3 + [COMPLETED]
    for event in events:
        image = decode(event.b64_json)
        assert (image.format, image.size) == ("JPEG", (1536, 864))


def test_a_cut_stream_raises_in_the_sdk_without_the_completed_event(live: LiveServer) -> None:
    stream = client(live, default_headers={"Prefer": "stream-cut=1"}).images.generate(
        model="gpt-image-1.5", prompt="an otter", stream=True, partial_images=2
    )
    received: list[str] = []

    def read_all() -> None:
        received.extend(event.type for event in stream)

    with pytest.raises(openai.APIConnectionError):
        read_all()
    assert received == [PARTIAL], f"expected one partial image before the cut: {received}"


def test_a_forced_429_on_a_stream_is_retried_then_raised(live: LiveServer) -> None:
    before = live.app.stats[("openai", 429)]
    sdk = client(live, default_headers={"Prefer": "code=429"}).with_options(max_retries=1)
    with pytest.raises(openai.RateLimitError) as caught:
        sdk.images.generate(model="gpt-image-1.5", prompt="otter", stream=True)
    assert caught.value.code == "rate_limit_exceeded"
    assert live.app.stats[("openai", 429)] - before == 2, "expected the first try and one retry"


def test_a_refused_prompt_on_a_stream_raises_before_any_event(live: LiveServer) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client(live).images.generate(
            model="gpt-image-1.5", prompt="something forbidden", stream=True, partial_images=2
        )
    assert caught.value.code == "moderation_blocked"


NODE_SCRIPT = """
import OpenAI from "openai";

const [baseURL, apiKey, prefer] = process.argv.slice(2);
const client = new OpenAI({
  baseURL, apiKey, maxRetries: 0, defaultHeaders: prefer ? { Prefer: prefer } : {},
});
try {
  const stream = await client.images.generate({
    model: "gpt-image-1.5",
    prompt: "A watercolour lighthouse at dusk",
    stream: true,
    partial_images: 2,
    size: "1536x1024",
    output_format: "webp",
  });
  for await (const event of stream) {
    console.log(JSON.stringify(event));
  }
  console.log(JSON.stringify({ end: "done" }));
} catch (error) {
  const { name } = error.constructor;
  console.log(JSON.stringify({ end: "error", name, message: error.message }));
}
"""


def run_node(live: LiveServer, scratch: Path, prefer: str = "") -> list[dict[str, Any]]:
    """Run the Node SDK's streaming call; one JSON line per event, then how it ended."""
    if shutil.which("node") is None or not (NODE_MODULES / "openai").is_dir():
        pytest.fail("node and scripts/node's openai package are needed (npm ci in scripts/node)")
    (scratch / "node_modules").symlink_to(NODE_MODULES)
    script = scratch / "stream.mjs"
    script.write_text(NODE_SCRIPT, encoding="utf-8")
    run = subprocess.run(
        ["node", str(script), f"{live.base_url}/openai/v1", KEY, prefer],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, f"expected the Node script to run:\n{run.stdout}{run.stderr}"
    return [json.loads(line) for line in run.stdout.splitlines()]


@pytest.mark.slow
def test_the_node_sdk_streams_partial_images(live: LiveServer, tmp_path: Path) -> None:
    lines = run_node(live, tmp_path)
    assert lines[-1] == {"end": "done"}, lines[-1]
    events = lines[:-1]
    assert [event["type"] for event in events] == [PARTIAL, PARTIAL, COMPLETED]
    assert [event.get("partial_image_index") for event in events] == [0, 1, None]
    for event in events:
        image = decode(event["b64_json"])
        assert (image.format, image.size) == ("WEBP", (1536, 1024)), event["type"]
    assert events[-1]["usage"]["output_tokens"] > 0


@pytest.mark.slow
def test_a_cut_stream_raises_in_the_node_sdk_without_the_completed_event(
    live: LiveServer, tmp_path: Path
) -> None:
    lines = run_node(live, tmp_path, prefer="stream-cut=1")
    assert [line.get("type") for line in lines[:-1]] == [PARTIAL], lines
    # undici, under the SDK, reports the dropped connection as TypeError("terminated").
    assert lines[-1]["end"] == "error", f"expected the Node SDK to raise on the cut: {lines[-1]}"


@pytest.mark.parametrize("size", ["1000x1000", "3840x1024", "4096x2160", "512x512"])
def test_a_gpt_image_2_size_the_spec_refuses_raises_naming_size(
    live: LiveServer, size: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client(live).images.generate(model="gpt-image-2", prompt="a road", size=size, stream=True)
    assert (caught.value.code, caught.value.param) == ("invalid_value", "size"), caught.value.body
