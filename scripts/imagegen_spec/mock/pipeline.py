"""The request pipeline of a variant's operation: named stages, in order, each small.

Each stage reads the `Exchange` (the request and what earlier stages found) and either answers
(a `Reply`, which ends the pipeline) or returns None to go on. The order is data (`STAGES`):

    method -> preferences -> faults -> auth -> parameters -> body size -> content type
    -> parse -> validate -> policy -> stream -> respond

Stages say what is wrong; the variant's dialect (`dialects.py`) shapes the answer. `stream`
answers a streamed request (`stream: true` where the spec declares an event stream) with a
`StreamReply` whose events are made as they are sent (`streams.py`); everything before it, a
fault included, is an ordinary JSON answer.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.datastructures import QueryParams
from starlette.types import Receive

from imagegen_spec.core.request import (
    Problem,
    ProblemKind,
    body_problems,
    effective_request,
    image_request,
    parameter_problems,
    parse_json,
    wants_stream,
)
from imagegen_spec.core.variant import Variant
from imagegen_spec.mock.config import MockConfig
from imagegen_spec.mock.dialects import OpenAIDialect
from imagegen_spec.mock.images import ImageSpec, is_prepared
from imagegen_spec.mock.replies import Answer, Reply, StreamReply, declared_reply
from imagegen_spec.mock.responses import encoded_images, image_specs, success_body
from imagegen_spec.mock.streams import STREAM_HEADERS, event_count, event_stream
from imagegen_spec.mock.urls import UrlSigner
from imagegen_spec.shared.asgi import BodyTooLarge, read_body

MAX_DELAY_MS = 60_000.0
"""The longest `Prefer: delay` the mock honours, so that no request can hang it."""
JSON_MEDIA_TYPE = "application/json"
_T = TypeVar("_T")
_STATUS_CODE = re.compile(r"[1-5][0-9][0-9]")
"""A status in `Prefer: code=NNN`: three ASCII digits (`str.isdigit` also takes `²`)."""
STREAM_CUT = "stream-cut"
"""`Prefer: stream-cut=N`: drop a stream's connection after N events (never its completed one)."""
_EVENT_COUNT = re.compile(r"0|[1-9][0-9]{0,5}")


@dataclass(frozen=True, slots=True)
class Services:
    """What every request of one app shares: its settings, URL signer and failure dice."""

    config: MockConfig
    signer: UrlSigner
    dice: random.Random


@dataclass(slots=True)
class Exchange:
    """One request on its way through the stages, and what they found so far."""

    runtime: Variant
    dialect: OpenAIDialect
    services: Services
    method: str
    headers: Mapping[str, str]
    query_string: bytes
    path_values: Mapping[str, str]
    receive: Receive
    origin: str
    """Where image URLs point (the public URL or the address the request came in on)."""
    preferences: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    raw_body: bytes = b""
    body: Any = None


Stage = Callable[[Exchange], Answer | Awaitable[Answer | None] | None]
"""A stage answers (a Reply, or a StreamReply for a stream), passes (None), or returns what to
await for one of those: only the stages that wait (latency, the body, a render) pay for a
coroutine."""


def method(exchange: Exchange) -> Reply | None:
    """405 with `Allow` for any method but the operation's."""
    allowed = exchange.runtime.route.method
    if exchange.method == allowed:
        return None
    message = f"Method {exchange.method} not allowed; use {allowed}."
    return exchange.dialect.plain_error(
        exchange.runtime, 405, message, "method_not_allowed", (("allow", allowed),)
    )


def preferences(exchange: Exchange) -> Reply | None:
    """Read `Prefer` (delay, code, stream-cut); a delay or cut out of range is a problem."""
    value = exchange.headers.get("prefer")
    exchange.preferences = parse_preferences(value) if value else {}
    delay = exchange.preferences.get("delay")
    if delay_ms(delay) is None:
        problem = Problem(
            "header",
            ("Prefer",),
            ProblemKind.PREFER_DELAY,
            f"Prefer: delay={delay} is not a number of milliseconds from 0 to {MAX_DELAY_MS:g}",
            MAX_DELAY_MS,
        )
        return exchange.dialect.validation_error(exchange.runtime, [problem])
    cut = exchange.preferences.get(STREAM_CUT)
    if cut is not None and _EVENT_COUNT.fullmatch(cut) is None:
        problem = Problem(
            "header",
            ("Prefer",),
            ProblemKind.PREFER_STREAM_CUT,
            f"Prefer: {STREAM_CUT}={cut} is not a number of events (0 to 999999)",
        )
        return exchange.dialect.validation_error(exchange.runtime, [problem])
    return None


