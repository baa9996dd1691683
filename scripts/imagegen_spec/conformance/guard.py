"""Cost control: which requests may be sent, counted, paced, and written down.

A live provider may be more lenient than the spec: it may generate (and bill) images for a body
the spec rejects, say gpt-image with `n: 7` or dall-e-2 with `quality: hd`. So the guard calls a
request *billable* when it carries the run's key and its body is a JSON object with a string
`prompt`, on any path and whatever the spec says of the rest (`prompts.prompts_in`). Two rules
follow, in a live run:

- The cap (`--max-paid-requests`) counts every billable request answered 2xx, and every one that
  got no answer at all (it may have been generated). Once the count reaches the cap, no billable
  request is sent any more; requests without the key or without a string prompt still go.
- A billable request carries a prompt from the safe list, never a fuzzer's. At admission, the
  prompt of every body with a string prompt is replaced by a safe one chosen so that the body's
  validation errors stay exactly what they were: a valid body stays valid, an invalid one stays
  invalid in the same places for the same reasons (so a negative-only run stays negative). When
  the prompt itself is what the spec rejects (empty, too long), no safe prompt can keep that, so
  the case is withheld if it would carry the key (the mock run tests those prompts), and sent
  unchanged if it would not (it cannot be billed).

Three gates apply them, all driven by the same reading of the spec (`wire.read`):

- `admit` runs when Schemathesis generates a case. A case it refuses is never sent and counts as
  skipped (withheld), with the reason: the cap, a valid body in a negative-only run, or no safe
  prompt. It gives the case its safe prompt. It also reserves the cap for the cases the spec
  accepts, all but the last slot (when the cap is 2 or more): against a server that rejects what
  the spec rejects, negative cases then go on for the whole run, while the first one a lenient
  server accepts spends that slot and stops every further billable request.
- `check_outgoing` runs on the exact request about to be sent for a case (Schemathesis'
  `before_call`, retries after a 429 included): it counts the request, paces it, and refuses it
  when it would break a rule; the exception makes Schemathesis report an error, so a bypass
  can never pass silently.
- `sending` and `answered` run on every request that goes on the wire (hooks.py wraps the
  `requests` transport), including those Schemathesis sends past `before_call`: the probes of
  the `ignored_auth` check (the admitted case's body without the key, or with a wrong one), the
  control request of a content-type check (the case's body with the key), a resend after a
  dropped connection. `sending` is the hard limit, with the same rules; `answered` counts what
  the cap counts.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pyrate_limiter import Duration, Limiter, Rate

from imagegen_spec.conformance.credentials import CredentialScheme
from imagegen_spec.conformance.prompts import PROMPT_FIELD, all_safe, prompts_in, with_safe_prompt
from imagegen_spec.conformance.settings import HookSettings
from imagegen_spec.conformance.stats import GuardStats
from imagegen_spec.conformance.wire import Reading, WireRequest, body_errors, read
from imagegen_spec.core.request import effective_request, image_request
from imagegen_spec.core.variant import variant_model

RATE_UNITS = {"s": Duration.SECOND, "m": Duration.MINUTE, "h": Duration.HOUR, "d": Duration.DAY}

COST_CAP = "cost cap reached"
NEGATIVE_ONLY = "valid body in a negative-only run"
NO_SAFE_PROMPT = "no safe prompt keeps the body's validity"
PROMPT_UNDER_TEST = "the prompt is what the spec rejects, and would go with the key"
UNSAFE_PROMPT = "the key with a prompt that is not on the safe list"
BEYOND_JSON_SCHEMA = "generated as valid, but refused by a spec rule JSON Schema cannot state"


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


@dataclass(frozen=True)
class Ticket:
    """A request on the wire that the cap may count once it is answered."""

    billable: bool
    beyond_spec: bool


UNCOUNTED = Ticket(billable=False, beyond_spec=False)


class CostGuard:
    """Admission, the hard limit and pacing for one run of one variant."""

    def __init__(self, settings: HookSettings, scheme: CredentialScheme, key: str | None) -> None:
        """Set up the counters; `key` is the credential billable requests carry."""
        self.settings = settings
        self.scheme = scheme
        self.key = key
        self.stats = GuardStats()
        self._admitted_valid = 0
        self._paid = 0
        self._in_flight = 0
        self._phase = "unknown"
        self._lock = threading.Lock()
        self._limiter: Limiter | None = None
        if settings.rate_limit:
            count, unit = parse_rate(settings.rate_limit)
            self._limiter = Limiter(Rate(count, RATE_UNITS[unit]))

    @property
    def active(self) -> bool:
        """Whether any rule applies (a plain run against the mock has none)."""
        settings = self.settings
        return (
            settings.max_paid_requests is not None
            or settings.negative_only
            or settings.safe_prompts
        )

    def _could_bill(self, headers: dict[str, str], *, exact: bool) -> bool:
        """Whether headers send the key; at admission a missing header counts (added later)."""
        if self.key is None:
            return False
        return self.scheme.carries(headers, self.key) or (not exact and self.scheme.absent(headers))

    def admit(self, request: WireRequest, phase: str, body: Any) -> tuple[bool, Any]:
        """Decide whether a generated case is sent; return (admitted, the body to send).

        `request` is the case as it would go on the wire, `body` the case's body as generated
        (the object a safe prompt goes into, whatever media type it is sent as).
        """
        reading = read(self.settings.variant, request)
        could_bill = self._could_bill(dict(request.headers), exact=False)
        wire_prompts = prompts_in(request.body)
        with self._lock:
            if self.settings.negative_only and reading.body_valid:
                return self._withhold(NEGATIVE_ONLY, phase), body
            has_prompt = isinstance(body, dict) and isinstance(body.get(PROMPT_FIELD), str)
            if self.settings.safe_prompts and has_prompt:
                problem, safe_body = self._with_safe_prompt(body)
                if problem is not None and could_bill:
                    return self._withhold(problem, phase), body
                body = safe_body if safe_body is not None else body
            elif self.settings.safe_prompts and could_bill and not all_safe(wire_prompts):
                # A prompt only the serialized body shows (say, a raw string body): none to swap.
                return self._withhold(NO_SAFE_PROMPT, phase), body
            if not (could_bill and (has_prompt or wire_prompts)):
                return True, body
            cap = self.settings.max_paid_requests
            if cap is None:
                return True, body
            if self._paid + self._in_flight >= cap:
                return self._withhold(COST_CAP, phase), body
            if reading.could_generate_image:
                if self._admitted_valid >= self._valid_share(cap):
                    return self._withhold(COST_CAP, phase), body
                self._admitted_valid += 1
            return True, body

    def check_outgoing(self, request: WireRequest, phase: str) -> None:
        """Count a case's request about to be sent and pace it; raise RequestWithheld to stop it."""
        reading = read(self.settings.variant, request)
        carries_key = self._could_bill(dict(request.headers), exact=True)
        with self._lock:
            self._phase = phase
            problem = self._refusal(request, reading)
            if problem is not None:
                self._block(request, problem)
            self.stats.sent[phase] += 1
            if carries_key and reading.could_generate_image:
                self.stats.billable[phase] += 1
                self.stats.images[phase] += self._image_count(reading.body)
        if self._limiter is not None:
            self._limiter.try_acquire("target")

    def sending(self, request: WireRequest) -> Ticket:
        """Check a request about to go on the wire (raise RequestWithheld to stop it)."""
        if not self.active:
            return UNCOUNTED
        reading = read(self.settings.variant, request)
        with self._lock:
            problem = self._refusal(request, reading)
            if problem is not None:
                self._block(request, problem)
            if not self._billable(request):
                return UNCOUNTED
            self._in_flight += 1
            return Ticket(billable=True, beyond_spec=not reading.could_generate_image)

    def answered(self, ticket: Ticket, status: int | None) -> None:
        """Count a request's answer (None: none came) against the cap if it may have cost."""
        if not ticket.billable:
            return
        with self._lock:
            self._in_flight -= 1
            if status is None or 200 <= status < 300:
                self._paid += 1
                self.stats.paid[self._phase] += 1
                if ticket.beyond_spec:
                    self.stats.paid_beyond_spec[self._phase] += 1

    def write_stats(self) -> None:
        """Write the stats file the runner reads."""
        self.stats.write(self.settings.stats_file)

    def _billable(self, request: WireRequest) -> bool:
        """Whether a lenient server could bill the request: the key and a string prompt."""
        return self._could_bill(dict(request.headers), exact=True) and bool(
            prompts_in(request.body)
        )

    def _refusal(self, request: WireRequest, reading: Reading) -> str | None:
        """The rule sending `request` would break, if any (call with the lock held)."""
        if self.settings.negative_only and reading.body_valid:
            return NEGATIVE_ONLY
        if not self._billable(request):
            return None
        if self.settings.safe_prompts and not all_safe(prompts_in(request.body)):
            return UNSAFE_PROMPT
        cap = self.settings.max_paid_requests
        if cap is not None and self._paid + self._in_flight >= cap:
            return COST_CAP
        return None

    def _block(self, request: WireRequest, problem: str) -> None:
        message = f"{request.method} {request.path}: not sent: {problem}"
        self.stats.blocked.append(message)
        raise RequestWithheld(f"withheld by the conformance guard: {message}")

    def _with_safe_prompt(self, body: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
        """(None, the body with a safe prompt and the same errors) or (why there is none, None)."""
        variant = self.settings.variant
        errors = body_errors(variant, body)
        if any(path[:1] == (PROMPT_FIELD,) for path, _ in errors):
            return PROMPT_UNDER_TEST, None
        safe = with_safe_prompt(body, lambda candidate: body_errors(variant, candidate) == errors)
        return (NO_SAFE_PROMPT, None) if safe is None else (None, safe)

    @staticmethod
    def _valid_share(cap: int) -> int:
        """How many cases the spec accepts admission lets through: the cap but its last slot."""
        return cap - 1 if cap >= 2 else cap

    def withhold(self, reason: str, phase: str) -> bool:
        """Withhold a case for a reason of the hooks' own; count it (always returns False)."""
        with self._lock:
            return self._withhold(reason, phase)

    def _withhold(self, reason: str, phase: str) -> bool:
        self.stats.withheld.setdefault(reason, Counter())[phase] += 1
        return False

    def _image_count(self, body: Any) -> int:
        model = variant_model(self.settings.variant)
        return image_request(model, effective_request(model, body)).n
