"""What one Schemathesis run found, read from its NDJSON event stream and the guard's stats.

The counts come from the events Schemathesis itself writes (the same data behind its own
summary): each finished scenario carries its recorder, with every case, every interaction
(request and response) and every check result. So "cases sent" is the number of recorded
interactions, "checks run" the number of recorded check results, and failures are counted per
check by name, built-in and custom alike.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, cast

from imagegen_spec.conformance.curl import curl_command
from imagegen_spec.conformance.stats import GuardStats, StatsMissing

MAX_EXAMPLES_PER_CHECK = 3
IGNORED_AUTH = "ignored_auth"
INVALID_CREDENTIALS = "invalid credentials provided"
WRONG_KEY = "not-the-key"


# The parts of Schemathesis' NDJSON events (`--report ndjson`) the runner reads; each line is
# `{"<EventName>": payload}`. Only the keys read are declared (total=False: any may be absent).


class CheckFailure(TypedDict, total=False):
    """`failure_info.failure` of a failed check."""

    message: str
    title: str
    case_id: str


class FailureInfo(TypedDict, total=False):
    """`failure_info` of a check result."""

    failure: CheckFailure


class CheckResult(TypedDict, total=False):
    """One check's result on one case."""

    name: str
    status: str
    failure_info: FailureInfo


class Interaction(TypedDict, total=False):
    """One request and its response, as recorded."""

    request: dict[str, Any]


class Recorder(TypedDict, total=False):
    """What a scenario recorded, by case id."""

    interactions: dict[str, Interaction]
    checks: dict[str, list[CheckResult]]


class ScenarioFinished(TypedDict, total=False):
    """The payload of a `ScenarioFinished` event."""

    phase: str
    recorder: Recorder


class ErrorPayload(TypedDict, total=False):
    """The payload of a `NonFatalError` or `FatalError` event."""

    value: Any
    label: str


class EngineFinished(TypedDict, total=False):
    """The payload of the `EngineFinished` event."""

    running_time: float


Event = dict[str, Any]
"""One NDJSON line: `{"<EventName>": payload}`; the payload is read as one of the types above."""


@dataclass(frozen=True)
class FailureExample:
    """One distinct failure of a check, with a command that sends the same request."""

    check: str
    title: str
    message: str
    phase: str
    curl: str | None


@dataclass
class VariantResult:
    """The outcome of conformance checks of one variant against one target."""

    variant: str
    target: str
    cases_by_phase: Counter[str] = field(default_factory=Counter)
    checks_run: int = 0
    checks_by_name: Counter[str] = field(default_factory=Counter)
    failures_by_check: Counter[str] = field(default_factory=Counter)
    examples: list[FailureExample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    billable_sent: int = 0
    images_billable: int = 0
    paid: int = 0
    paid_beyond_spec: int = 0
    blocked: list[str] = field(default_factory=list)
    interrupted: bool = False
    exit_code: int = 0

    @property
    def cases_sent(self) -> int:
        """Requests sent and answered, over all phases."""
        return sum(self.cases_by_phase.values())

    @property
    def failures(self) -> int:
        """Failed check results, over all checks."""
        return sum(self.failures_by_check.values())

    @property
    def passed(self) -> bool:
        """Whether the run completed with no failure, error or blocked request."""
        return (
            self.exit_code == 0
            and not self.failures
            and not self.errors
            and not self.blocked
            and not self.interrupted
        )


def _normalized(message: str) -> str:
    """A failure message with numbers blanked, so failures differing only in values group."""
    return re.sub(r"\d+", "N", message.strip().splitlines()[0] if message.strip() else "")


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
    """The guard's stats of a run; when they are missing, an error of the run (never zeros)."""
    try:
        return GuardStats.read(path)
    except StatsMissing as error:
        result.errors.append(str(error))
        return GuardStats()


def collect(
    result: VariantResult, events: list[Event], stats: GuardStats, placeholder: str
) -> VariantResult:
    """Fill a result from the NDJSON events and the guard stats of one run."""
    seen: set[tuple[str, str]] = set()
    per_check: Counter[str] = Counter()
    for event in events:
        ((kind, payload),) = event.items()
        if kind == "ScenarioFinished":
            _scenario(result, cast(ScenarioFinished, payload), placeholder, seen, per_check)
        elif kind in ("NonFatalError", "FatalError"):
            result.errors.append(_error_text(cast(ErrorPayload, payload)))
        elif kind == "Interrupted":
            result.interrupted = True
    for reason in stats.withheld:
        result.skipped[reason] += stats.withheld_total(reason)
    result.billable_sent = stats.billable.total()
    result.images_billable = stats.images.total()
    result.paid = stats.paid.total()
    result.paid_beyond_spec = stats.paid_beyond_spec.total()
    result.blocked = list(stats.blocked)
    return result


def _scenario(
    result: VariantResult,
    payload: ScenarioFinished,
    placeholder: str,
    seen: set[tuple[str, str]],
    per_check: Counter[str],
) -> None:
    phase = str(payload.get("phase"))
    recorder: Recorder = payload.get("recorder") or {}
    interactions: dict[str, Interaction] = recorder.get("interactions") or {}
    result.cases_by_phase[phase] += len(interactions)
    for case_id, results in (recorder.get("checks") or {}).items():
        for check in results:
            result.checks_run += 1
            result.checks_by_name[str(check["name"])] += 1
            if check.get("status") != "failure":
                continue
            name = str(check["name"])
            result.failures_by_check[name] += 1
            failure: CheckFailure = (check.get("failure_info") or {}).get("failure") or {}
            message = str(failure.get("message", ""))
            key = (name, _normalized(message))
            if key in seen or per_check[name] >= MAX_EXAMPLES_PER_CHECK:
                continue
            seen.add(key)
            per_check[name] += 1
            failing_case = str(failure.get("case_id") or case_id)
            interaction = interactions.get(failing_case) or interactions.get(case_id)
            curl = curl_command(interaction["request"], placeholder) if interaction else None
            if curl and name == IGNORED_AUTH and INVALID_CREDENTIALS in message:
                # The probe sent a made-up key, which sanitizing hid behind the placeholder too.
                curl = curl.replace(placeholder, WRONG_KEY)
            result.examples.append(
                FailureExample(
                    check=name,
                    title=str(failure.get("title", name)),
                    message=message,
                    phase=phase,
                    curl=curl,
                )
            )


def _error_text(payload: ErrorPayload) -> str:
    value = payload.get("value")
    if isinstance(value, dict):
        text = value.get("message") or value.get("title") or json.dumps(value)
    else:
        text = str(value if value is not None else payload)
    label = payload.get("label")
    return f"{label}: {text}" if label else str(text)
