"""TOML written by `tomli-w` (the standard library reads TOML but cannot write it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tomli_w


def dumps(document: Mapping[str, Any], header: str = "") -> str:
    """A TOML document, after an optional comment header (each line starting with `#`)."""
    return header + tomli_w.dumps(document)
