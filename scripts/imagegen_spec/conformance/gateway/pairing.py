"""Pair each request sent to the gateway with what reached the upstream, without guessing.

Three rules, in order:

1. the correlation header (`X-Imagegen-Case`) arrived upstream with the client's tag;
2. the tag arrived as the nonce in the body (the `user` field, or anywhere in a rewritten body);
3. the content: among upstream requests that arrived while the client request was open (the
   runner sends one request at a time) and carry no other request's tag, the one that agrees
   most with what the client sent (method, then each JSON member of the body), if exactly one
   does best and agrees on anything at all.

A client request with no upstream request in its window was answered by the gateway itself.
One with candidates that rule 3 cannot tell apart is *unpairable*: reported, never guessed.
Upstream requests paired to no client request are the gateway's own (start-up probes, retries
of a request beyond the first are counted as repeats of it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from imagegen_spec.conformance.gateway.exchanges import Exchange
from imagegen_spec.conformance.tagging import CORRELATION_HEADER, TAG_PREFIX

TAG_PATTERN = re.compile(re.escape(TAG_PREFIX).encode("ascii") + rb"[0-9a-f]{16}")
WINDOW_SLACK_SECONDS = 0.001
"""Slack at each end of a client request's window: both sides read this machine's clock, and
a forwarded request arrives after the client sent it and before its answer came back."""


class PairedBy(StrEnum):
    """How a pair was made."""

    HEADER = "correlation header"
    NONCE = "nonce in the body"
    CONTENT = "body content"


@dataclass(frozen=True)
class Pair:
    """A client request and the first upstream request it became."""

    client: Exchange
    upstream: Exchange
    by: PairedBy


@dataclass
class Pairing:
    """The outcome of pairing one run's exchanges."""

    pairs: list[Pair] = field(default_factory=list)
    not_forwarded: list[Exchange] = field(default_factory=list)
    unpairable: list[Exchange] = field(default_factory=list)
    upstream_only: list[Exchange] = field(default_factory=list)
    repeats: Counter[str] = field(default_factory=Counter)
    """Per client tag, upstream requests beyond the first (a gateway's retries)."""

    @property
    def by_method(self) -> Counter[PairedBy]:
        """How many pairs each rule made."""
        return Counter(pair.by for pair in self.pairs)


def upstream_tag(exchange: Exchange) -> tuple[str, PairedBy] | None:
    """The client tag an upstream request carries, and where (header first), if any."""
    header = exchange.request.header(CORRELATION_HEADER)
    if header and TAG_PATTERN.fullmatch(header.strip().encode("ascii", "replace")):
        return header.strip(), PairedBy.HEADER
    found = TAG_PATTERN.search(exchange.request.body)
    if found:
        return found.group().decode("ascii"), PairedBy.NONCE
    return None


def agreement(client: Exchange, upstream: Exchange) -> int:
    """How much of a client request arrived upstream unchanged.

    One for its method, then one per JSON member of its body with the same value (or one for the
    whole body, when it is not a JSON object).
    """
    score = int(client.request.method == upstream.request.method)
    sent, got = client.request.json, upstream.request.json
    if isinstance(sent, dict) and isinstance(got, dict):
        return score + sum(1 for name, value in sent.items() if name in got and got[name] == value)
    return score + int(client.request.body == upstream.request.body)


def _in_window(client: Exchange, upstream: Exchange) -> bool:
    return (
        client.started - WINDOW_SLACK_SECONDS
        <= upstream.started
        <= client.finished + WINDOW_SLACK_SECONDS
    )


def pair(
    client: list[Exchange],
    upstream: list[Exchange],
    is_operation: Callable[[Exchange], bool] = lambda exchange: True,
) -> Pairing:
    """Pair client exchanges with upstream ones.

    Tagged upstream requests pair on any path; the content rule and the list of the gateway's
    own requests consider only those `is_operation` holds for (not, say, image downloads).
    """
    result = Pairing()
    tagged: dict[str, list[tuple[Exchange, PairedBy]]] = {}
    untagged: list[Exchange] = []
    for exchange in upstream:
        found = upstream_tag(exchange)
        if found is not None:
            tagged.setdefault(found[0], []).append((exchange, found[1]))
        elif is_operation(exchange):
            untagged.append(exchange)
    client_tags = {exchange.tag for exchange in client}
    for tag, arrivals in tagged.items():
        if tag not in client_tags:
            result.upstream_only += [exchange for exchange, _ in arrivals]
    taken: set[int] = set()
    for exchange in client:
        arrivals = tagged.get(exchange.tag, [])
        if arrivals:
            first, by = arrivals[0]
            result.pairs.append(Pair(exchange, first, by))
            if len(arrivals) > 1:
                result.repeats[exchange.tag] += len(arrivals) - 1
            continue
        candidates = [
            (index, candidate)
            for index, candidate in enumerate(untagged)
            if index not in taken and _in_window(exchange, candidate)
        ]
        if not candidates:
            result.not_forwarded.append(exchange)
            continue
        scored = sorted(
            ((agreement(exchange, candidate), index) for index, candidate in candidates),
            reverse=True,
        )
        best, index = scored[0]
        if best == 0 or (len(scored) > 1 and scored[1][0] == best):
            result.unpairable.append(exchange)
            continue
        taken.add(index)
        result.pairs.append(Pair(exchange, untagged[index], PairedBy.CONTENT))
    result.upstream_only += [
        candidate for index, candidate in enumerate(untagged) if index not in taken
    ]
    return result
