"""What a gateway changed, grouped per side, field and kind, with counts, values and a repro.

`analyse` pairs one run's exchanges and compares every pair; `GatewayReport` holds the groups,
how the pairing went, what happened to the key, and what could not be compared, and renders them
for the terminal, for Markdown (summary.md, docs/gateways.md) and for JUnit.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imagegen_spec.conformance.curl import curl_command
from imagegen_spec.conformance.gateway.compare import Comparison, Credential, Finding, Kind, Side
from imagegen_spec.conformance.gateway.exchanges import Exchange
from imagegen_spec.conformance.gateway.pairing import PairedBy, Pairing, pair
from imagegen_spec.conformance.gateway.probes import Probe, ProbeOutcome, error_message
from imagegen_spec.conformance.gateway.streams import StreamSummary, stream_findings
from imagegen_spec.shared.tables import pipe_escape, text_table

MAX_VALUES = 3
COLUMNS = ("field", "change", "client sent", "upstream got", "cases")
RESPONSE_COLUMNS = ("field", "change", "upstream sent", "client got", "cases")
MAX_LISTED = 5
UNPAIRED = "could not be paired with what reached the upstream"
PROBE_COLUMNS = ("probe", "upstream answered", "client got", "what happened")
TRANSPORT_HEADERS = frozenset(
    {"user-agent", "accept", "accept-encoding", "connection", "content-length"}
    | {"x-schemathesis-testcaseid"}
)
"""Headers a repro leaves out: the HTTP client's own, which say nothing about the case."""


@dataclass
class DeviationGroup:
    """Every finding of one side, field and kind: which values, in how many cases."""

    side: Side
    kind: Kind
    field: str
    values: Counter[tuple[str, str]] = dataclasses.field(default_factory=Counter)
    tags: set[str] = dataclasses.field(default_factory=set)
    repro: str | None = None

    @property
    def count(self) -> int:
        """The number of client requests it happened to."""
        return len(self.tags)

    def column(self, index: int) -> str:
        """The most common values on one side (0: client, 1: upstream), joined."""
        common = [pair[index] for pair, _ in self.values.most_common(MAX_VALUES)]
        extra = len(self.values) - len(common)
        return ", ".join(common) + (f" (+{extra} more)" if extra > 0 else "")

    def to_json(self) -> dict[str, Any]:
        """The group as plain JSON."""
        return {
            "side": str(self.side),
            "kind": str(self.kind),
            "field": self.field,
            "cases": self.count,
            "values": [
                {"client": client, "upstream": upstream, "cases": count}
                for (client, upstream), count in self.values.most_common()
            ],
            "repro": self.repro,
        }


