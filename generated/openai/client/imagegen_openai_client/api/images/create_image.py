from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_image_request import CreateImageRequest
from ...models.error_response import ErrorResponse
from ...models.images_response import ImagesResponse
from ...types import Response


def _get_kwargs(
    *,
    body: CreateImageRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/images/generations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ImagesResponse | None:
    if response.status_code == 200:
        response_200 = ImagesResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ImagesResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateImageRequest,
) -> Response[ErrorResponse | ImagesResponse]:
    """Create image

     Creates one or more images from a text prompt with a GPT image model. Images are
    returned as base64 (`b64_json`) in the requested output format, with the background,
    format, size and quality they were made with and the token usage of the request.

    With `stream: true` the answer is a `text/event-stream`: up to `partial_images` events
    `image_generation.partial_image`, each a progressively more finished image, then one
    `image_generation.completed` event with the final image and the usage. With
    `partial_images: 0` (the default) the final image comes in one event. The final image
    may arrive before all the partial images when it is finished sooner. With `n` above 1
    the images come one after another, each with its partial images and its completed
    event. Each event is `event: <type>` and one `data:` line holding the event's JSON
    object; the stream ends after the last completed event.

    Args:
        body (CreateImageRequest): The request body. An optional field may be `null`, which means
            the same as leaving it
            out. A field this API does not know is rejected with a 400 naming it.

            Fields left out take the server's defaults (`model` `"gpt-image-2"`, `n` `1`, `quality`
            `"auto"`, `output_format` `"png"`, `output_compression` `100`, `stream` `false`,
            `partial_images` `0`, `size` `"auto"`, `moderation` `"auto"`, `background` `"auto"`); the
            client sends only the fields you set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImagesResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateImageRequest,
) -> ErrorResponse | ImagesResponse | None:
    """Create image

     Creates one or more images from a text prompt with a GPT image model. Images are
    returned as base64 (`b64_json`) in the requested output format, with the background,
    format, size and quality they were made with and the token usage of the request.

    With `stream: true` the answer is a `text/event-stream`: up to `partial_images` events
    `image_generation.partial_image`, each a progressively more finished image, then one
    `image_generation.completed` event with the final image and the usage. With
    `partial_images: 0` (the default) the final image comes in one event. The final image
    may arrive before all the partial images when it is finished sooner. With `n` above 1
    the images come one after another, each with its partial images and its completed
    event. Each event is `event: <type>` and one `data:` line holding the event's JSON
    object; the stream ends after the last completed event.

    Args:
        body (CreateImageRequest): The request body. An optional field may be `null`, which means
            the same as leaving it
            out. A field this API does not know is rejected with a 400 naming it.

            Fields left out take the server's defaults (`model` `"gpt-image-2"`, `n` `1`, `quality`
            `"auto"`, `output_format` `"png"`, `output_compression` `100`, `stream` `false`,
            `partial_images` `0`, `size` `"auto"`, `moderation` `"auto"`, `background` `"auto"`); the
            client sends only the fields you set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImagesResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateImageRequest,
) -> Response[ErrorResponse | ImagesResponse]:
    """Create image

     Creates one or more images from a text prompt with a GPT image model. Images are
    returned as base64 (`b64_json`) in the requested output format, with the background,
    format, size and quality they were made with and the token usage of the request.

    With `stream: true` the answer is a `text/event-stream`: up to `partial_images` events
    `image_generation.partial_image`, each a progressively more finished image, then one
    `image_generation.completed` event with the final image and the usage. With
    `partial_images: 0` (the default) the final image comes in one event. The final image
    may arrive before all the partial images when it is finished sooner. With `n` above 1
    the images come one after another, each with its partial images and its completed
    event. Each event is `event: <type>` and one `data:` line holding the event's JSON
    object; the stream ends after the last completed event.

    Args:
        body (CreateImageRequest): The request body. An optional field may be `null`, which means
            the same as leaving it
            out. A field this API does not know is rejected with a 400 naming it.

            Fields left out take the server's defaults (`model` `"gpt-image-2"`, `n` `1`, `quality`
            `"auto"`, `output_format` `"png"`, `output_compression` `100`, `stream` `false`,
            `partial_images` `0`, `size` `"auto"`, `moderation` `"auto"`, `background` `"auto"`); the
            client sends only the fields you set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImagesResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateImageRequest,
) -> ErrorResponse | ImagesResponse | None:
    """Create image

     Creates one or more images from a text prompt with a GPT image model. Images are
    returned as base64 (`b64_json`) in the requested output format, with the background,
    format, size and quality they were made with and the token usage of the request.

    With `stream: true` the answer is a `text/event-stream`: up to `partial_images` events
    `image_generation.partial_image`, each a progressively more finished image, then one
    `image_generation.completed` event with the final image and the usage. With
    `partial_images: 0` (the default) the final image comes in one event. The final image
    may arrive before all the partial images when it is finished sooner. With `n` above 1
    the images come one after another, each with its partial images and its completed
    event. Each event is `event: <type>` and one `data:` line holding the event's JSON
    object; the stream ends after the last completed event.

    Args:
        body (CreateImageRequest): The request body. An optional field may be `null`, which means
            the same as leaving it
            out. A field this API does not know is rejected with a 400 naming it.

            Fields left out take the server's defaults (`model` `"gpt-image-2"`, `n` `1`, `quality`
            `"auto"`, `output_format` `"png"`, `output_compression` `100`, `stream` `false`,
            `partial_images` `0`, `size` `"auto"`, `moderation` `"auto"`, `background` `"auto"`); the
            client sends only the fields you set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImagesResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
