"""Checks beyond Schemathesis' own, registered as custom checks so they are run and reported alike.

Schemathesis checks that a response matches its schema (each event of a `text/event-stream`
against the spec's event schema); these check what the schema cannot say: that the images are
real images of the size, format and number asked for, that a `url` serves one, that `created` is
a plausible time, and that a streamed answer is the stream the spec declares (its partial and
completed events, each image decodable at the requested size and format). Error bodies are left
to Schemathesis' own `response_schema_conformance`. A requested format that is present but
`null` counts as missing.
What was asked for is read from the request as sent, with the spec's defaults applied by the
core's request semantics (`core.request`), which read them from the spec, never from the mock.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import itertools
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import schemathesis
from PIL import Image, UnidentifiedImageError

from imagegen_spec.conformance.settings import settings_from_env
from imagegen_spec.conformance.sse import NO_JSON, StreamEvent, is_event_stream, parse_events
from imagegen_spec.conformance.wire import Reading, WireRequest, read
from imagegen_spec.core.events import (
    EVENT_TYPE_FIELD,
    PARTIAL_IMAGES_FIELD,
    PARTIAL_INDEX,
    STREAM_FIELD,
    EventStream,
)
from imagegen_spec.core.request import ImageRequest, effective_request, image_request
from imagegen_spec.core.variant import variant_model

AnyCase = schemathesis.Case[Any]  # the case of any operation

CREATED_TOLERANCE_SECONDS = 24 * 3600
URL_FETCH_TIMEOUT_SECONDS = 30.0
ALPHA_MODES = ("RGBA", "LA", "PA", "RGBa", "La")


@functools.cache
def _context() -> tuple[str, str]:
    settings = settings_from_env()
    return settings.variant, settings.base_url


def _reading(response: schemathesis.Response) -> Reading:
    """What the spec says about the request that got this response (as it was sent)."""
    request = response.request
    raw = request.body
    body = raw.encode("utf-8") if isinstance(raw, str) else raw if isinstance(raw, bytes) else None
    headers = tuple((str(name), str(value)) for name, value in request.headers.items())
    return _read_request(str(request.method), str(request.url), headers, body)


@functools.lru_cache(maxsize=16)
def _read_request(
    method: str, url: str, headers: tuple[tuple[str, str], ...], body: bytes | None
) -> Reading:
    # Every check reads the same request; validating it once per response is enough.
    variant, base_url = _context()
    return read(variant, WireRequest.from_parts(method, url, dict(headers), body, base_url))


@functools.cache
def _url_client() -> httpx.Client:
    """The one client that fetches the images' URLs during a run.

    A client per fetch would load the CA bundle each time (~70 ms, a quarter of a coverage
    run against the mock); one client also keeps its connections open between fetches.
    """
    return httpx.Client(timeout=URL_FETCH_TIMEOUT_SECONDS, follow_redirects=True)


def _json(response: schemathesis.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None


def _wanted(reading: Reading) -> ImageRequest | None:
    """What a successful response to this request must hold (None: the spec does not say)."""
    if not (reading.on_operation and reading.body_valid and isinstance(reading.body, dict)):
        return None
    model = variant_model(_context()[0])
    return image_request(model, effective_request(model, reading.body))


def _images(response: schemathesis.Response) -> tuple[ImageRequest, list[Any]] | None:
    """The request's wanted images and the response's `data` list, for a 200 to a valid body."""
    if response.status_code != 200:
        return None
    wanted = _wanted(_reading(response))
    body = _json(response)
    if wanted is None or not isinstance(body, dict) or not isinstance(body.get("data"), list):
        return None
    return wanted, body["data"]


def image_problems(data: bytes, wanted: ImageRequest, where: str) -> Iterator[str]:
    """Say how encoded image bytes differ from what was requested."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            size, kind, mode, info = image.size, image.format, image.mode, dict(image.info)
    except (UnidentifiedImageError, OSError, ValueError) as error:
        yield f"{where} is not a decodable image ({error})"
        return
    if size != (wanted.width, wanted.height):
        yield (
            f"{where} is {size[0]}x{size[1]}, but {wanted.width}x{wanted.height} was requested "
            "(or is the spec's default)"
        )
    if (kind or "").lower() != wanted.image_format:
        yield f"{where} is {kind or 'an unknown format'}, but {wanted.image_format} was requested"
    if wanted.transparent and mode not in ALPHA_MODES and "transparency" not in info:
        yield (
            f"{where} has no alpha channel (mode {mode}), "
            "but a transparent background was requested"
        )