@dataclass
class GatewayReport:
    """What one gateway run showed about the gateway."""

    variant: str
    upstream_variant: str
    upstream_url: str
    client_requests: int = 0
    paired: Counter[str] = dataclasses.field(default_factory=Counter)
    not_forwarded: int = 0
    unpairable: list[str] = dataclasses.field(default_factory=list)
    upstream_only: list[str] = dataclasses.field(default_factory=list)
    repeats: int = 0
    credentials: Counter[str] = dataclasses.field(default_factory=Counter)
    groups: list[DeviationGroup] = dataclasses.field(default_factory=list)
    not_compared: list[str] = dataclasses.field(default_factory=list)
    streams: StreamSummary = dataclasses.field(default_factory=StreamSummary)
    probes: list[ProbeOutcome] = dataclasses.field(default_factory=list)

    @property
    def deviation_cases(self) -> int:
        """Client requests with at least one change, plus those that could not be paired."""
        return len({tag for group in self.groups for tag in group.tags}) + len(self.unpairable)

    def side(self, side: Side) -> list[DeviationGroup]:
        """The groups of one side, most cases first."""
        return [group for group in self.groups if group.side == side]

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON (gateway.json)."""
        return {
            "variant": self.variant,
            "upstream_variant": self.upstream_variant,
            "upstream_url": self.upstream_url,
            "client_requests": self.client_requests,
            "paired": dict(self.paired),
            "not_forwarded": self.not_forwarded,
            "unpairable": self.unpairable,
            "upstream_only": self.upstream_only,
            "repeats": self.repeats,
            "credentials": dict(self.credentials),
            "deviations": [group.to_json() for group in self.groups],
            "not_compared": self.not_compared,
            "streams": self.streams.to_json(),
            "probes": [outcome.to_json() for outcome in self.probes],
        }

    def pairing_line(self) -> str:
        """How the pairing went, in one line."""
        paired = sum(self.paired.values())
        how = ", ".join(f"{count} by {method}" for method, count in self.paired.most_common())
        return (
            f"{self.client_requests} requests sent to the gateway: {paired} reached the upstream"
            + (f" (paired {how})" if how else "")
            + f", {self.not_forwarded} answered by the gateway itself, "
            f"{len(self.unpairable)} could not be paired; {len(self.upstream_only)} upstream "
            f"requests came from no case, {self.repeats} were repeats"
        )

    def credential_line(self) -> str:
        """What became of the client's key, in one line."""
        carried = sum(self.credentials.values())
        if not carried:
            return "credential: no paired request carried the client's key"
        parts = [f"{what} in {count}" for what, count in self.credentials.most_common()]
        return f"credential, of {carried} paired requests with the client's key: " + "; ".join(
            parts
        )

    def _rows(self, side: Side) -> list[tuple[str, ...]]:
        rows: list[tuple[str, ...]] = []
        for group in self.side(side):
            first, second = (0, 1) if side == Side.REQUEST else (1, 0)
            rows.append(
                (
                    group.field,
                    str(group.kind),
                    group.column(first),
                    group.column(second),
                    str(group.count),
                )
            )
        return rows

    def text_lines(self) -> list[str]:
        """The report for the terminal."""
        lines = [f"gateway: {self.pairing_line()}", self.credential_line(), self.streams.line()]
        lines += [f"NOT PAIRED: {text}" for text in self.unpairable[:MAX_LISTED]]
        for side, columns, title in (
            (Side.REQUEST, COLUMNS, "request side (client -> upstream)"),
            (Side.RESPONSE, RESPONSE_COLUMNS, "response side (upstream -> client)"),
        ):
            rows = self._rows(side)
            if not rows:
                lines.append(f"{title}: no change")
                continue
            lines.append(f"{title}:")
            lines += [f"  {line}" for line in text_table([columns, *rows], right={4})]
        for group in self.groups:
            if group.repro:
                lines.append(f"repeat ({group.side}, {group.field} {group.kind}): {group.repro}")
        lines += [f"not compared: {text}" for text in self.not_compared]
        if self.probes:
            lines.append(f"probes: {self.probe_line()}")
            rows = self.probe_rows()
            lines += [f"  {line}" for line in text_table([PROBE_COLUMNS, *rows])] if rows else []
        return lines

    def probe_line(self) -> str:
        """How the probes went, in one line."""
        notable = sum(outcome.notable for outcome in self.probes)
        forwarded = sum(outcome.forwarded for outcome in self.probes)
        return (
            f"{len(self.probes)} sent, {forwarded} reached the upstream; {notable} show a change, "
            "a body the spec accepts answered by the gateway itself, or an upstream 429 (listed)"
        )

    def probe_rows(self) -> list[tuple[str, ...]]:
        """The notable probes: name, upstream status, client status and message, changes."""
        return [
            (
                outcome.name,
                outcome.upstream_text,
                outcome.client_text,
                "; ".join(outcome.changes)
                or (
                    "answered by the gateway itself, though the spec accepts it"
                    if outcome.notable
                    else ""
                ),
            )
            for outcome in self.probes
            if outcome.notable
        ]

    def probe_markdown(self) -> list[str]:
        """The probes as Markdown: the count line and a table of the notable ones."""
        if not self.probes:
            return []
        lines = [f"Probes: {pipe_escape(self.probe_line())}.", ""]
        rows = self.probe_rows()
        if rows:
            lines.append("| " + " | ".join(PROBE_COLUMNS) + " |")
            lines.append("|---|---|---|---|")
            lines += ["| " + " | ".join(pipe_escape(text) for text in row) + " |" for row in rows]
        return lines

    def markdown_lines(self, heading: str = "###") -> list[str]:
        """The report as Markdown (tables of each side, then a repro per deviation)."""
        from imagegen_spec.conformance.report import fence

        lines = [
            f"{heading} Gateway: {self.variant} to the gateway, {self.upstream_variant} upstream",
            "",
            f"- {pipe_escape(self.pairing_line())}",
            f"- {pipe_escape(self.credential_line())}",
            f"- {pipe_escape(self.streams.line())}",
        ]
        lines += [f"- not paired: {pipe_escape(text)}" for text in self.unpairable[:MAX_LISTED]]
        for side, columns, title in (
            (
                Side.REQUEST,
                COLUMNS,
                "Request side (what the client sent, what reached the upstream)",
            ),
            (
                Side.RESPONSE,
                RESPONSE_COLUMNS,
                "Response side (what the upstream answered, what the client got)",
            ),
        ):
            rows = self._rows(side)
            lines += ["", f"{title}:", ""]
            if not rows:
                lines.append("No change.")
                continue
            lines.append("| " + " | ".join(columns) + " |")
            lines.append("|---|---|---|---|---:|")
            lines += ["| " + " | ".join(pipe_escape(text) for text in row) + " |" for row in rows]
        repros = [group for group in self.groups if group.repro]
        if repros:
            lines += ["", "Repeat each (one request per row above):", ""]
            for group in repros:
                assert group.repro is not None
                marks = fence(group.repro)
                lines += [
                    f"- {group.side}, `{group.field}` {group.kind}:",
                    "",
                    f"  {marks}sh",
                    f"  {group.repro}",
                    f"  {marks}",
                    "",
                ]
        if self.not_compared:
            lines += ["", "Not compared (the two variants do not share them):", ""]
            lines += [f"- {pipe_escape(text)}" for text in self.not_compared]
        if self.probes:
            lines += ["", *self.probe_markdown()]
        return lines

    def junit_cases(self) -> list[tuple[str, str, str]]:
        """(name, failure message or "", text) per deviation group, and one for the pairing."""
        cases = [
            (
                f"{group.side}: {group.field} {group.kind}",
                f"{group.count} cases: {group.field} {group.kind} "
                f"({group.column(0)} -> {group.column(1)})",
                group.repro or "",
            )
            for group in self.groups
        ]
        unpaired = f"{len(self.unpairable)} requests could not be paired" if self.unpairable else ""
        cases.append(("every request is paired", unpaired, "\n".join(self.unpairable)))
        return cases


