from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.image_generations_request import ImageGenerationsRequest
from ...models.image_generations_response import ImageGenerationsResponse
from ...types import UNSET, Response


def _get_kwargs(
    deployment_id: str,
    *,
    body: ImageGenerationsRequest,
    api_version: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["api-version"] = api_version

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/deployments/{deployment_id}/images/generations".format(
            deployment_id=quote(str(deployment_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ImageGenerationsResponse | None:
    if response.status_code == 200:
        response_200 = ImageGenerationsResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | ImageGenerationsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    deployment_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ImageGenerationsRequest,
    api_version: str,
) -> Response[ErrorResponse | ImageGenerationsResponse]:
    """Generate images

     Generates a batch of images from a text prompt with the DALL-E model of a deployment.
    Every image carries the content-filter results of the image and of the prompt; a prompt
    the filters refuse is answered with 400 `content_policy_violation`.

    Args:
        deployment_id (str):
        api_version (str):
        body (ImageGenerationsRequest): The request body. No field may be `null`; leave a field
            out to get its default. Fields
            this API does not know are ignored.

            Fields left out take the server's defaults (`n` `1`, `size` `"1024x1024"`,
            `response_format` `"url"`, `quality` `"standard"`, `style` `"vivid"`); the client sends
            only the fields you set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImageGenerationsResponse]
    """

    kwargs = _get_kwargs(
        deployment_id=deployment_id,
        body=body,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    deployment_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ImageGenerationsRequest,
    api_version: str,
) -> ErrorResponse | ImageGenerationsResponse | None:
    """Generate images

     Generates a batch of images from a text prompt with the DALL-E model of a deployment.
    Every image carries the content-filter results of the image and of the prompt; a prompt
    the filters refuse is answered with 400 `content_policy_violation`.

    Args:
        deployment_id (str):
        api_version (str):
        body (ImageGenerationsRequest): The request body. No field may be `null`; leave a field
            out to get its default. Fields
            this API does not know are ignored.

            Fields left out take the server's defaults (`n` `1`, `size` `"1024x1024"`,
            `response_format` `"url"`, `quality` `"standard"`, `style` `"vivid"`); the client sends
            only the fields you set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImageGenerationsResponse
    """

    return sync_detailed(
        deployment_id=deployment_id,
        client=client,
        body=body,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    deployment_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ImageGenerationsRequest,
    api_version: str,
) -> Response[ErrorResponse | ImageGenerationsResponse]:
    """Generate images

     Generates a batch of images from a text prompt with the DALL-E model of a deployment.
    Every image carries the content-filter results of the image and of the prompt; a prompt
    the filters refuse is answered with 400 `content_policy_violation`.

    Args:
        deployment_id (str):
        api_version (str):
        body (ImageGenerationsRequest): The request body. No field may be `null`; leave a field
            out to get its default. Fields
            this API does not know are ignored.

            Fields left out take the server's defaults (`n` `1`, `size` `"1024x1024"`,
            `response_format` `"url"`, `quality` `"standard"`, `style` `"vivid"`); the client sends
            only the fields you set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImageGenerationsResponse]
    """

    kwargs = _get_kwargs(
        deployment_id=deployment_id,
        body=body,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    deployment_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ImageGenerationsRequest,
    api_version: str,
) -> ErrorResponse | ImageGenerationsResponse | None:
    """Generate images

     Generates a batch of images from a text prompt with the DALL-E model of a deployment.
    Every image carries the content-filter results of the image and of the prompt; a prompt
    the filters refuse is answered with 400 `content_policy_violation`.

    Args:
        deployment_id (str):
        api_version (str):
        body (ImageGenerationsRequest): The request body. No field may be `null`; leave a field
            out to get its default. Fields
            this API does not know are ignored.

            Fields left out take the server's defaults (`n` `1`, `size` `"1024x1024"`,
            `response_format` `"url"`, `quality` `"standard"`, `style` `"vivid"`); the client sends
            only the fields you set.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImageGenerationsResponse
    """

    return (
        await asyncio_detailed(
            deployment_id=deployment_id,
            client=client,
            body=body,
            api_version=api_version,
        )
    ).parsed
