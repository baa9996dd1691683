"""Gateway mode, streamed answers: whether the gateway passed each event on as it was sent.

Both sides record when each chunk of an event stream went by (the upstream recorder when the
mock sent it, the client when Schemathesis read it; one machine, one clock), so each event has
a time on each side:

- *dropped*: the client received fewer events than the upstream sent;
- *buffered*: the upstream's events were spread out over time, but the client received its
  first event only after the upstream had sent its last: the gateway held the stream back and
  sent it at once. A stream whose events the upstream sent too close together to tell
  (`MIN_SPREAD_SECONDS`) is counted, not judged.

The first-event latency (from the request sent to the first event, on each side) is summed up
for the report.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from imagegen_spec.conformance.gateway.compare import Finding, Kind, Side
from imagegen_spec.conformance.gateway.exchanges import Exchange
from imagegen_spec.conformance.sse import StreamEvent, timed_events

FIELD = "(event stream)"
MIN_SPREAD_SECONDS = 0.02
"""Upstream events less than this far apart cannot show buffering: a gateway passing them on
may well deliver the first one after the upstream sent the last."""


def events(exchange: Exchange) -> list[StreamEvent] | None:
    """A recorded answer's events with their times (None: not a timed event stream)."""
    response = exchange.response
    if response is None or not response.chunks:
        return None
    return timed_events(response.timed_chunks())


@dataclass
class StreamSummary:
    """What the streamed pairs of one run showed."""

    streams: int = 0
    events_sent: int = 0
    """Events the upstream sent, over every streamed pair."""
    events_received: int = 0
    """Events the client received, over every streamed pair."""
    too_quick: int = 0
    """Streams whose events the upstream sent too close together to judge buffering."""
    client_first_ms: list[float] = field(default_factory=list)
    upstream_first_ms: list[float] = field(default_factory=list)

    def line(self) -> str:
        """The summary in one line."""
        if not self.streams:
            return "event streams: none paired"

        def median(values: list[float]) -> str:
            return f"{statistics.median(values):.0f} ms" if values else "-"

        return (
            f"event streams: {self.streams} paired; {self.events_sent} events sent upstream, "
            f"{self.events_received} received by the client; first event after "
            f"{median(self.client_first_ms)} at the client, {median(self.upstream_first_ms)} "
            f"upstream (medians); {self.too_quick} too quick to judge buffering"
        )

    def to_json(self) -> dict[str, object]:
        """The summary as plain JSON."""
        return {
            "streams": self.streams,
            "events_sent": self.events_sent,
            "events_received": self.events_received,
            "too_quick_to_judge": self.too_quick,
            "client_first_event_ms": self.client_first_ms,
            "upstream_first_event_ms": self.upstream_first_ms,
        }


def stream_findings(client: Exchange, upstream: Exchange, summary: StreamSummary) -> list[Finding]:
    """What the gateway did to a streamed answer (nothing when the upstream did not stream)."""
    sent = events(upstream)
    if not sent:
        return []
    received = events(client) or []
    summary.streams += 1
    summary.events_sent += len(sent)
    summary.events_received += len(received)
    summary.upstream_first_ms.append(round((sent[0].at - upstream.started) * 1000, 1))
    if received:
        summary.client_first_ms.append(round((received[0].at - client.started) * 1000, 1))
    findings = []
    if len(received) < len(sent):
        findings.append(
            Finding(
                Side.RESPONSE,
                Kind.EVENTS_DROPPED,
                FIELD,
                f"{len(received)} events",
                f"{len(sent)} events",
            )
        )
    spread = sent[-1].at - sent[0].at
    if len(sent) < 2 or spread < MIN_SPREAD_SECONDS:
        summary.too_quick += 1
    elif received and received[0].at >= sent[-1].at:
        findings.append(
            Finding(
                Side.RESPONSE,
                Kind.BUFFERED,
                FIELD,
                f"{len(received)} events within {(received[-1].at - received[0].at) * 1000:.0f} "
                f"ms, the first {(received[0].at - sent[-1].at) * 1000:.0f} ms after the last "
                "was sent",
                f"{len(sent)} events over {spread * 1000:.0f} ms",
            )
        )
    return findings
