"""The change report as plain text (for the terminal) and as Markdown (reports/diff.md)."""

from __future__ import annotations

from imagegen_spec.diff.api_diff import ApiDiff
from imagegen_spec.diff.compare import Report, VariantReport
from imagegen_spec.diff.rules import Bump
from imagegen_spec.diff.schema_diff import Change
from imagegen_spec.shared.tables import markdown_table, pipe_escape


def _base_line(report: Report) -> str:
    commit = report.base.commit
    revision = f"{report.base.description} ({commit[:12]})" if commit else report.base.description
    return f"Changes from {revision} to the working tree"


def _version_line(variant: VariantReport) -> str:
    verdict = variant.verdict
    mark = "ok" if verdict.ok else "FAIL"
    return f"recommended bump: {verdict.recommended.label}; {mark}: {verdict.message}"


def _where(change: Change) -> str:
    used_by = f" (used by: {'; '.join(change.used_by)})" if change.used_by else ""
    return change.where + used_by


def _api_lines(api: ApiDiff | None) -> list[str]:
    if api is None:
        return ["no generated API to compare"]
    lines = [api.note]
    lines += [
        f"breaks the generated API: {item.package}: {item.explanation}" for item in api.breaks
    ]
    lines += [f"new package: {name}" for name in api.added]
    lines += [f"problem: {problem}" for problem in api.problems]
    return lines


def render_text(report: Report) -> str:
    """The report for a terminal."""
    lines = [_base_line(report), ""]
    for variant in report.variants:
        if variant.status == "unchanged":
            lines.append(f"{variant.variant}: unchanged (info.version {variant.version})")
            continue
        if variant.status in ("added", "removed"):
            lines.append(f"{variant.variant}: {variant.status}")
        else:
            lines.append(f"{variant.variant}: changed, {len(variant.changes)} spec change(s)")
        lines.append(f"  {_version_line(variant)}")
        for change in variant.changes:
            lines.append(f"  - [{change.effect.label}] {change.rule.id}: {_where(change)}")
            lines.append(f"      {change.detail}  at {change.pointer or '/'}")
        api_lines = _api_lines(variant.api)
        lines.append(f"  generated API: {api_lines[0]}")
        lines += [f"  - {line}" for line in api_lines[1:]]
    lines.append("")
    lines += list(report.warnings)
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _summary(report: Report) -> str:
    if report.unchanged:
        return "No change in any spec or generated API."
    failing = [variant.variant for variant in report.variants if not variant.verdict.ok]
    removed = [variant.variant for variant in report.variants if variant.status == "removed"]
    note = f" Removed, breaking its clients: {', '.join(removed)}." if removed else ""
    if failing:
        return f"FAIL: {', '.join(failing)}: info.version lacks the bump its changes need."
    if any(
        variant.verdict.recommended == Bump.MAJOR and variant.status == "changed"
        for variant in report.variants
    ):
        return "OK: every breaking change comes with a major info.version bump." + note
    other = " other" if removed else ""
    return f"OK: no{other} change breaks clients or the generated API." + note


def _variant_row(variant: VariantReport) -> list[str]:
    versions = f"{variant.base_version or '—'} → {variant.version or '—'}"
    mark = "ok" if variant.verdict.ok else "**FAIL**"
    return [
        variant.variant,
        variant.status,
        str(len(variant.changes)),
        variant.verdict.recommended.label,
        versions,
        f"{mark}: {pipe_escape(variant.verdict.message)}",
    ]


def render_markdown(report: Report) -> str:
    """The report as a Markdown document."""
    lines = [
        "# Spec change report",
        "",
        _base_line(report) + ".",
        "",
        markdown_table(
            ["variant", "status", "spec changes", "recommended bump", "info.version", "check"],
            [_variant_row(variant) for variant in report.variants],
        ),
    ]
    for variant in report.variants:
        if variant.status == "unchanged":
            continue
        lines += ["", f"## {variant.variant}", ""]
        if variant.changes:
            rows = [
                [
                    change.effect.label,
                    f"`{change.rule.id}`",
                    pipe_escape(_where(change)),
                    f"`{pipe_escape(change.pointer or '/')}`",
                    pipe_escape(change.detail),
                ]
                for change in variant.changes
            ]
            lines.append(markdown_table(["effect", "rule", "where", "pointer", "detail"], rows))
        lines += ["", "Generated Python API:", ""]
        lines += [f"- {pipe_escape(line)}" for line in _api_lines(variant.api)]
    lines += [""] + [f"**{pipe_escape(warning)}**\n" for warning in report.warnings]
    lines += [_summary(report), ""]
    return "\n".join(lines)