def _describe(exchange: Exchange) -> str:
    request = exchange.request
    return (
        f"{request.method} {request.path} (tag {exchange.tag or '-'}, body {request.body[:80]!r})"
    )


def finding_text(finding: Finding) -> str:
    """One finding in a few words: the field, what happened, the value on each side."""
    if finding.side == Side.REQUEST:
        return f"{finding.field} {finding.kind}: {finding.client} -> {finding.upstream}"
    return f"{finding.field} {finding.kind} on the way back: {finding.upstream} -> {finding.client}"


FIRST_SHOWN = (Kind.HEADER_LOST, Kind.STATUS_CHANGED, Kind.REWRAPPED, Kind.FORWARDED_INVALID)
"""On the way back, the kinds a probe's outcome names first (after every request-side change)."""
MAX_PROBE_CHANGES = 4


def _probe_changes(findings: list[Finding]) -> tuple[str, ...]:
    """A probe's changes in a few words, each once, the rest counted.

    Request-side changes come first, then the ones that matter most on the way back.
    """

    def rank(finding: Finding) -> int:
        if finding.side == Side.REQUEST:
            return 0
        return 1 if finding.kind in FIRST_SHOWN else 2

    texts = list(dict.fromkeys(finding_text(f) for f in sorted(findings, key=rank)))
    shown = texts[:MAX_PROBE_CHANGES]
    rest = len(texts) - len(shown)
    return (*shown, f"+{rest} more") if rest else tuple(shown)


def _kept_headers(comparison: Comparison, client: Exchange, upstream: Exchange | None) -> list[str]:
    """The declared headers of the upstream's answer that reached the client (`Retry-After`)."""
    if upstream is None or upstream.response is None or client.response is None:
        return []
    status = upstream.response.status
    return [
        f"{name} passed on: {client.response.header(name)}"
        for name in comparison.upstream_spec.response_headers(status)
        if upstream.response.header(name) is not None and client.response.header(name) is not None
    ]


