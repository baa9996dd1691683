"""A streamed request beside the same request answered as one JSON body: events/s, first image.

The variant is the first whose spec declares an event stream (`openai`). Two requests, built from
its spec and validated against it, with a new prompt each time (nothing served from a cache):

- `json`: the `size` `auto` stands for (`x-imagegen-auto`, 1024x1024), not streamed: the whole
  image in one JSON body;
- `streamed`: the same with `stream: true` and the spec's largest `partial_images`: partial
  images, then the completed event.

Each is sent for a fixed time by `connections` concurrent clients (aiohttp, which reads a
stream's chunks as they arrive) for the rates, then by one client alone for the latency of the
first image, the two kinds alternated per round. For each request the client
notes when it was sent, when its first partial image arrived and when its last event (or its
JSON body) did; events are read with the conformance runner's parser (httpx-sse).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from imagegen_spec.bench.scenarios import API_KEY, PROMPT, ScenarioError
from imagegen_spec.bench.servers import HOST, ServerCommand, ServerGroup, mock_command
from imagegen_spec.core.events import PARTIAL_IMAGES_FIELD, STREAM_FIELD
from imagegen_spec.core.specs import variants
from imagegen_spec.core.variant import Variant, variant_model

JSON_KIND = "json"
STREAMED_KIND = "streamed"
REQUEST_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class StreamSettings:
    """How long and how hard each run goes."""

    rounds: int = 3
    seconds: float = 5.0
    connections: int = 4


@dataclass
class StreamRun:
    """What one kind's runs measured, summed over rounds."""

    kind: str
    body: dict[str, Any]
    requests: int = 0
    events: int = 0
    seconds: float = 0.0
    wrong: int = 0
    """Answers that were not 200, or a stream without its completed event."""
    first_image_ms: list[float] = field(default_factory=list)
    """From sending to the first image: the first partial event, or the JSON body."""
    last_ms: list[float] = field(default_factory=list)
    """From sending to the completed event (or the whole JSON body)."""
    alone_first_image_ms: list[float] = field(default_factory=list)
    """The same, from one client alone (no other request queued beside it)."""
    round_alone_p50: list[float] = field(default_factory=list)

    @property
    def requests_per_second(self) -> float:
        """Answers per second over every round."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def events_per_second(self) -> float:
        """Events received per second over every round (0 for JSON)."""
        return self.events / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class StreamReport:
    """Both kinds side by side, and how they were run."""

    variant: str
    settings: StreamSettings
    json: StreamRun
    streamed: StreamRun

    @property
    def first_image_ratio(self) -> float | None:
        """Alone: time to the first partial image over the JSON answer's (median of rounds)."""
        pairs = zip(self.streamed.round_alone_p50, self.json.round_alone_p50, strict=False)
        ratios = [streamed / whole for streamed, whole in pairs if whole]
        return statistics.median(ratios) if ratios else None


def stream_variant() -> str:
    """The first variant whose spec declares an event stream."""
    for name in variants():
        if variant_model(name).events is not None:
            return name
    raise ScenarioError("no spec declares a text/event-stream answer to stream")


