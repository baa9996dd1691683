from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_image_request import CreateImageRequest
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.images_response import ImagesResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateImageRequest,
    open_ai_organization: str | Unset = UNSET,
    open_ai_project: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(open_ai_organization, Unset):
        headers["OpenAI-Organization"] = open_ai_organization

    if not isinstance(open_ai_project, Unset):
        headers["OpenAI-Project"] = open_ai_project

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
) -> ErrorResponse | HTTPValidationError | ImagesResponse | None:
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

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

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
) -> Response[ErrorResponse | HTTPValidationError | ImagesResponse]:
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
    open_ai_organization: str | Unset = UNSET,
    open_ai_project: str | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | ImagesResponse]:
    """Create Image

     Create an image from a prompt. Images are always returned as base64 (`b64_json`), with
    the token usage of the request. Streaming is not supported.

    Args:
        open_ai_organization (str | Unset):
        open_ai_project (str | Unset):
        body (CreateImageRequest): The request body. An optional field may be `null`, which means
            the same as leaving it
            out. Fields this API does not know are ignored.

            Fields left out take the server's defaults (`background` `"auto"`, `model` `""`,
            `moderation` `"auto"`, `n` `1`, `output_compression` `95`, `output_format` `"png"`,
            `quality` `"auto"`, `response_format` `"b64_json"`, `size` `"auto"`, `style` `"vivid"`,
            `stream` `false`, `partial_images` `0`, `user` `""`); the client sends only the fields you
            set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | ImagesResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        open_ai_organization=open_ai_organization,
        open_ai_project=open_ai_project,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateImageRequest,
    open_ai_organization: str | Unset = UNSET,
    open_ai_project: str | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | ImagesResponse | None:
    """Create Image

     Create an image from a prompt. Images are always returned as base64 (`b64_json`), with
    the token usage of the request. Streaming is not supported.

    Args:
        open_ai_organization (str | Unset):
        open_ai_project (str | Unset):
        body (CreateImageRequest): The request body. An optional field may be `null`, which means
            the same as leaving it
            out. Fields this API does not know are ignored.

            Fields left out take the server's defaults (`background` `"auto"`, `model` `""`,
            `moderation` `"auto"`, `n` `1`, `output_compression` `95`, `output_format` `"png"`,
            `quality` `"auto"`, `response_format` `"b64_json"`, `size` `"auto"`, `style` `"vivid"`,
            `stream` `false`, `partial_images` `0`, `user` `""`); the client sends only the fields you
            set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | ImagesResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        open_ai_organization=open_ai_organization,
        open_ai_project=open_ai_project,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateImageRequest,
    open_ai_organization: str | Unset = UNSET,
    open_ai_project: str | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | ImagesResponse]:
    """Create Image

     Create an image from a prompt. Images are always returned as base64 (`b64_json`), with
    the token usage of the request. Streaming is not supported.

    Args:
        open_ai_organization (str | Unset):
        open_ai_project (str | Unset):
        body (CreateImageRequest): The request body. An optional field may be `null`, which means
            the same as leaving it
            out. Fields this API does not know are ignored.

            Fields left out take the server's defaults (`background` `"auto"`, `model` `""`,
            `moderation` `"auto"`, `n` `1`, `output_compression` `95`, `output_format` `"png"`,
            `quality` `"auto"`, `response_format` `"b64_json"`, `size` `"auto"`, `style` `"vivid"`,
            `stream` `false`, `partial_images` `0`, `user` `""`); the client sends only the fields you
            set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | ImagesResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        open_ai_organization=open_ai_organization,
        open_ai_project=open_ai_project,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateImageRequest,
    open_ai_organization: str | Unset = UNSET,
    open_ai_project: str | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | ImagesResponse | None:
    """Create Image

     Create an image from a prompt. Images are always returned as base64 (`b64_json`), with
    the token usage of the request. Streaming is not supported.

    Args:
        open_ai_organization (str | Unset):
        open_ai_project (str | Unset):
        body (CreateImageRequest): The request body. An optional field may be `null`, which means
            the same as leaving it
            out. Fields this API does not know are ignored.

            Fields left out take the server's defaults (`background` `"auto"`, `model` `""`,
            `moderation` `"auto"`, `n` `1`, `output_compression` `95`, `output_format` `"png"`,
            `quality` `"auto"`, `response_format` `"b64_json"`, `size` `"auto"`, `style` `"vivid"`,
            `stream` `false`, `partial_images` `0`, `user` `""`); the client sends only the fields you
            set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | ImagesResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            open_ai_organization=open_ai_organization,
            open_ai_project=open_ai_project,
        )
    ).parsed