def _probe_outcome(
    probe: Probe,
    client: Exchange,
    upstream: Exchange | None,
    findings: list[Finding],
    kept: Sequence[str] = (),
) -> ProbeOutcome:
    answer = client.response
    return ProbeOutcome(
        name=probe.name,
        client_status=None if answer is None else answer.status,
        upstream_status=None
        if upstream is None
        else (upstream.response.status if upstream.response else None),
        changes=(*kept, *_probe_changes(findings)),
        message=error_message(answer.json) if answer is not None and answer.status >= 400 else "",
        spec_accepts=probe.spec_accepts,
        forced=probe.upstream_status is not None,
    )


def analyse(
    comparison: Comparison,
    client: list[Exchange],
    upstream: list[Exchange],
    upstream_url: str,
    is_operation: Callable[[Exchange], bool],
    probes: Mapping[str, Probe] | None = None,
) -> GatewayReport:
    """Pair the run's exchanges and group what the gateway changed.

    `probes` (by tag) are among `client`; each one's outcome is listed too.
    """
    probes = probes or {}
    pairing: Pairing = pair(client, upstream, is_operation)
    report = GatewayReport(
        variant=comparison.client_variant,
        upstream_variant=comparison.upstream_variant,
        upstream_url=upstream_url,
        client_requests=len(client),
        paired=Counter(str(method) for method in pairing.by_method.elements()),
        not_forwarded=len(pairing.not_forwarded),
        unpairable=[_describe(exchange) for exchange in pairing.unpairable],
        upstream_only=[_describe(exchange) for exchange in pairing.upstream_only],
        repeats=sum(pairing.repeats.values()),
    )
    groups: dict[tuple[Side, Kind, str], DeviationGroup] = {}

    def add(finding: Finding, exchange: Exchange) -> None:
        key = (finding.side, finding.kind, finding.field)
        group = groups.get(key)
        if group is None:
            request = exchange.to_json()["request"]
            request["headers"] = {
                name: values
                for name, values in request["headers"].items()
                if name.lower() not in TRANSPORT_HEADERS
            }
            group = groups[key] = DeviationGroup(
                finding.side,
                finding.kind,
                finding.field,
                repro=curl_command(request, comparison.placeholder),
            )
        group.values[(finding.client, finding.upstream)] += 1
        group.tags.add(exchange.tag)

    outcomes: dict[str, ProbeOutcome] = {}
    for paired in pairing.pairs:
        findings = comparison.request_changes(paired.client, paired.upstream)
        findings += comparison.response_changes(paired.client, paired.upstream)
        findings += stream_findings(paired.client, paired.upstream, report.streams)
        for finding in findings:
            add(finding, paired.client)
        if comparison.carried_key(paired.client):
            report.credentials[str(comparison.credential(paired.upstream))] += 1
        probe = probes.get(paired.client.tag)
        if probe is not None:
            kept = _kept_headers(comparison, paired.client, paired.upstream)
            outcomes[paired.client.tag] = _probe_outcome(
                probe, paired.client, paired.upstream, findings, kept
            )
    for exchange in pairing.not_forwarded:
        probe = probes.get(exchange.tag)
        if probe is not None:
            outcomes[exchange.tag] = _probe_outcome(probe, exchange, None, [])
    for exchange in pairing.unpairable:
        probe = probes.get(exchange.tag)
        if probe is not None:
            outcome = _probe_outcome(probe, exchange, None, [])
            outcomes[exchange.tag] = dataclasses.replace(outcome, changes=(UNPAIRED,))
    report.probes = [outcomes[tag] for tag in probes if tag in outcomes]
    report.groups = sorted(
        groups.values(), key=lambda group: (group.side != Side.REQUEST, -group.count, group.field)
    )
    report.not_compared = sorted(comparison.not_compared)
    return report


def write_report(report: GatewayReport, path: Path) -> None:
    """Write gateway.json."""
    path.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")


__all__ = ["Credential", "GatewayReport", "PairedBy", "analyse", "write_report"]
