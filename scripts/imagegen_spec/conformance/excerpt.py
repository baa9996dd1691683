"""A recorded response cut down to what a reader needs: status, the headers that matter, the body.

The body is truncated to a readable size, with image bytes (long base64 strings, image content)
and the run's secret replaced by short notes, so a summary can show the response that failed
without a megabyte of base64 or the key in it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

BODY_LIMIT = 700
"""Characters of a body shown in a summary."""
RELEVANT_HEADERS = ("content-type", "retry-after", "www-authenticate", "allow", "location")
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]{200,}$")


@dataclass(frozen=True)
class ResponseExcerpt:
    """What a summary shows of one response."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: str

    def lines(self) -> list[str]:
        """The excerpt as text lines: `HTTP <status>`, the headers, the body."""
        head = [f"HTTP {self.status}"] + [f"{name}: {value}" for name, value in self.headers]
        return head + ([self.body] if self.body else [])


def recorded_bytes(content: Any) -> bytes:
    """The bytes of a recorded body: `{"$base64": ...}` or text (nothing for anything else)."""
    if isinstance(content, Mapping) and "$base64" in content:
        try:
            return base64.b64decode(str(content["$base64"]))
        except (binascii.Error, ValueError):
            return b""
    if isinstance(content, str):
        return content.encode("utf-8")
    return b""


def header_values(headers: Mapping[str, Any], name: str) -> list[str]:
    """Every value of a header (any case) in a recorded `{name: [values]}` or `{name: value}`."""
    found: list[str] = []
    for key, value in headers.items():
        if key.lower() == name.lower():
            found += [str(item) for item in value] if isinstance(value, list) else [str(value)]
    return found


def redact_images(value: Any) -> Any:
    """A JSON value with every long base64 string replaced by a note of its length."""
    if isinstance(value, dict):
        return {key: redact_images(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_images(item) for item in value]
    if isinstance(value, str) and _BASE64.match(value):
        return f"<base64 image data, {len(value):,} characters>"
    return value


def body_text(raw: bytes, content_type: str, secret: str = "", placeholder: str = "") -> str:
    """A body as readable text: JSON compact with images redacted, truncated, secret hidden."""
    if content_type.startswith("image/"):
        return f"<{len(raw):,} bytes of {content_type}>"
    try:
        text = json.dumps(redact_images(json.loads(raw)), ensure_ascii=False)
    except (ValueError, UnicodeDecodeError):
        text = raw.decode("utf-8", "replace")
    if secret:
        text = text.replace(secret, placeholder or "<secret>")
    if len(text) > BODY_LIMIT:
        text = text[:BODY_LIMIT] + f"... ({len(text):,} characters in all)"
    return text


def excerpt(
    response: Mapping[str, Any], secret: str = "", placeholder: str = ""
) -> ResponseExcerpt:
    """Cut a recorded response (`status_code`, `headers`, `content`) down for a summary."""
    headers: Mapping[str, Any] = response.get("headers") or {}
    shown = tuple(
        (name, value) for name in RELEVANT_HEADERS for value in header_values(headers, name)
    )
    content_type = next(iter(header_values(headers, "content-type")), "")
    raw = recorded_bytes(response.get("content", response.get("body")))
    return ResponseExcerpt(
        status=int(response["status_code"]),
        headers=shown,
        body=body_text(raw, content_type, secret, placeholder),
    )