def _b64_image_problems(value: Any, wanted: ImageRequest, where: str) -> Iterator[str]:
    """Say how a `b64_json` value differs from an image of what was requested."""
    if not isinstance(value, str):
        yield f"{where} is not a base64 string"
        return
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        yield f"{where} is not valid base64 ({error})"
        return
    yield from image_problems(raw, wanted, where)


def _fail(problems: list[str]) -> None:
    if problems:
        raise AssertionError("\n".join(problems))


@schemathesis.check
def image_count_matches_n(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase
) -> bool | None:
    """A 200 holds exactly `n` images (the spec's default when `n` is absent or null)."""
    found = _images(response)
    if found is None:
        return None
    wanted, data = found
    if len(data) != wanted.n:
        raise AssertionError(f"Expected {wanted.n} images (n), got {len(data)}")
    return True


@schemathesis.check
def b64_json_image_matches_request(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase
) -> bool | None:
    """Each `b64_json` is base64 of an image of the requested size and format (alpha if asked)."""
    found = _images(response)
    if found is None:
        return None
    wanted, data = found
    problems = []
    for index, entry in enumerate(data):
        where = f"data[{index}]"
        if not isinstance(entry, dict) or wanted.response_format not in entry:
            problems.append(f"{where} has no `{wanted.response_format}`, the requested format")
            continue
        if entry[wanted.response_format] is None:
            # Present but null is as absent: the requested format must carry the image.
            problems.append(
                f"{where}.{wanted.response_format} is null, but `{wanted.response_format}` was "
                "requested: it must hold the image"
            )
            continue
        value = entry.get("b64_json")
        if value is None:
            continue
        problems.extend(_b64_image_problems(str(value), wanted, f"{where}.b64_json"))
    _fail(problems)
    return True


@schemathesis.check
def image_url_serves_image(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase
) -> bool | None:
    """Each `url` can be fetched and serves an image of the requested size and format."""
    found = _images(response)
    if found is None:
        return None
    wanted, data = found
    problems = []
    for index, entry in enumerate(data):
        url = entry.get("url") if isinstance(entry, dict) else None
        if url is None:
            continue
        where = f"data[{index}].url"
        try:
            fetched = _url_client().get(str(url))
        except httpx.HTTPError as error:
            problems.append(f"{where} could not be fetched: {error!r}")
            continue
        if fetched.status_code != 200:
            problems.append(f"{where} answered {fetched.status_code}, not 200")
            continue
        content_type = fetched.headers.get("content-type", "")
        if not content_type.startswith("image/"):
            problems.append(f"{where} is served as {content_type or 'no content type'!r}")
        problems.extend(image_problems(fetched.content, wanted, where))
    _fail(problems)
    return True


@schemathesis.check
def created_is_recent(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase
) -> bool | None:
    """`created` of a 200 is an integer Unix time within a day of now."""
    if response.status_code != 200 or not _reading(response).on_operation:
        return None
    body = _json(response)
    if not isinstance(body, dict):
        return None
    created = body.get("created")
    if isinstance(created, bool) or not isinstance(created, int):
        raise AssertionError(f"`created` must be an integer Unix time, got {json.dumps(created)}")
    now = time.time()
    if abs(created - now) > CREATED_TOLERANCE_SECONDS:
        raise AssertionError(f"`created` is {created}, more than a day away from now ({int(now)})")
    return True


IMAGE_FIELD = "b64_json"
"""The event property that carries the image (as in the JSON body's images)."""


