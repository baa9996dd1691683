"""The Schemathesis hooks of a conformance run (the config's `hooks` names this module).

Loaded inside the Schemathesis process: it registers the custom checks and puts the cost guard
(`guard.CostGuard`) on both paths a request takes: generation (`filter_case`, and
`before_add_examples` for the spec's own examples, which `filter_case` does not see) and the
request path (`before_call`, which every request Schemathesis sends for a case passes, its retries
included; `after_call` tells the guard how each was answered).
"""

from __future__ import annotations

import atexit
import os
from typing import Any

import requests
import schemathesis

from imagegen_spec.conformance import checks  # noqa: F401  (registers the custom checks)
from imagegen_spec.conformance.credentials import credential_scheme, env_var
from imagegen_spec.conformance.guard import CostGuard
from imagegen_spec.conformance.settings import settings_from_env
from imagegen_spec.conformance.wire import WireRequest

AnyCase = schemathesis.Case[Any]  # the case of any operation

SETTINGS = settings_from_env()
GUARD = CostGuard(
    SETTINGS,
    credential_scheme(SETTINGS.variant),
    os.environ.get(env_var(SETTINGS.variant)) or None,
)
atexit.register(GUARD.write_stats)


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


def _admit(case: AnyCase) -> bool:
    request = _wire(case)
    if request is None:
        # Unsendable as generated: Schemathesis reports it; a negative-only run keeps it out.
        return not SETTINGS.negative_only
    admitted, body = GUARD.admit(request, _phase(case))
    if admitted and isinstance(body, dict) and body != case.body:
        # The safe prompt replaces the generated one; the body stays valid (prompts.py).
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
        GUARD.check_outgoing(request, _phase(case), case.id)


@schemathesis.hook
def after_call(
    context: schemathesis.HookContext, case: AnyCase, response: schemathesis.Response
) -> None:
    """Tell the guard how the request was answered (a 429 or 401 generated no image)."""
    GUARD.record_response(case.id, response.status_code)
