"""The semantic version bump a variant's changes need, and whether `info.version` has it.

Major when anything breaks clients or the generated API; minor when something breaks only
servers or adds a feature; patch for documentation only; none when nothing changed. A missing
major or minor bump fails; a missing patch bump is only reported. The bump
`info.version` got is read with `packaging.version`. As in Cargo, while the major version is 0
a minor bump (0.1 -> 0.2) counts as major: semantic versioning promises nothing before 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from packaging.version import InvalidVersion, Version

from imagegen_spec.diff.rules import Bump, Effect


@dataclass(frozen=True)
class Verdict:
    """The bump a variant needs, the one its `info.version` got, and whether that suffices."""

    recommended: Bump
    declared: Bump | None
    ok: bool
    message: str


def recommended_bump(effects: Iterable[Effect], api_breaks: bool, api_added: bool) -> Bump:
    """The bump a set of spec changes and generated-API findings needs."""
    bump = max((effect.bump for effect in effects), default=Bump.NONE)
    if api_breaks:
        bump = Bump.MAJOR
    elif api_added:
        bump = max(bump, Bump.MINOR)
    return bump


def declared_bump(old: str, new: str) -> Bump:
    """The bump from one version to another (NONE when equal; InvalidVersion when unreadable)."""
    before, after = Version(old), Version(new)
    if after <= before:
        return Bump.NONE
    if after.major > before.major:
        return Bump.MAJOR
    if after.major == before.major and after.minor > before.minor:
        return Bump.MAJOR if before.major == 0 else Bump.MINOR
    return Bump.PATCH


def judge(old_version: Any, new_version: Any, recommended: Bump) -> Verdict:
    """Tell whether the version change covers the recommended bump.

    A missing major or minor bump fails (a new feature in an unchanged version is a release
    nobody can ask for by version); a missing patch bump (documentation only) is only reported.
    """
    old, new = str(old_version), str(new_version)
    try:
        declared = declared_bump(old, new)
        backwards = Version(new) < Version(old)
    except InvalidVersion:
        message = f"info.version {old!r} -> {new!r} is not a pair of PEP 440 versions"
        return Verdict(recommended, None, recommended < Bump.MINOR, message)
    if backwards:
        message = f"info.version went backwards ({old} -> {new})"
    elif recommended == Bump.MAJOR and declared < Bump.MAJOR:
        message = (
            f"breaking change without a major bump of info.version ({old} -> {new} is"
            f" {declared.label})"
        )
    elif declared < recommended and recommended >= Bump.MINOR:
        message = (
            f"info.version {old} -> {new} is {declared.label}; a {recommended.label} bump is needed"
        )
    elif declared < recommended:
        message = f"info.version {old} -> {new} is {declared.label}; {recommended.label} advised"
    else:
        message = f"info.version {old} -> {new} ({declared.label}) is enough"
    ok = not (declared < recommended and recommended >= Bump.MINOR)
    return Verdict(recommended, declared, ok, message)
