"""Put the spec diff, the generated-API diff and the version check together, per variant."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from imagegen_spec.core.specs import Spec, parse_spec
from imagegen_spec.diff.api_diff import ApiDiff, compare_generated
from imagegen_spec.diff.bump import Verdict, judge, recommended_bump
from imagegen_spec.diff.revisions import (
    Base,
    export_generated,
    generated_now,
    spec_texts_at,
    spec_texts_now,
)
from imagegen_spec.diff.rules import Bump, Party
from imagegen_spec.diff.schema_diff import Change, SpecDiffError
from imagegen_spec.diff.spec_diff import diff_specs
from imagegen_spec.diff.staleness import stale_variants, stale_warning
from imagegen_spec.shared.errors import UserError


class InputError(UserError):
    """A spec cannot be read or compared; the message names the file and the problem."""


@dataclass(frozen=True)
class VariantReport:
    """Everything found for one variant."""

    variant: str
    status: str  # "changed", "unchanged", "added" or "removed"
    changes: tuple[Change, ...]
    api: ApiDiff | None
    base_version: str | None
    version: str | None
    verdict: Verdict

    @property
    def breaks_clients(self) -> bool:
        """Tell whether a spec change breaks clients."""
        return any(Party.CLIENTS in change.effect.breaks for change in self.changes)


@dataclass(frozen=True)
class Report:
    """The comparison of every variant with BASE."""

    base: Base
    variants: tuple[VariantReport, ...]
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """False when some variant breaks something without a major version bump."""
        return all(report.verdict.ok for report in self.variants)

    @property
    def unchanged(self) -> bool:
        """True when no spec and no generated API changed."""
        return all(report.status == "unchanged" for report in self.variants)


def _parse(text: str, where: str) -> Spec:
    try:
        return parse_spec(text)
    except (yaml.YAMLError, ValueError) as error:
        raise InputError(f"{where} is not a readable OpenAPI document: {error}") from error


def _version(spec: Spec) -> Any:
    info = spec.get("info")
    return info.get("version") if isinstance(info, dict) else None


def compare(repo: Path, base: Base) -> Report:
    """Compare every variant's spec and generated API at BASE with the working tree."""
    old_texts, new_texts = spec_texts_at(repo, base), spec_texts_now(repo)
    variants = sorted(set(old_texts) | set(new_texts))
    old_specs = {
        variant: _parse(text, f"spec/{variant}.yaml at {base.description}")
        for variant, text in old_texts.items()
    }
    new_specs = {
        variant: _parse(text, f"spec/{variant}.yaml in the working tree")
        for variant, text in new_texts.items()
    }
    with tempfile.TemporaryDirectory(prefix="imagegen-diff-") as scratch:
        old_generated = export_generated(repo, base, Path(scratch))
        api = compare_generated(old_generated, generated_now(repo), variants)
        warnings = _stale_warnings(old_texts, old_generated, new_texts, generated_now(repo), base)
    reports = [
        _variant_report(variant, old_specs.get(variant), new_specs.get(variant), api.get(variant))
        for variant in variants
    ]
    return Report(base, tuple(reports), warnings)


def _stale_warnings(
    old_texts: dict[str, str],
    old_generated: Path | None,
    new_texts: dict[str, str],
    new_generated: Path | None,
    base: Base,
) -> tuple[str, ...]:
    """Warn when generated/ does not match the specs beside it, at BASE or in the working tree.

    A side without generated/ at all gets no warning: the report already says there is no
    generated API to compare.
    """
    warnings = []
    if old_generated is not None:
        stale = stale_variants(old_texts, old_generated)
        if stale:
            warnings.append(stale_warning(f"at {base.description}", stale))
    if new_generated is not None:
        stale = stale_variants(new_texts, new_generated)
        if stale:
            warnings.append(stale_warning("in the working tree", stale))
    return tuple(warnings)


def _variant_report(
    variant: str, old: Spec | None, new: Spec | None, api: ApiDiff | None
) -> VariantReport:
    api_breaks = api is not None and bool(api.breaks)
    api_added = api is not None and bool(api.added)
    if old is None or new is None:
        status = "added" if old is None else "removed"
        verdict = Verdict(
            Bump.MAJOR if status == "removed" else Bump.MINOR,
            None,
            True,
            "variant removed: its clients break; no version to compare"
            if status == "removed"
            else "variant added: no version to compare",
        )
        version = str(_version(new)) if new is not None else None
        base_version = str(_version(old)) if old is not None else None
        return VariantReport(variant, status, (), api, base_version, version, verdict)
    try:
        changes = tuple(diff_specs(old, new))
    except SpecDiffError as error:
        raise InputError(f"spec/{variant}.yaml: {error}") from error
    recommended = recommended_bump((c.effect for c in changes), api_breaks, api_added)
    verdict = judge(_version(old), _version(new), recommended)
    status = "changed" if changes or api_breaks or api_added else "unchanged"
    return VariantReport(
        variant, status, changes, api, str(_version(old)), str(_version(new)), verdict
    )
