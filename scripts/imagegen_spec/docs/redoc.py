"""Render one spec as an HTML page with Redoc, through the pinned Redocly CLI.

The page loads Redoc's script from Redocly's CDN as Redocly writes it; `redoc_bundle` points it
at the site's one shared copy.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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


def build_reference(spec: Path, output: Path, options: Mapping[str, Any] | None = None) -> None:
    """Write Redoc's page for a spec (YAML or JSON) to `output`, with Redoc's `options`.

    The options (`downloadUrls`, `scrollYOffset`, `codeSamples`, ...) go through a Redocly
    config file written beside the output: the only way to pass lists to Redoc.
    """
    if not REDOCLY.exists():
        raise DocsBuildError(
            f"{REDOCLY} is missing: run `npm ci --prefix scripts/node` (`nox -s docs` does)"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    config = output.with_name(output.name + ".redocly.yaml")
    # JSON is YAML: the config file holds Redoc's options under `openapi`.
    config.write_text(json.dumps({"openapi": dict(options or {})}), encoding="utf-8")
    command = [str(REDOCLY), "build-docs", str(spec), "-o", str(output), "--config", str(config)]
    completed = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=False
    )
    if completed.returncode != 0 or not output.exists():
        raise DocsBuildError(
            f"redocly build-docs {spec.name} failed (exit {completed.returncode}):\n"
            f"{completed.stdout}{completed.stderr}"
        )
