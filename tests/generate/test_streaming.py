"""Streaming openai's answer: what the generated client says it cannot do, and the README's way.

openapi-python-client parses a 200 as JSON only; the generated client's README says a streamed
answer raises `json.JSONDecodeError`, and the project README shows how to stream with the
generated models and httpx-sse. Both run here against the mock.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from imagegen_spec.core.events import EVENT_STREAM
from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.core.variant import variant_model
from imagegen_spec.generate.config import CLIENT_DIR, GENERATED_DIR, MODELS_DIR
from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from tests.generate.conftest import import_generated
from tests.mock.conftest import KEY, LiveServer, serve

HEADING = "### Streaming with the generated models"
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def readme_streaming_example() -> str:
    """The Python block of the project README's streaming section."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert HEADING in readme, f"expected the README section {HEADING!r}"
    section = readme.split(HEADING, 1)[1].split("\n#", 1)[0]
    blocks = PYTHON_BLOCK.findall(section)
    assert len(blocks) == 1, f"expected one Python block under {HEADING!r}, found {len(blocks)}"
    return str(blocks[0])


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    """The mock on a real 127.0.0.1 port, accepting only KEY."""
    yield from serve(create_app(MockConfig(api_key=KEY)))


def test_the_readme_streaming_example_runs_against_the_mock(live: LiveServer) -> None:
    models = str(GENERATED_DIR / "openai" / MODELS_DIR)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([models, os.environ.get("PYTHONPATH", "")]),
        "IMAGEGEN_OPENAI_BASE_URL": f"{live.base_url}/openai/v1",
        "IMAGEGEN_OPENAI_API_KEY": KEY,
    }
    result = subprocess.run(
        [sys.executable, "-c", readme_streaming_example()],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"the README example failed:\n{result.stderr}"
    lines = result.stdout.splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "partial image 0",
        "partial image 1",
        "final 1024x1024 image",
    ], f"expected two partial images, then the final 1024x1024 one; got {lines}"


def test_the_generated_client_cannot_read_a_streamed_answer_as_its_readme_says() -> None:
    client_package = import_generated("openai", CLIENT_DIR)
    readme = (GENERATED_DIR / "openai" / CLIENT_DIR / "README.md").read_text(encoding="utf-8")
    assert "json.JSONDecodeError" in readme, "the client README must say what a stream does"
    from imagegen_openai_client.api.images import create_image  # type: ignore[import-not-found]
    from imagegen_openai_client.models import CreateImageRequest  # type: ignore[import-not-found]

    transport = httpx.ASGITransport(app=create_app(MockConfig(api_key=KEY)))
    client = client_package.AuthenticatedClient(
        base_url="http://testserver/openai/v1", token=KEY, httpx_args={"transport": transport}
    )

    async def send() -> object:
        async with client:
            return await create_image.asyncio_detailed(
                client=client, body=CreateImageRequest(prompt="p", stream=True)
            )

    with pytest.raises(json.JSONDecodeError):
        asyncio.run(send())


def test_both_packages_model_every_streamed_event() -> None:
    runtime = variant_model("openai")
    stream = runtime.events
    assert stream is not None, "openai declares a text/event-stream answer"
    events = {
        event.name: event.pointer.rsplit("/", 1)[-1]
        for event in (stream.partial, stream.completed)
        if event is not None
    }
    union = stream.pointer.rsplit("/", 1)[-1]
    models = import_generated("openai", MODELS_DIR)
    client_models = importlib.import_module(
        import_generated("openai", CLIENT_DIR).__name__ + ".models"
    )
    for name in [*events.values(), union]:
        assert hasattr(models, name), f"the models package lacks {name}"
    for name in events.values():
        assert hasattr(client_models, name), f"the client's models lack {name}"
    op = runtime.operation
    media = op.resolve({"$ref": "#" + str(op.response_pointer("200"))})["content"][EVENT_STREAM]
    for example in media["examples"].values():
        event, data = example["value"]["event"], example["value"]["data"]
        parsed = getattr(models, union).model_validate_json(data).root
        assert type(parsed).__name__ == events[event], (
            f"the union should read a {event} event as {events[event]}, got {type(parsed)}"
        )