def bodies(runtime: Variant) -> dict[str, dict[str, Any]]:
    """The JSON and the streamed body, each checked against the spec."""
    stream = runtime.events
    assert stream is not None
    partial = runtime.request.properties.get(PARTIAL_IMAGES_FIELD, {})
    most = partial.get("maximum")
    if most is None:
        raise ScenarioError(f"{runtime.variant}: `{PARTIAL_IMAGES_FIELD}` declares no maximum")
    size = runtime.request.auto_size
    if not size:
        raise ScenarioError(f"{runtime.variant}: `size` declares no `x-imagegen-auto` size")
    plain: dict[str, Any] = {"prompt": PROMPT, "size": size}
    made: dict[str, dict[str, Any]] = {
        JSON_KIND: plain,
        STREAMED_KIND: {**plain, STREAM_FIELD: True, PARTIAL_IMAGES_FIELD: int(most)},
    }
    pointer = runtime.operation.request_schema_pointer
    for kind, body in made.items():
        if not runtime.validator.is_valid(pointer, body):
            raise ScenarioError(f"{runtime.variant}: the {kind} body {body} is invalid")
    return made


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _drive(
    url: str,
    headers: dict[str, str],
    run: StreamRun,
    settings: StreamSettings,
    first: int,
    *,
    alone: bool = False,
) -> int:
    """Send `run`'s request for `settings.seconds` from each client (one client `alone`).

    Return the number of the last prompt used.
    """
    import aiohttp

    from imagegen_spec.conformance.sse import timed_events

    stream = variant_model(stream_variant()).events
    assert stream is not None
    partial_name = stream.partial.name if stream.partial is not None else None
    completed_name = stream.completed.name
    counter = [first]
    first_images: list[float] = []
    deadline = time.monotonic() + settings.seconds
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)

    async def client_loop(session: aiohttp.ClientSession) -> None:
        while time.monotonic() < deadline:
            counter[0] += 1
            body = {**run.body, "prompt": f"{PROMPT}, number {counter[0]}"}
            sent = time.perf_counter()
            chunks: list[tuple[float, bytes]] = []
            async with session.post(url, headers=headers, data=json.dumps(body)) as response:
                async for chunk in response.content.iter_any():
                    chunks.append((time.perf_counter(), chunk))
                status = response.status
            done = time.perf_counter()
            run.requests += 1
            if status != 200:
                run.wrong += 1
                continue
            if run.kind == JSON_KIND:
                first_images.append((done - sent) * 1000)
                run.last_ms.append((done - sent) * 1000)
                continue
            events = timed_events(chunks)
            kinds = [event.name for event in events]  # the frame's `event:`, its JSON's type
            if completed_name not in kinds:
                run.wrong += 1
            run.events += len(events)
            times = [event.at for event in events]
            partials = [at for at, kind in zip(times, kinds, strict=True) if kind == partial_name]
            if partials:
                first_images.append((partials[0] - sent) * 1000)
            if times:
                run.last_ms.append((times[-1] - sent) * 1000)

    clients = 1 if alone else settings.connections
    if alone:
        # The alone run times latency only: its requests and events stay out of the rates.
        timing = StreamRun(run.kind, run.body)
        run, kept = timing, run
    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(client_loop(session) for _ in range(clients)))
    if alone:
        kept.wrong += run.wrong
        kept.alone_first_image_ms += first_images
        kept.round_alone_p50.append(statistics.median(first_images) if first_images else 0.0)
        return counter[0]
    run.seconds += time.perf_counter() - started
    run.first_image_ms += first_images
    return counter[0]


def measure_streaming(settings: StreamSettings, group: ServerGroup) -> StreamReport:
    """Start the mock in `group` and measure both kinds, alternated per round."""
    variant = stream_variant()
    runtime = variant_model(variant)
    made = bodies(runtime)
    command: ServerCommand = mock_command(variant)
    group.start(command)
    url = f"http://{HOST}:{command.port}{command.prefix}{runtime.operation.path}"
    headers = {
        "Content-Type": "application/json",
        runtime.auth.header: runtime.auth.header_value(API_KEY),
    }
    runs = {kind: StreamRun(kind, body) for kind, body in made.items()}
    prompt = 0
    for _ in range(settings.rounds):
        for kind in (JSON_KIND, STREAMED_KIND):
            prompt = asyncio.run(_drive(url, headers, runs[kind], settings, prompt))
        for kind in (JSON_KIND, STREAMED_KIND):
            prompt = asyncio.run(_drive(url, headers, runs[kind], settings, prompt, alone=True))
    return StreamReport(variant, settings, runs[JSON_KIND], runs[STREAMED_KIND])


def p50(values: list[float]) -> float:
    """The median (0 for none)."""
    return statistics.median(values) if values else 0.0


def p99(values: list[float]) -> float:
    """The 99th percentile (0 for none)."""
    return _percentile(values, 0.99)
