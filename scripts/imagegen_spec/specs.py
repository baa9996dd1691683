"""Where the specs are, which variants exist, and loading them.

The variant names come from the files in `spec/`: adding `spec/<name>.yaml` adds a variant.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = REPO_ROOT / "spec"

Spec = dict[str, Any]


def variants() -> tuple[str, ...]:
    """Return the variant names, one per `spec/*.yaml`, sorted."""
    return tuple(sorted(path.stem for path in SPEC_DIR.glob("*.yaml")))


def spec_path(variant: str) -> Path:
    """Return the path of a variant's spec, or raise KeyError naming the known variants."""
    path = SPEC_DIR / f"{variant}.yaml"
    if variant not in variants():
        raise KeyError(f"unknown variant {variant!r}; known: {', '.join(variants())}")
    return path


def parse_spec(text: str) -> Spec:
    """Parse a spec document's YAML text into plain JSON-compatible data."""
    document = yaml.safe_load(text)
    if not isinstance(document, dict):
        raise ValueError("an OpenAPI document must be a mapping")
    return document


@functools.cache
def load_spec(variant: str) -> Spec:
    """Load a variant's spec (cached; treat the result as read-only)."""
    return parse_spec(spec_path(variant).read_text(encoding="utf-8"))


def spec_sha256(variant: str) -> str:
    """Return the sha256 hex digest of a variant's spec file as stored."""
    return hashlib.sha256(spec_path(variant).read_bytes()).hexdigest()
