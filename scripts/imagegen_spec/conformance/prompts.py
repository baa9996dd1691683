"""The only prompts a live run sends with its key, and how a body's prompts are read.

A fuzzer's prompt may be anything; against a paid provider it could trip a content policy (and
flag the account) or simply cost more. And a provider may be more lenient than the spec: it may
generate images for a body the spec rejects. So in a live run every request that carries the key
and a string `prompt` carries one of these short, plainly harmless prompts instead, whatever the
spec says of the rest of its body (guard.py decides which bodies can get one).
"""

from __future__ import annotations

import json
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
    body: dict[str, Any], keeps: Callable[[dict[str, Any]], bool]
) -> dict[str, Any] | None:
    """The body with a safe prompt that `keeps` accepts, or None when no safe prompt does.

    The choice depends only on the original prompt, so a run with a fixed seed stays repeatable.
    """
    original = str(body.get(PROMPT_FIELD, ""))
    start = zlib.crc32(original.encode("utf-8", "surrogatepass")) % len(SAFE_PROMPTS)
    for offset in range(len(SAFE_PROMPTS)):
        candidate = {**body, PROMPT_FIELD: SAFE_PROMPTS[(start + offset) % len(SAFE_PROMPTS)]}
        if keeps(candidate):
            return candidate
    return None


class _Members(list[tuple[str, Any]]):
    """A JSON object as its members in order, duplicate names kept."""


def prompts_in(raw: bytes | None) -> list[str]:
    """Every string `prompt` member of a body that is a JSON object (none for any other body).

    Read as leniently as a lenient server might: any UTF encoding, a BOM, NaN, and duplicate
    names (each `prompt` counts, since a server may take the first or the last).
    """
    if not raw:
        return []
    try:
        text = raw.decode(json.detect_encoding(raw), "surrogatepass").lstrip("\ufeff")
        document = json.loads(text, object_pairs_hook=_Members)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return []
    if not isinstance(document, _Members):
        return []
    return [value for name, value in document if name == PROMPT_FIELD and isinstance(value, str)]


def all_safe(prompts: list[str]) -> bool:
    """Tell whether every prompt is on the safe list."""
    return all(prompt in SAFE_PROMPTS for prompt in prompts)
