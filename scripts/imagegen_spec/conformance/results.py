"""What one Schemathesis run found, read from its NDJSON event stream and the guard's stats.

The counts come from the events Schemathesis itself writes (the same data behind its own
summary): each finished scenario carries its recorder, with every case, every interaction
(request and response, the response missing when none came) and every check result. So
"requests" counts recorded interactions, "answered" those with a response, "checks run" the
recorded check results; failures are grouped by check and cause (the failure's title and first
message line, numbers blanked), each group with the number of cases it holds, one request that
repeats it (curl) and the response that failed.

A run can also be cut short: interrupted, crashed, its requests unanswered, requests stopped on
the wire, or a server answering mostly 429 (then nothing was really tested). Each reason is kept
in `cut_short`, and such a run never passes.

A run the cost cap held back (`--max-paid-requests`, 5 by default in live mode) is *limited*: cut
short by a budget the user set or accepted. It is kept apart in `limited`, so the summaries can
say how many cases the cap withheld and how to send them, and like any run cut short it fails:
a run that did not send what it set out to never reads "pass".
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from imagegen_spec.conformance.curl import curl_command
from imagegen_spec.conformance.excerpt import ResponseExcerpt, excerpt
from imagegen_spec.conformance.guard import COST_CAP
from imagegen_spec.conformance.stats import GuardStats, StatsMissing

if TYPE_CHECKING:
    from imagegen_spec.conformance.gateway.report import GatewayReport

IGNORED_AUTH = "ignored_auth"
INVALID_CREDENTIALS = "invalid credentials provided"
WRONG_KEY = "not-the-key"
RATE_LIMITED = 429
MOSTLY_RATE_LIMITED = 0.5
"""A run whose answers are more than this share 429 tested the rate limiter, not the server."""


@dataclass
class FailureGroup:
    """The failures of one check for one cause: how many cases, and one worked example."""

    check: str
    cause: str
    title: str
    message: str
    phase: str
    curl: str | None
    response: ResponseExcerpt | None
    cases: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        """The number of cases that failed this way."""
        return len(self.cases)


@dataclass
class VariantResult:
    """The outcome of conformance checks of one variant against one target."""

    variant: str
    target: str
    cases_by_phase: Counter[str] = field(default_factory=Counter)
    """Requests sent (recorded interactions), by phase."""
    unanswered_by_phase: Counter[str] = field(default_factory=Counter)
    """Requests that got no response (timeout, dropped connection), by phase."""
    statuses: Counter[int] = field(default_factory=Counter)
    checks_run: int = 0
    checks_by_name: Counter[str] = field(default_factory=Counter)
    failures_by_check: Counter[str] = field(default_factory=Counter)
    groups: list[FailureGroup] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cut_short: list[str] = field(default_factory=list)
    limited: list[str] = field(default_factory=list)
    """Why the run sent less than it would without the user's cost cap (a fail, as cut short)."""
    skipped: Counter[str] = field(default_factory=Counter)
    billable_sent: int = 0
    images_billable: int = 0
    paid: int = 0
    paid_beyond_spec: int = 0
    blocked: list[str] = field(default_factory=list)
    interrupted: bool = False
    exit_code: int = 0
    gateway: GatewayReport | None = None

    @property
    def cases_sent(self) -> int:
        """Requests sent, answered or not, over all phases."""
        return sum(self.cases_by_phase.values())

    @property
    def unanswered(self) -> int:
        """Requests that got no response, over all phases."""
        return sum(self.unanswered_by_phase.values())

    @property
    def answered(self) -> int:
        """Requests that got a response, over all phases."""
        return self.cases_sent - self.unanswered

    @property
    def failures(self) -> int:
        """Failed check results, over all checks."""
        return sum(self.failures_by_check.values())

    @property
    def deviations(self) -> int:
        """Gateway mode: what the gateway changed on either side, in cases (0 otherwise)."""
        return self.gateway.deviation_cases if self.gateway is not None else 0

    @property
    def passed(self) -> bool:
        """Whether the run completed with no failure, error, deviation or blocked request."""
        return (
            self.exit_code == 0
            and not self.failures
            and not self.errors
            and not self.blocked
            and not self.interrupted
            and not self.cut_short
            and not self.limited
            and not self.deviations
        )


def cause_of(title: str, message: str) -> str:
    """A failure's cause: its title and first message line, numbers blanked (so values group)."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    text = f"{title}: {first}" if first and first != title else title
    return re.sub(r"\d+", "N", text)


Event = dict[str, Any]
"""One line of Schemathesis' NDJSON report: `{"<EventName>": payload}`."""


class EngineFinished(TypedDict, total=False):
    """The payload of the `EngineFinished` event (the part read)."""

    running_time: float


def read_events(path: Path) -> list[Event]:
    """Read an NDJSON event file (missing file: no events)."""
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            events.append(json.loads(line))
    return events