def faults(exchange: Exchange) -> Reply | Awaitable[Reply | None] | None:
    """Wait the latency asked for, then answer a forced `Prefer: code` or a random 5xx.

    Without a latency to wait it answers at once (no coroutine to schedule).
    """
    config = exchange.services.config
    wait_ms = config.latency_ms + (delay_ms(exchange.preferences.get("delay")) or 0.0)
    if wait_ms > 0:
        return _after(wait_ms / 1000, _fault, exchange)
    return _fault(exchange)


async def _after(
    seconds: float, stage: Callable[[Exchange], Reply | None], exchange: Exchange
) -> Reply | None:
    await asyncio.sleep(seconds)
    return stage(exchange)


def _fault(exchange: Exchange) -> Reply | None:
    config = exchange.services.config
    runtime, dialect = exchange.runtime, exchange.dialect
    if "code" in exchange.preferences:
        code = exchange.preferences["code"]
        if _STATUS_CODE.fullmatch(code) and runtime.responses.declared(int(code)):
            if int(code) >= 400:
                return dialect.declared_error(runtime, int(code), config.retry_after)
        else:
            declared = ", ".join(runtime.operation.statuses)
            problem = Problem(
                "header",
                ("Prefer",),
                ProblemKind.PREFER_CODE,
                f"Prefer: code={code} is not a status this operation declares ({declared})",
                list(runtime.operation.statuses),
            )
            return dialect.validation_error(runtime, [problem])
    dice = exchange.services.dice
    if config.failure_rate and dice.random() < config.failure_rate:
        status = dice.choice(runtime.responses.server_error_statuses)
        return dialect.declared_error(runtime, status, config.retry_after)
    return None


def auth(exchange: Exchange) -> Reply | None:
    """401 unless the credential is sent as the spec says (and is the key, when one is set)."""
    runtime = exchange.runtime
    sent = runtime.auth.read_key(exchange.headers)
    key = exchange.services.config.api_key
    if sent is not None and (key is None or sent == key):
        return None
    return exchange.dialect.declared_error(runtime, 401, exchange.services.config.retry_after)


def parameters(exchange: Exchange) -> Reply | None:
    """Note problems of the path, query and header parameters (reported with the body's)."""
    runtime = exchange.runtime
    query = QueryParams(exchange.query_string) if runtime.request.has_query_parameters else {}
    exchange.problems = parameter_problems(runtime, exchange.path_values, query, exchange.headers)
    return None


async def body_size(exchange: Exchange) -> Reply | None:
    """Read the body; 413 as soon as it (or its Content-Length) passes the limit."""
    limit = exchange.services.config.max_body_bytes
    declared = exchange.headers.get("content-length", "")
    if not (declared.isascii() and declared.isdigit() and int(declared) > limit):
        try:
            exchange.raw_body = await read_body(exchange.receive, limit)
        except BodyTooLarge:
            pass
        else:
            return None
    message_text = f"The request body is larger than {limit} bytes."
    return declared_reply(exchange.runtime, 413, message=message_text)


def content_type(exchange: Exchange) -> Reply | None:
    """A body that is not declared as JSON is a problem."""
    media_type = exchange.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == JSON_MEDIA_TYPE:
        return None
    problem = Problem(
        "header",
        ("Content-Type",),
        ProblemKind.CONTENT_TYPE,
        f"Content-Type must be {JSON_MEDIA_TYPE}, not {media_type or 'missing'!r}",
        [JSON_MEDIA_TYPE],
    )
    return exchange.dialect.validation_error(exchange.runtime, [*exchange.problems, problem])


def parse(exchange: Exchange) -> Reply | None:
    """Parse the body as JSON; a body that is not one JSON document is a problem.

    Nesting deeper than Python's recursion limit and integers longer than its digit limit are
    refused as invalid JSON, with the reason.
    """
    try:
        exchange.body = parse_json(exchange.raw_body)
    except RecursionError:
        return _invalid_json(exchange, "the JSON is nested too deeply")
    except ValueError as error:
        return _invalid_json(exchange, str(error))
    return None


