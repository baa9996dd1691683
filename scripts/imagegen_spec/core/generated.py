"""What `generated/manifest.json` records, read by whoever needs to know if generated/ is fresh.

The generator (`imagegen_spec.generate`) writes the manifest; the change report reads it to warn
about a stale generated/. Per variant it holds the spec file's sha256 and the sha256 of every
generated file, keyed by its POSIX path below `generated/<variant>/`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"
REGENERATE = "nox -s generate"
"""The command that writes generated/ and its manifest."""

# What tools and installs leave beside generated code; never part of what was generated.
IGNORED_DIRS = frozenset(
    {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}
)
IGNORED_SUFFIXES = (".pyc", ".egg-info")


def sha256_file(path: Path) -> str:
    """Return the sha256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_hashes(folder: Path) -> dict[str, str]:
    """Return the sha256 of every file below a folder, keyed by its POSIX path relative to it."""
    hashes = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(
            name
            for name in dirs
            if name not in IGNORED_DIRS and not name.endswith(IGNORED_SUFFIXES)
        )
        for name in files:
            if not name.endswith(IGNORED_SUFFIXES):
                path = Path(root, name)
                hashes[path.relative_to(folder).as_posix()] = sha256_file(path)
    return dict(sorted(hashes.items()))


def manifest_entries(generated: Path) -> dict[str, dict[str, Any]]:
    """The manifest's entries by variant; ValueError when it is missing or unreadable."""
    path = generated / MANIFEST_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{path} cannot be read: {error}") from error
    entries = document.get("variants") if isinstance(document, dict) else None
    if not isinstance(entries, dict) or not all(isinstance(e, dict) for e in entries.values()):
        raise ValueError(f"{path} has no `variants` mapping")
    return entries
