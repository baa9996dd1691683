"""Output folders: create one and prove that files can be written in it, before any work."""

from __future__ import annotations

import tempfile
from pathlib import Path


def os_reason(error: OSError) -> str:
    """The short reason of an OS error (`Permission denied`), for a one-line message."""
    return error.strerror or str(error)


def ensure_writable(directory: Path) -> None:
    """Create a folder (and its parents) and make sure a file can be written in it.

    Raises OSError (the caller names the flag or file in its own error).
    """
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=directory):
        pass
