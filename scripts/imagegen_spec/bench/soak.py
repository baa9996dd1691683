"""The soak run: many mixed requests at high concurrency against one mock process.

Every kind of request (valid url, valid b64_json, invalid, unauthenticated, `Prefer: code=429`)
is sent in turn; each response's status is counted per kind and compared with the one status
the spec says that kind gets. The server's peak resident memory (VmHWM) is read at the end and
held against a ceiling. The client is aiohttp: unlike wrk it tells which request got which
status, and unlike httpx (about 100 requests/s at 64 connections here) it keeps up with the
server.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from imagegen_spec.bench.scenarios import Scenario
from imagegen_spec.bench.servers import ServerCommand, ServerGroup

if TYPE_CHECKING:
    import aiohttp


@dataclass(frozen=True)
class SoakSettings:
    """How many requests, how many at once, the time limit and the memory ceiling."""

    requests: int = 20_000
    connections: int = 64
    time_limit_seconds: float = 600.0
    memory_ceiling_mib: float = 300.0


@dataclass
class SoakResult:
    """What the soak run saw: statuses per kind, client errors, peak memory."""

    settings: SoakSettings
    expected: dict[str, int]
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    client_errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    start_rss_mib: float = 0.0
    peak_rss_mib: float = 0.0

    @property
    def sent(self) -> int:
        """Requests answered or failed."""
        answered = sum(sum(counts.values()) for counts in self.statuses.values())
        return answered + sum(self.client_errors.values())

    @property
    def wrong(self) -> dict[str, Counter[int]]:
        """Per kind, the statuses other than the expected one."""
        return {
            kind: Counter({s: n for s, n in counts.items() if s != self.expected[kind]})
            for kind, counts in self.statuses.items()
            if any(s != self.expected[kind] for s in counts)
        }

    @property
    def completed(self) -> bool:
        """Every planned request was sent within the time limit."""
        return self.sent == self.settings.requests

    @property
    def passed(self) -> bool:
        """Every request got its kind's status, all were sent, and memory stayed bounded."""
        return (
            self.completed
            and not self.wrong
            and not self.client_errors
            and self.peak_rss_mib <= self.settings.memory_ceiling_mib
        )


async def drive(
    command: ServerCommand,
    scenarios: Sequence[Scenario],
    settings: SoakSettings,
    result: SoakResult,
    first: int = 0,
) -> None:
    """Send `settings.requests` requests (the scenarios in turn) and count what they got.

    A unique-prompt scenario's request `i` gets prompt number `first + i`.
    """
    # Imported here: the results above (and their tests) need none of the bench group.
    import aiohttp

    plan = iter(range(settings.requests))
    deadline = time.monotonic() + settings.time_limit_seconds
    connector = aiohttp.TCPConnector(limit=settings.connections)
    timeout = aiohttp.ClientTimeout(total=60.0)

    async def worker(client: aiohttp.ClientSession) -> None:
        for index in plan:
            if time.monotonic() > deadline:
                return
            scenario = scenarios[index % len(scenarios)]
            try:
                async with client.request(
                    scenario.method,
                    command.url(scenario),
                    headers=scenario.headers,
                    data=scenario.body_for(first + index),
                ) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as error:
                result.client_errors[type(error).__name__] += 1
                continue
            result.statuses.setdefault(scenario.kind, Counter())[status] += 1

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
        await asyncio.gather(*(worker(client) for _ in range(settings.connections)))


def run_soak(
    command: ServerCommand,
    scenarios: Sequence[Scenario],
    settings: SoakSettings,
    group: ServerGroup,
) -> SoakResult:
    """Start the mock in `group`, soak it, and read its peak memory before it is stopped."""
    result = SoakResult(
        settings, {scenario.kind: scenario.expected_status for scenario in scenarios}
    )
    server = group.start(command)
    result.start_rss_mib = server.peak_rss_mib()
    started = time.perf_counter()
    asyncio.run(drive(command, scenarios, settings, result))
    result.seconds = time.perf_counter() - started
    result.peak_rss_mib = server.peak_rss_mib()
    return result
