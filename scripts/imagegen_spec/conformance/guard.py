"""Cost control: which requests may be sent, counted, paced, and written down.

Two gates, both driven by the same reading of the spec (`wire.read`):

- `admit` runs when Schemathesis generates a case. A case it refuses is never sent and counts as
  skipped (withheld), with the reason: over the paid-request cap, a valid body in a negative-only
  run, or no safe prompt keeps the body valid. Every spec-valid body gets a safe prompt (in a
  live run); admitting a billable case reserves a slot of the cap.
- `check_outgoing` runs on the exact request about to go on the wire, for every send of a case
  (retries after a 429 included). It is the hard limit: a request that would break the cap, a
  negative-only run or the safe-prompt rule is not sent; the exception makes Schemathesis
  report an error, so a bypass can never pass silently.

Schemathesis' `ignored_auth` check sends its probes (the same case without the key, and with a
wrong one) straight to its transport, past `before_call`: they reuse the admitted case's body
(so its safe prompt and its invalidity in a negative-only run) and carry no valid key, so they
cannot be billed to it; they are not paced and not counted here (the NDJSON counts them).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pyrate_limiter import Duration, Limiter, Rate

from imagegen_spec.conformance.credentials import CredentialScheme
from imagegen_spec.conformance.prompts import is_safe, with_safe_prompt
from imagegen_spec.conformance.settings import HookSettings
from imagegen_spec.conformance.wire import WireRequest, is_valid_body, read, runtime
from imagegen_spec.mock.responses import effective_request, image_request

RATE_UNITS = {"s": Duration.SECOND, "m": Duration.MINUTE, "h": Duration.HOUR, "d": Duration.DAY}

# Answers that say no image was generated: re-sending the same case after one (Schemathesis
# retries 429s and replays 401s with fresh credentials) does not cost another slot of the cap.
NOT_GENERATED = frozenset({401, 429})

COST_CAP = "cost cap reached"
NEGATIVE_ONLY = "valid body in a negative-only run"
NO_SAFE_PROMPT = "no safe prompt keeps the body valid"


class RequestWithheld(RuntimeError):
    """A request the guard refused to send."""


def parse_rate(text: str) -> tuple[int, str]:
    """Parse `<count>/<s|m|h|d>` (e.g. `10/m`), raising ValueError that says what is wrong."""
    count, _, unit = text.partition("/")
    if not count.isdigit() or int(count) < 1 or unit not in RATE_UNITS:
        raise ValueError(
            f"invalid rate limit {text!r}: expected <count>/<unit> with a count of at least 1 "
            f"and a unit of {', '.join(RATE_UNITS)} (e.g. 10/m)"
        )
    return int(count), unit


@dataclass
class GuardStats:
    """What the guard let through and held back, by phase."""

    sent: Counter[str] = field(default_factory=Counter)
    billable: Counter[str] = field(default_factory=Counter)
    images: Counter[str] = field(default_factory=Counter)
    withheld: dict[str, Counter[str]] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The stats as plain JSON data."""
        return {
            "sent": dict(self.sent),
            "billable": dict(self.billable),
            "images": dict(self.images),
            "withheld": {reason: dict(phases) for reason, phases in self.withheld.items()},
            "blocked": list(self.blocked),
        }


class CostGuard:
    """Admission, the hard limit and pacing for one run of one variant."""

    def __init__(self, settings: HookSettings, scheme: CredentialScheme, key: str | None) -> None:
        """Set up the counters; `key` is the credential billable requests carry."""
        self.settings = settings
        self.scheme = scheme
        self.key = key
        self.stats = GuardStats()
        self._admitted_billable = 0
        self._sent_billable = 0
        self._charged: set[str] = set()
        self._refunded: set[str] = set()
        self._lock = threading.Lock()
        self._limiter: Limiter | None = None
        if settings.rate_limit:
            count, unit = parse_rate(settings.rate_limit)
            self._limiter = Limiter(Rate(count, RATE_UNITS[unit]))

    def _could_bill(self, headers: dict[str, str], *, exact: bool) -> bool:
        """Whether headers send the key; at admission a missing header counts (added later)."""
        if self.key is None:
            return False
        return self.scheme.carries(headers, self.key) or (not exact and self.scheme.absent(headers))

    def admit(self, request: WireRequest, phase: str) -> tuple[bool, Any]:
        """Decide whether a generated case is sent; return (admitted, body to send)."""
        reading = read(self.settings.variant, request)
        body = reading.body
        with self._lock:
            if self.settings.negative_only and reading.body_valid:
                return self._withhold(NEGATIVE_ONLY, phase), body
            if self.settings.safe_prompts and reading.body_valid and isinstance(body, dict):
                body = with_safe_prompt(body, lambda candidate: self._valid(candidate))
                if body is None:
                    return self._withhold(NO_SAFE_PROMPT, phase), None
            billable = reading.could_generate_image and self._could_bill(
                dict(request.headers), exact=False
            )
            if not billable:
                return True, body
            cap = self.settings.max_paid_requests
            if cap is not None and self._admitted_billable >= cap:
                return self._withhold(COST_CAP, phase), body
            self._admitted_billable += 1
            return True, body

    def check_outgoing(self, request: WireRequest, phase: str, case_id: str) -> None:
        """Count a request about to be sent and pace it; raise RequestWithheld to stop it."""
        reading = read(self.settings.variant, request)
        billable = reading.could_generate_image and self._could_bill(
            dict(request.headers), exact=True
        )
        with self._lock:
            resent = case_id in self._refunded
            self._refunded.discard(case_id)
            billable = billable and not resent
            problem = None
            if self.settings.negative_only and reading.body_valid:
                problem = NEGATIVE_ONLY
            elif self.settings.safe_prompts and reading.body_valid and not is_safe(reading.body):
                problem = "a valid body with a prompt that is not on the safe list"
            elif billable and self._over_cap():
                problem = COST_CAP
            if problem is not None:
                message = f"{request.method} {request.path}: not sent: {problem}"
                self.stats.blocked.append(message)
                raise RequestWithheld(f"withheld by the conformance guard: {message}")
            self.stats.sent[phase] += 1
            if billable:
                self._charged.add(case_id)
                self._sent_billable += 1
                self.stats.billable[phase] += 1
                self.stats.images[phase] += self._image_count(reading.body)
        if self._limiter is not None:
            self._limiter.try_acquire("target")

    def record_response(self, case_id: str, status: int) -> None:
        """Note an answer; one that generated no image makes the case's next send free."""
        with self._lock:
            if case_id in self._charged and status in NOT_GENERATED:
                self._refunded.add(case_id)

    def write_stats(self) -> None:
        """Write the stats file the runner reads."""
        self.settings.stats_file.write_text(json.dumps(self.stats.to_json(), indent=2) + "\n")

    def _over_cap(self) -> bool:
        cap = self.settings.max_paid_requests
        return cap is not None and self._sent_billable >= cap

    def _withhold(self, reason: str, phase: str) -> bool:
        self.stats.withheld.setdefault(reason, Counter())[phase] += 1
        return False

    def _valid(self, body: dict[str, Any]) -> bool:
        return is_valid_body(self.settings.variant, body)

    def _image_count(self, body: Any) -> int:
        spec = runtime(self.settings.variant)
        return image_request(spec, effective_request(spec, body)).n
