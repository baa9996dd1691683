"""Is `generated/` what the specs beside it would generate? Read from its manifest, no generator.

`generated/manifest.json` records, per variant, the sha256 of the spec it was made from and of
every file written (`core.generated`). A generated/ whose recorded spec hash is not the spec's,
whose files differ from the record, or that lacks a variant, is stale: the generated-API
comparison would then compare code that does not match the spec. (A change of the generator's
own configuration is caught by the generator's `--check`, which `nox -s tests` runs.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from imagegen_spec.core.generated import REGENERATE, file_hashes, manifest_entries


def stale_variants(spec_texts: Mapping[str, str], generated: Path) -> dict[str, str]:
    """Each variant whose generated code is stale, with why ({} when all are fresh)."""
    try:
        records = manifest_entries(generated)
    except ValueError as error:
        return {variant: str(error) for variant in spec_texts}
    found = {}
    for variant, text in sorted(spec_texts.items()):
        record = records.get(variant)
        if record is None:
            found[variant] = "not generated (no manifest entry)"
            continue
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if (record.get("spec") or {}).get("sha256") != sha256:
            found[variant] = "the spec changed since generation"
        elif record.get("files") != file_hashes(generated / variant):
            found[variant] = "files differ from the manifest (edited by hand?)"
    return found


def stale_warning(where: str, stale: Mapping[str, str]) -> str:
    """One warning line naming the stale variants and the fix."""
    reasons = "; ".join(f"{variant}: {why}" for variant, why in stale.items())
    return f"warning: generated/ is stale {where} ({reasons}); run `{REGENERATE}` and commit it"
