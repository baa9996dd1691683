"""Render one spec as a single offline HTML page with Redoc, through the pinned Redocly CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.shared.errors import UserError

NODE_TOOLS = REPO_ROOT / "scripts" / "node"
REDOCLY = NODE_TOOLS / "node_modules" / ".bin" / "redocly"
REDOCLY_PACKAGE = NODE_TOOLS / "node_modules" / "@redocly" / "cli" / "package.json"


class DocsBuildError(UserError):
    """A step of the docs build failed; the message says which and why."""


def redocly_version() -> str:
    """The installed Redocly CLI's version."""
    if not REDOCLY_PACKAGE.exists():
        raise DocsBuildError(f"{REDOCLY_PACKAGE} is missing: run `npm ci --prefix scripts/node`")
    return str(json.loads(REDOCLY_PACKAGE.read_text(encoding="utf-8"))["version"])


def build_reference(spec: Path, output: Path) -> None:
    """Write Redoc's page for a spec to `output`, with Redoc's script inlined (no CDN)."""
    if not REDOCLY.exists():
        raise DocsBuildError(
            f"{REDOCLY} is missing: run `npm ci --prefix scripts/node` (`nox -s docs` does)"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    command = [str(REDOCLY), "build-docs", str(spec), "-o", str(output), "--inlineBundle"]
    completed = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=False
    )
    if completed.returncode != 0 or not output.exists():
        raise DocsBuildError(
            f"redocly build-docs {spec.name} failed (exit {completed.returncode}):\n"
            f"{completed.stdout}{completed.stderr}"
        )
