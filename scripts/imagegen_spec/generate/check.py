"""Is a variant's generated code stale, and how: the reasons `--check` and `generate` report.

`stale_reasons` decides without running a generator, from the manifest and the hashes of the
spec, the configuration and the files on disk. `diff_files` compares a fresh generation with the
files on disk, to say which files regenerating would add, remove or change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from imagegen_spec.generate.manifest import Record

_SHOWN = 8  # file paths listed per kind of change before "and N more"


@dataclass(frozen=True)
class Inputs:
    """What a variant's generated files would be made from now."""

    spec: Mapping[str, str]
    generators: Mapping[str, str]
    config_sha256: str


@dataclass(frozen=True)
class FileDiff:
    """How a fresh generation differs from the files on disk (paths relative to the variant)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def lines(self, where: str) -> list[str]:
        """Describe the differences, one line per kind, with paths under `where`."""
        return [
            f"regenerating would {verb} {len(paths)} file{'s' * (len(paths) != 1)}: "
            + _paths(where, paths)
            for verb, paths in (
                ("change", self.changed),
                ("add", self.added),
                ("remove", self.removed),
            )
            if paths
        ]


def _paths(where: str, paths: tuple[str, ...]) -> str:
    shown = ", ".join(f"{where}/{path}" for path in paths[:_SHOWN])
    return shown + (f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else "")


def diff_files(fresh: Mapping[str, str], on_disk: Mapping[str, str]) -> FileDiff:
    """Compare the file hashes of a fresh generation with those of the files on disk."""
    return FileDiff(
        added=tuple(sorted(set(fresh) - set(on_disk))),
        removed=tuple(sorted(set(on_disk) - set(fresh))),
        changed=tuple(
            sorted(path for path in set(fresh) & set(on_disk) if fresh[path] != on_disk[path])
        ),
    )


def _versions(generators: Mapping[str, str]) -> str:
    return ", ".join(f"{name} {version}" for name, version in sorted(generators.items()))


def stale_reasons(
    record: Record | None, inputs: Inputs, on_disk: Mapping[str, str], where: str
) -> list[str]:
    """Say why a variant's files may not be what generating now would give ([] if fresh)."""
    if record is None:
        return ["not generated yet: the manifest has no entry for it"]
    reasons = []
    recorded_spec = record.get("spec") or {}
    if recorded_spec != dict(inputs.spec):
        reasons.append(
            f"spec {inputs.spec['file']} changed since generation (sha256 "
            f"{str(recorded_spec.get('sha256', 'none'))[:12]} -> {inputs.spec['sha256'][:12]})"
        )
    recorded_generators = record.get("generators") or {}
    if recorded_generators != dict(inputs.generators):
        reasons.append(
            f"generators changed: made by {_versions(recorded_generators)}, "
            f"now {_versions(inputs.generators)}"
        )
    if record.get("config_sha256") != inputs.config_sha256:
        reasons.append(
            "generator configuration changed (flags, client config or post-processing code)"
        )
    recorded_files = record.get("files") or {}
    if recorded_files != dict(on_disk):
        edits = diff_files(recorded_files, on_disk)
        reasons.append(
            "files on disk differ from the manifest (edited by hand?): "
            + "; ".join(
                f"{kind} {_paths(where, paths)}"
                for kind, paths in (
                    ("changed", edits.changed),
                    ("missing", edits.added),
                    ("unexpected", edits.removed),
                )
                if paths
            )
        )
    return reasons
