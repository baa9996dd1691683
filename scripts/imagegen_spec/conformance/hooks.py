"""The Schemathesis hooks of a conformance run (the config's `hooks` names this module).

Loaded inside the Schemathesis process: it registers the custom checks and puts the cost guard
(`guard.CostGuard`) on every path a request takes: generation (`filter_case`, and
`before_add_examples` for the spec's own examples, which `filter_case` does not see), the
request path of a case (`before_call`, which every request Schemathesis sends for a case passes,
its retries included), and the wire itself.

The wire gate wraps `requests`' `HTTPAdapter.send`, the one call every request Schemathesis makes
over HTTP goes through. Schemathesis has no hook there, and some of its requests skip
`before_call`/`after_call` (the `ignored_auth` probes, a content-type check's control request, a
resend after a dropped connection); the cap must see them all, and count their answers. In
gateway mode the same wrapper tags each request and logs it with its answer (tagging.py), for
pairing with what reached the upstream. The wrapper is installed only in this process, which
exists for one Schemathesis run.
"""

from __future__ import annotations

import atexit
import os
import time
from pathlib import Path
from typing import Any

import requests
import schemathesis
from requests.adapters import HTTPAdapter

from imagegen_spec.conformance import checks  # noqa: F401  (registers the custom checks)
from imagegen_spec.conformance.credentials import credential_scheme, env_var, placeholder
from imagegen_spec.conformance.guard import BEYOND_JSON_SCHEMA, CostGuard
from imagegen_spec.conformance.settings import settings_from_env
from imagegen_spec.conformance.tagging import ExchangeLog, tag_request
from imagegen_spec.conformance.wire import WireRequest
from imagegen_spec.core.request import size_problems
from imagegen_spec.core.variant import variant_model

AnyCase = schemathesis.Case[Any]  # the case of any operation

SETTINGS = settings_from_env()
GUARD = CostGuard(
    SETTINGS,
    credential_scheme(SETTINGS.variant),
    os.environ.get(env_var(SETTINGS.variant)) or None,
)
atexit.register(GUARD.write_stats)
EXCHANGES = (
    ExchangeLog(
        Path(SETTINGS.exchanges_path),
        os.environ.get(env_var(SETTINGS.variant), ""),
        placeholder(SETTINGS.variant),
    )
    if SETTINGS.exchanges_path
    else None
)


def _phase(case: AnyCase) -> str:
    meta = case.meta
    return str(meta.phase.name.value) if meta is not None else "unknown"


def _wire(case: AnyCase) -> WireRequest | None:
    """The request as it will be sent; None when `requests` cannot build it (nor send it)."""
    try:
        kwargs = case.as_transport_kwargs(base_url=SETTINGS.base_url)
        return WireRequest.from_transport_kwargs(kwargs, SETTINGS.base_url)
    except (ValueError, TypeError, requests.RequestException):
        return None


def _beyond_json_schema(case: AnyCase) -> bool:
    """A positive case the spec refuses by a rule JSON Schema cannot state (`x-imagegen-size`).

    Schemathesis generated it from the JSON Schema as valid, so its `positive_data_acceptance`
    would fail the server that rightly refuses it: it is withheld (and counted), not sent.
    """
    meta = case.meta
    if meta is None or str(meta.generation.mode.value) != "positive":
        return False
    body = case.body
    model = variant_model(SETTINGS.variant)
    return bool(model.request.body_is_valid(body) and size_problems(model, body))


def _admit(case: AnyCase) -> bool:
    if _beyond_json_schema(case):
        return GUARD.withhold(BEYOND_JSON_SCHEMA, _phase(case))
    request = _wire(case)
    if request is None:
        # Unsendable as generated: Schemathesis reports it; a negative-only run keeps it out.
        return not SETTINGS.negative_only
    admitted, body = GUARD.admit(request, _phase(case), case.body)
    if admitted and isinstance(body, dict) and body != case.body:
        # The safe prompt replaces the generated one; the body's validity is unchanged (guard.py).
        case.body = body
    return admitted


@schemathesis.hook
def filter_case(context: schemathesis.HookContext, case: AnyCase) -> bool:
    """Withhold generated cases the guard refuses (counted as skipped, never sent)."""
    return _admit(case)


@schemathesis.hook
def before_add_examples(context: schemathesis.HookContext, examples: list[AnyCase]) -> None:
    """Apply the same admission to the cases made from the spec's examples."""
    examples[:] = [case for case in examples if _admit(case)]


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: AnyCase, kwargs: dict[str, Any]) -> None:
    """Count, pace and (when it would break a limit) stop each request before it is sent."""
    request = _wire(case)
    if request is not None:
        GUARD.check_outgoing(request, _phase(case))


_UNGUARDED_SEND = HTTPAdapter.send


def _guarded_send(
    adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any
) -> requests.Response:
    """Send a request on the wire under the guard's hard limit; count (and log) its answer."""
    ticket = GUARD.sending(WireRequest.from_prepared(request, SETTINGS.base_url))
    tag, nonce = tag_request(SETTINGS.variant, request) if EXCHANGES else ("", False)
    sent_at = time.time()
    try:
        response = _UNGUARDED_SEND(adapter, request, *args, **kwargs)
    except BaseException:
        GUARD.answered(ticket, None)
        if EXCHANGES:
            EXCHANGES.write(tag, nonce, request, sent_at, None)
        raise
    GUARD.answered(ticket, response.status_code)
    if EXCHANGES:
        EXCHANGES.write(tag, nonce, request, sent_at, response)
    return response


HTTPAdapter.send = _guarded_send  # type: ignore[method-assign, assignment]
