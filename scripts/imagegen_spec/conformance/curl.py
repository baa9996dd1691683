"""A curl command that repeats one recorded request, the credential left as a shell variable.

Schemathesis prints its own curl command with each failure (kept in its output and the JUnit
report); this one is built from the NDJSON recording for the Markdown summary. The credential
header holds the placeholder `$IMAGEGEN_<VARIANT>_API_KEY` (Schemathesis wrote it in place of the
key), so that header is double-quoted: the shell then fills in the key from the environment.
"""

from __future__ import annotations

import base64
import shlex
from collections.abc import Mapping
from typing import Any


def _double_quoted(text: str) -> str:
    """Double-quote text for a POSIX shell, leaving `$NAME` to expand."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
    return f'"{escaped}"'


def curl_command(request: Mapping[str, Any], placeholder: str) -> str:
    """Render a recorded request (`method`, `uri`, `headers`, `body`) as a curl command."""
    parts = ["curl", "-X", str(request["method"])]
    headers: Mapping[str, list[str]] = request.get("headers") or {}
    for name, values in headers.items():
        for value in values:
            line = f"{name}: {value}"
            parts += ["-H", _double_quoted(line) if placeholder in value else shlex.quote(line)]
    body = request.get("body")
    note = ""
    if isinstance(body, dict) and "$base64" in body:
        data = base64.b64decode(body["$base64"])
        try:
            parts += ["--data-raw", shlex.quote(data.decode("utf-8"))]
        except UnicodeDecodeError:
            note = "  # the body is not UTF-8 text: see the HAR recording for its bytes"
    elif isinstance(body, str):
        parts += ["--data-raw", shlex.quote(body)]
    parts.append(shlex.quote(str(request["uri"])))
    return " ".join(parts) + note
