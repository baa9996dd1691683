"""The only prompts a live run sends in a request that could generate an image.

A fuzzer's prompt may be anything; against a paid provider it could trip a content policy (and
flag the account) or simply cost more. So every spec-valid body gets one of these short, plainly
harmless prompts instead, chosen so that the body stays valid (the spec's length limits apply).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

SAFE_PROMPTS = (
    "A red apple on a wooden table",
    "A lighthouse on a rocky coast at dusk",
    "A bowl of lemons, watercolour",
    "A paper boat on a calm pond",
    "Snow on pine trees",
    "A cup",
)

PROMPT_FIELD = "prompt"


def with_safe_prompt(
    body: dict[str, Any], is_valid: Callable[[dict[str, Any]], bool]
) -> dict[str, Any] | None:
    """The body with a safe prompt that keeps it valid, or None when no safe prompt does.

    The choice depends only on the original prompt, so a run with a fixed seed stays repeatable.
    """
    original = str(body.get(PROMPT_FIELD, ""))
    start = zlib.crc32(original.encode("utf-8", "surrogatepass")) % len(SAFE_PROMPTS)
    for offset in range(len(SAFE_PROMPTS)):
        candidate = {**body, PROMPT_FIELD: SAFE_PROMPTS[(start + offset) % len(SAFE_PROMPTS)]}
        if is_valid(candidate):
            return candidate
    return None


def is_safe(body: Any) -> bool:
    """Tell whether a body's prompt (if it has one) is on the safe list."""
    return not isinstance(body, dict) or body.get(PROMPT_FIELD) in SAFE_PROMPTS
