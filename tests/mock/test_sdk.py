"""The official openai SDK against the mock on 127.0.0.1: parsed results, typed errors, retries."""

from __future__ import annotations

import base64
import io

import openai
import pytest
from PIL import Image

from tests.mock.conftest import KEY, LiveServer

API_VERSION = "2025-01-01-preview"


def dalle(live: LiveServer, **options: object) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live.base_url}/dalle/v1", api_key=KEY, **options)  # type: ignore[arg-type]


def test_dalle_generate(live: LiveServer) -> None:
    result = dalle(live).images.generate(
        model="dall-e-3", prompt="A cute baby sea otter", n=1, size="1024x1024"
    )
    assert result.data is not None and len(result.data) == 1
    assert result.data[0].url is not None and result.data[0].url.startswith(live.base_url)
    assert result.data[0].revised_prompt


def test_gpt_image_generate_with_organization_and_project(live: LiveServer) -> None:
    client = openai.OpenAI(
        base_url=f"{live.base_url}/gpt-image/v1",
        api_key=KEY,
        organization="org-1",
        project="proj-1",
    )
    result = client.images.generate(
        model="gpt-image-1",
        prompt="Black Swan",
        size="1024x1024",
        background="transparent",
        output_format="webp",
        n=2,
    )
    assert result.data is not None and len(result.data) == 2
    assert result.data[0].b64_json is not None
    image = Image.open(io.BytesIO(base64.b64decode(result.data[0].b64_json)))
    assert (image.format, image.size, image.mode) == ("WEBP", (1024, 1024), "RGBA")
    assert result.usage is not None and result.usage.total_tokens > 0


def test_azure_generate(live: LiveServer) -> None:
    client = openai.AzureOpenAI(
        base_url=f"{live.base_url}/azure/v1", api_key=KEY, api_version=API_VERSION
    )
    result = client.images.generate(
        model="dalle-deployment", prompt="a corgi in a field", response_format="b64_json"
    )
    assert result.data is not None and result.data[0].b64_json
    extra = result.data[0].model_extra or {}
    assert "content_filter_results" in extra, "azure's filter results come through as extra fields"


def test_azure_with_the_sdks_usual_setup(live: LiveServer) -> None:
    client = openai.AzureOpenAI(
        azure_endpoint=f"{live.base_url}/azure", api_key=KEY, api_version=API_VERSION
    )
    response = client.images.with_raw_response.generate(
        model="dalle-deployment", prompt="a corgi in a field", response_format="b64_json"
    )
    assert response.http_request.url.path == (
        "/azure/openai/deployments/dalle-deployment/images/generations"
    ), "expected the path AzureOpenAI(azure_endpoint=...) builds"
    result = response.parse()
    assert result.data is not None and result.data[0].b64_json
    assert response.headers.get("apim-request-id"), "expected Azure's apim-request-id"
    with pytest.raises(openai.BadRequestError) as caught:
        client.images.generate(model="dalle-deployment", prompt="corgi", size="999x999")
    assert (caught.value.code, caught.value.param) == ("invalid_value", "size")


def test_the_sdk_reads_the_request_id(live: LiveServer) -> None:
    result = dalle(live).images.generate(prompt="an otter")
    assert result._request_id and result._request_id.startswith("req_"), result._request_id
    with pytest.raises(openai.BadRequestError) as caught:
        dalle(live).images.generate(prompt="an otter", n=0)
    assert caught.value.request_id and caught.value.request_id.startswith("req_")


def test_dalle_invalid_input_raises_typed_error(live: LiveServer) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        dalle(live).images.generate(model="dall-e-3", prompt="otter", n=2)
    error = caught.value
    assert error.status_code == 400
    assert error.code == "invalid_value"
    assert error.param == "n"
    assert "'n'" in error.message


def test_azure_invalid_input_raises_typed_error(live: LiveServer) -> None:
    client = openai.AzureOpenAI(
        base_url=f"{live.base_url}/azure/v1", api_key=KEY, api_version=API_VERSION
    )
    with pytest.raises(openai.BadRequestError) as caught:
        client.images.generate(model="dalle-deployment", prompt="corgi", size="999x999")
    assert (caught.value.code, caught.value.param) == ("invalid_value", "size")


def test_gpt_image_validation_error_is_unprocessable(live: LiveServer) -> None:
    client = openai.OpenAI(base_url=f"{live.base_url}/gpt-image/v1", api_key=KEY)
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        client.images.generate(prompt="swan", n=9)
    assert isinstance(caught.value.body, dict)
    assert caught.value.body["detail"][0]["loc"] == ["body", "n"]


def test_wrong_key_raises_authentication_error(live: LiveServer) -> None:
    client = openai.OpenAI(base_url=f"{live.base_url}/dalle/v1", api_key="wrong")
    with pytest.raises(openai.AuthenticationError) as caught:
        client.images.generate(prompt="otter")
    assert caught.value.code == "invalid_api_key"


def test_content_policy_refusal(live: LiveServer) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        dalle(live).images.generate(prompt="something forbidden")
    assert caught.value.code == "content_policy_violation"


def test_prefer_429_makes_the_sdk_retry(live: LiveServer) -> None:
    before = live.app.stats[("dalle", 429)]
    client = dalle(live, max_retries=2, default_headers={"Prefer": "code=429"})
    with pytest.raises(openai.RateLimitError):
        client.images.generate(prompt="otter")
    assert live.app.stats[("dalle", 429)] - before == 3, "expected the first try and two retries"


def test_prefer_503_raises_internal_server_error(live: LiveServer) -> None:
    client = dalle(live, max_retries=0, default_headers={"Prefer": "code=503"})
    with pytest.raises(openai.InternalServerError):
        client.images.generate(prompt="otter")


def gpt_image(live: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live.base_url}/gpt-image/v1", api_key=KEY, max_retries=0)


def test_gpt_image_stream_is_refused_not_lost(live: LiveServer) -> None:
    """`stream=True` expects server-sent events; the API does not stream, so it refuses at once.

    Before `stream` was declared, the SDK got a JSON body, iterated zero events and the image
    was lost without an error.
    """

    def generate_and_iterate() -> int:
        stream = gpt_image(live).images.generate(
            model="gpt-image-1", prompt="Black Swan", stream=True, partial_images=2
        )
        return len(list(stream))

    with pytest.raises(openai.UnprocessableEntityError) as caught:
        generate_and_iterate()  # before: no error, zero events, the image lost
    error = caught.value
    assert error.status_code == 422
    body = error.body
    assert isinstance(body, dict), body
    [problem] = body["detail"]
    assert problem["loc"] == ["body", "stream"], problem
    assert "Streaming is not supported" in problem["msg"], problem


def test_gpt_image_stream_false_returns_the_image(live: LiveServer) -> None:
    result = gpt_image(live).images.generate(
        model="gpt-image-1", prompt="Black Swan", stream=False, size="1024x1024"
    )
    assert result.data is not None and result.data[0].b64_json


def test_gpt_image_url_is_refused_in_the_providers_words(live: LiveServer) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        gpt_image(live).images.generate(prompt="Black Swan", response_format="url")
    body = caught.value.body
    assert isinstance(body, dict), body
    [problem] = body["detail"]
    assert problem["loc"] == ["body", "response_format"], problem
    assert "Currently url is not supported" in problem["msg"], problem