def read_guard_stats(result: VariantResult, path: Path) -> GuardStats:
    """The guard's stats of a run; when they are missing, the run is cut short (never zeros)."""
    try:
        return GuardStats.read(path)
    except StatsMissing as error:
        result.cut_short.append(str(error))
        return GuardStats()


def collect(
    result: VariantResult,
    events: list[Event],
    stats: GuardStats,
    placeholder: str,
    secret: str = "",
) -> VariantResult:
    """Fill a result from the NDJSON events and the guard stats of one run.

    `secret` (the key) is redacted from every response excerpt, in case a server echoes it.
    """
    groups: dict[tuple[str, str], FailureGroup] = {}
    for event in events:
        ((kind, payload),) = event.items()
        if kind == "ScenarioFinished":
            _scenario(result, payload, placeholder, secret, groups)
        elif kind in ("NonFatalError", "FatalError"):
            result.errors.append(_error_text(payload))
            if kind == "FatalError":
                result.cut_short.append(f"Schemathesis stopped on an error: {_error_text(payload)}")
        elif kind == "Interrupted":
            result.interrupted = True
            result.cut_short.append("the run was interrupted")
    result.groups = sorted(groups.values(), key=lambda group: (-group.count, group.check))
    for reason in stats.withheld:
        result.skipped[reason] += stats.withheld_total(reason)
    result.billable_sent = stats.billable.total()
    result.images_billable = stats.images.total()
    result.paid = stats.paid.total()
    result.paid_beyond_spec = stats.paid_beyond_spec.total()
    result.blocked = list(stats.blocked)
    _cut_short(result)
    return result


def _cut_short(result: VariantResult) -> None:
    """Add every reason the run did not test what it set out to (and what the cap withheld)."""
    if result.exit_code not in (0, 1):
        result.cut_short.append(f"Schemathesis exited with status {result.exit_code} (a crash)")
    if result.skipped[COST_CAP]:
        result.limited.append(
            f"the cost cap (--max-paid-requests) withheld {result.skipped[COST_CAP]} cases; "
            "raise it to send them (each could generate a billed image)"
        )
    if result.blocked:
        result.cut_short.append(f"the guard stopped {len(result.blocked)} requests on the wire")
    if result.unanswered:
        result.cut_short.append(
            f"{result.unanswered} of {result.cases_sent} requests got no answer "
            "(timeout or dropped connection)"
        )
    limited = result.statuses[RATE_LIMITED]
    if result.answered and limited > MOSTLY_RATE_LIMITED * result.answered:
        result.cut_short.append(
            f"{limited} of {result.answered} answers were 429 (rate limited, after retries): "
            "the server was barely tested"
        )


def _scenario(
    result: VariantResult,
    payload: dict[str, Any],
    placeholder: str,
    secret: str,
    groups: dict[tuple[str, str], FailureGroup],
) -> None:
    phase = str(payload.get("phase"))
    recorder = payload.get("recorder") or {}
    interactions = recorder.get("interactions") or {}
    result.cases_by_phase[phase] += len(interactions)
    for interaction in interactions.values():
        response = interaction.get("response")
        if response is None:
            result.unanswered_by_phase[phase] += 1
        else:
            result.statuses[int(response["status_code"])] += 1
    for case_id, results in (recorder.get("checks") or {}).items():
        for check in results:
            name = str(check["name"])
            result.checks_run += 1
            result.checks_by_name[name] += 1
            if check.get("status") == "error":
                result.errors.append(f"{name} raised an error on case {case_id}")
            if check.get("status") != "failure":
                continue
            result.failures_by_check[name] += 1
            failure = (check.get("failure_info") or {}).get("failure") or {}
            message = str(failure.get("message", ""))
            title = str(failure.get("title", name))
            failing_case = str(failure.get("case_id") or case_id)
            key = (name, cause_of(title, message))
            group = groups.get(key)
            if group is None:
                interaction = interactions.get(failing_case) or interactions.get(case_id)
                group = groups[key] = _group(
                    name, key[1], title, message, phase, interaction, placeholder, secret
                )
            group.cases.add(failing_case)


def _group(
    check: str,
    cause: str,
    title: str,
    message: str,
    phase: str,
    interaction: dict[str, Any] | None,
    placeholder: str,
    secret: str,
) -> FailureGroup:
    curl = curl_command(interaction["request"], placeholder) if interaction else None
    if curl and check == IGNORED_AUTH and INVALID_CREDENTIALS in message:
        # The probe sent a made-up key, which sanitizing hid behind the placeholder too.
        curl = curl.replace(placeholder, WRONG_KEY)
    response = interaction.get("response") if interaction else None
    return FailureGroup(
        check=check,
        cause=cause,
        title=title,
        message=message,
        phase=phase,
        curl=curl,
        response=excerpt(response, secret, placeholder) if response else None,
    )


def _error_text(payload: dict[str, Any]) -> str:
    value = payload.get("value")
    if isinstance(value, dict):
        text = value.get("message") or value.get("title") or json.dumps(value)
    else:
        text = str(value if value is not None else payload)
    label = payload.get("label")
    return f"{label}: {text}" if label else str(text)
