"""`generated/manifest.json`: what made each variant's generated files.

Per variant it records the spec file's sha256, the generators and their installed versions, the
sha256 of the generator configuration (`config.config_sha256`) and the sha256 of every generated
file. It is written with sorted keys and no timestamps, so it is as reproducible as the files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Re-exported: the generator's modules and tests read them from here.
from imagegen_spec.core.generated import file_hashes as file_hashes
from imagegen_spec.core.generated import sha256_file as sha256_file
from imagegen_spec.generate.config import FIX_COMMAND, MANIFEST_NAME, GenerateError

FORMAT = 1
GENERATED_BY = f"python -m imagegen_spec.generate ({FIX_COMMAND})"

Record = dict[str, Any]


def spec_record(spec_file: Path) -> dict[str, str]:
    """Return the manifest's record of a spec file: its name and sha256."""
    return {"file": spec_file.name, "sha256": sha256_file(spec_file)}


def variant_record(
    spec: Mapping[str, str],
    generators: Mapping[str, str],
    config_sha256: str,
    files: Mapping[str, str],
) -> Record:
    """Return the manifest entry of one variant."""
    return {
        "spec": dict(spec),
        "generators": dict(generators),
        "config_sha256": config_sha256,
        "files": dict(files),
    }


def read_manifest(out_dir: Path) -> dict[str, Record]:
    """Return the manifest's entries by variant ({} when there is no manifest yet)."""
    path = out_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise GenerateError(
            f"{path} cannot be read ({error}); run `{FIX_COMMAND}` to write it anew"
        ) from error
    entries = document.get("variants") if isinstance(document, dict) else None
    if not isinstance(entries, dict) or not all(isinstance(e, dict) for e in entries.values()):
        raise GenerateError(
            f"{path} has no `variants` mapping; run `{FIX_COMMAND}` to write it anew"
        )
    return entries


def manifest_text(entries: Mapping[str, Record]) -> str:
    """Return the manifest's JSON text: sorted keys, two-space indent, final newline."""
    document = {"format": FORMAT, "generated_by": GENERATED_BY, "variants": dict(entries)}
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def write_manifest(out_dir: Path, entries: Mapping[str, Record]) -> bool:
    """Write the manifest if its text changes; return whether it did."""
    path = out_dir / MANIFEST_NAME
    text = manifest_text(entries)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
