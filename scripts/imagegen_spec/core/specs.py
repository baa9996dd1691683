"""Where the specs are, which variants exist, and loading them.

The variant names come from the files in `spec/`: adding `spec/<name>.yaml` adds a variant.
Every reader finds variants here (the repository's folder, another folder, or names listed by
git), so "what is a spec file" has one answer.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
SPEC_DIR = REPO_ROOT / "spec"
SPEC_SUFFIX = ".yaml"

Spec = dict[str, Any]


def variant_of(file_name: str) -> str | None:
    """The variant a spec file name stands for (`dalle.yaml` -> `dalle`), or None."""
    return file_name.removesuffix(SPEC_SUFFIX) if file_name.endswith(SPEC_SUFFIX) else None


def spec_variants(names: Iterable[str]) -> tuple[str, ...]:
    """The variants among file names (a folder's listing, git's), sorted."""
    return tuple(sorted(v for name in names if (v := variant_of(name)) is not None))


def spec_files(folder: Path) -> dict[str, Path]:
    """Every spec file in a folder, by variant, sorted."""
    return {variant: folder / (variant + SPEC_SUFFIX) for variant in folder_variants(folder)}


def folder_variants(folder: Path) -> tuple[str, ...]:
    """The variants of a spec folder, one per `<name>.yaml`, sorted."""
    return spec_variants(path.name for path in folder.glob("*" + SPEC_SUFFIX))


def variants() -> tuple[str, ...]:
    """Return the repository's variant names, one per `spec/*.yaml`, sorted."""
    return folder_variants(SPEC_DIR)


def spec_path(variant: str) -> Path:
    """Return the path of a variant's spec, or raise KeyError naming the known variants."""
    path = SPEC_DIR / f"{variant}{SPEC_SUFFIX}"
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