def validate(exchange: Exchange) -> Reply | None:
    """Check the body against the request schema; answer every problem found so far."""
    try:
        exchange.problems += body_problems(exchange.runtime, exchange.body)
    except RecursionError:
        return _invalid_json(exchange, "the JSON is nested too deeply")
    if exchange.problems:
        return exchange.dialect.validation_error(exchange.runtime, exchange.problems)
    return None


def policy(exchange: Exchange) -> Reply | None:
    """Refuse a prompt holding a blocked term, as the provider refuses content."""
    prompt = str(exchange.body["prompt"]).lower()
    for term in exchange.services.config.blocked_terms:
        if term.lower() in prompt:
            return exchange.dialect.refusal(exchange.runtime, term)
    return None


def stream(exchange: Exchange) -> StreamReply | None:
    """A streamed request's events: partial images, then the completed event (`streams.py`).

    With `Prefer: stream-cut=N` the connection drops after N events, at most every event but
    the last, so a cut stream never completes.
    """
    runtime = exchange.runtime
    if not wants_stream(runtime, exchange.body):
        return None
    effective = effective_request(runtime, exchange.body)
    wanted = image_request(runtime, effective)
    cut = exchange.preferences.get(STREAM_CUT)
    cut_after = None if cut is None else min(int(cut), event_count(runtime, wanted) - 1)
    events = event_stream(runtime, effective, wanted, _encoded)
    return StreamReply(events, STREAM_HEADERS, cut_after)


async def _encoded(specs: list[ImageSpec]) -> list[str]:
    return await rendered(specs, encoded_images)


async def respond(exchange: Exchange) -> Reply:
    """The 200: signed URLs, or the images in base64 (rendered off the event loop if heavy)."""
    runtime = exchange.runtime
    effective = effective_request(runtime, exchange.body)
    wanted = image_request(runtime, effective)
    specs = image_specs(wanted)
    if wanted.response_format == "b64_json":
        values = await rendered(specs, encoded_images)
    else:
        signer = exchange.services.signer
        values = [signer.url(exchange.origin, runtime.variant, spec) for spec in specs]
    return Reply(200, success_body(runtime, effective, wanted, values))


STAGES: tuple[Stage, ...] = (
    method,
    preferences,
    faults,
    auth,
    parameters,
    body_size,
    content_type,
    parse,
    validate,
    policy,
    stream,
    respond,
)


async def run_pipeline(exchange: Exchange, stages: tuple[Stage, ...] = STAGES) -> Answer:
    """Run the stages in order until one answers."""
    for stage in stages:
        answer = stage(exchange)
        if answer is None:
            continue
        if not isinstance(answer, Reply | StreamReply):
            answer = await answer
            if answer is None:
                continue
        return answer
    raise RuntimeError("the pipeline ended without an answer (its last stage must answer)")


async def rendered(specs: list[ImageSpec], render_all: Callable[[list[ImageSpec]], _T]) -> _T:
    """Render pictures: at once when they are prepared, else in a thread off the event loop."""
    if all(is_prepared(spec) for spec in specs):
        return render_all(specs)
    return await asyncio.to_thread(render_all, specs)


def parse_preferences(value: str) -> dict[str, str]:
    """Parse `Prefer: code=429, delay=100` (RFC 7240 style, `,` or `;` separated)."""
    found = {}
    for part in value.replace(";", ",").split(","):
        name, _, setting = part.strip().partition("=")
        if name:
            found[name.strip().lower()] = setting.strip().strip('"')
    return found


def delay_ms(value: str | None) -> float | None:
    """The delay a `Prefer: delay=MS` asks for; None when it is not a number in range."""
    if not value:
        return 0.0
    try:
        delay = float(value)
    except ValueError:
        return None
    return delay if math.isfinite(delay) and 0 <= delay <= MAX_DELAY_MS else None


def _invalid_json(exchange: Exchange, reason: str) -> Reply:
    message = f"We could not parse the JSON body of your request: {reason}"
    problem = Problem("body", (), ProblemKind.JSON_INVALID, message)
    return exchange.dialect.validation_error(exchange.runtime, [*exchange.problems, problem])