def _echo_problems(
    event: dict[str, Any], stream: EventStream, wanted: ImageRequest, where: str
) -> Iterator[str]:
    """The size and format an event names must be the ones its image was requested in."""
    schema = (
        stream.completed if event.get(EVENT_TYPE_FIELD) == stream.completed.name else stream.partial
    )
    declared = schema.properties if schema is not None else {}
    size = f"{wanted.width}x{wanted.height}"
    if "size" in declared and "size" in event and event["size"] != size:
        yield f"{where} names size {json.dumps(event['size'])}, but {size} was requested"
    if (
        "output_format" in declared
        and "output_format" in event
        and event["output_format"] != wanted.image_format
    ):
        yield (
            f"{where} names output_format {json.dumps(event['output_format'])}, but "
            f"{wanted.image_format} was requested"
        )


def _partial_problems(indices: list[Any], partial_images: int, image: int) -> list[str]:
    """The partial events of one image: at most `partial_images`, indices rising below it."""
    problems = []
    if len(indices) > partial_images:
        problems.append(
            f"image {image}: {len(indices)} partial images were sent, but "
            f"`{PARTIAL_IMAGES_FIELD}` asked for at most {partial_images}"
        )
    in_range = all(
        isinstance(index, int) and not isinstance(index, bool) and 0 <= index < partial_images
        for index in indices
    )
    rising = all(left < right for left, right in itertools.pairwise(indices))
    if indices and not (in_range and rising):
        problems.append(
            f"image {image}: `{PARTIAL_INDEX}` values {json.dumps(indices)} are not distinct and "
            f"rising below {partial_images} (`{PARTIAL_IMAGES_FIELD}`)"
        )
    return problems


def stream_problems(
    stream: EventStream, events: list[StreamEvent], wanted: ImageRequest, partial_images: int
) -> list[str]:
    """Say how a stream's events differ from the stream the spec declares for the request.

    For each of the `n` images, one after another: up to `partial_images` partial events
    (indices distinct and rising below `partial_images`), then its completed event; nothing
    after the last completed event. Every image decodable at the requested size and format.
    """
    problems: list[str] = []
    partial_name = stream.partial.name if stream.partial is not None else None
    indices: list[Any] = []
    completed = 0
    for number, event in enumerate(events):
        payload = event.json
        if payload is NO_JSON or not isinstance(payload, dict):
            problems.append(f"event #{number} does not carry a JSON object in `data:`")
            continue
        kind = payload.get(EVENT_TYPE_FIELD)
        where = f"event #{number} ({kind})"
        if completed >= wanted.n:
            problems.append(f"{where} comes after the last completed image ({wanted.n} asked)")
        if kind == stream.completed.name:
            problems.extend(_partial_problems(indices, partial_images, completed))
            indices = []
            completed += 1
        elif kind == partial_name:
            indices.append(payload.get(PARTIAL_INDEX))
        else:
            continue  # an event the spec does not declare: the schema check reports it
        problems.extend(
            _b64_image_problems(payload.get(IMAGE_FIELD), wanted, f"{where}.{IMAGE_FIELD}")
        )
        problems.extend(_echo_problems(payload, stream, wanted, where))
    if completed < wanted.n:
        problems.append(
            f"Expected {wanted.n} `{stream.completed.name}` event(s), got {completed} in "
            f"{len(events)} events (the stream was cut short or is incomplete)"
        )
    return problems


def _content_type(response: schemathesis.Response) -> str:
    values = response.headers.get("content-type") or [""]
    return str(values[0])


@schemathesis.check
def streamed_images_match_request(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase
) -> bool | None:
    """A 200 to `stream: true` is the declared event stream, each image as requested.

    Without `stream: true` the 200 is not an event stream. With it: up to `partial_images`
    partial images, then the completed image, nothing after it, every `b64_json` an image of
    the requested size and format (and the size and format each event names, those too).
    """
    if response.status_code != 200:
        return None
    reading = _reading(response)
    wanted = _wanted(reading)
    stream = variant_model(_context()[0]).events
    if wanted is None or stream is None:
        return None
    content_type = _content_type(response)
    if not wanted.stream:
        if is_event_stream(content_type):
            raise AssertionError(
                f"`{STREAM_FIELD}: true` was not requested, but the 200 is {content_type}"
            )
        return None
    if not is_event_stream(content_type):
        raise AssertionError(
            f"`{STREAM_FIELD}: true` was requested, but the 200 is "
            f"{content_type or 'without a content type'}, not an event stream"
        )
    _fail(stream_problems(stream, parse_events(response.content), wanted, wanted.partial_images))
    return True
