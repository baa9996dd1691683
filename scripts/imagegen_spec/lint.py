"""Validate every spec with openapi-spec-validator, lint it with Redocly CLI, check its provenance.

`python -m imagegen_spec.lint [VARIANT ...]` exits non-zero when any of them reports a problem.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass

from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from imagegen_spec.core.provenance import problems as provenance_problems
from imagegen_spec.core.specs import REPO_ROOT, load_spec, spec_path, variants

REDOCLY = REPO_ROOT / "scripts" / "node" / "node_modules" / ".bin" / "redocly"
REDOCLY_CONFIG = REPO_ROOT / "redocly.yaml"


@dataclass(frozen=True)
class LintResult:
    """What one tool said about one or more spec files."""

    tool: str
    ok: bool
    output: str


def validate_with_openapi_spec_validator(variant: str) -> LintResult:
    """Validate one variant's spec against the OpenAPI 3.1 meta-schema."""
    document, base_uri = read_from_filename(str(spec_path(variant)))
    try:
        validate(document, base_uri=base_uri)
    except Exception as error:  # the validator raises several unrelated exception types
        return LintResult("openapi-spec-validator", False, f"{variant}: {error}")
    return LintResult("openapi-spec-validator", True, f"{variant}: OK")


def lint_with_redocly(path: str, config: str = str(REDOCLY_CONFIG)) -> LintResult:
    """Lint one spec file with the pinned Redocly CLI; any error or warning fails."""
    if not REDOCLY.exists():
        return LintResult(
            "redocly", False, f"{REDOCLY} is missing: run `npm ci --prefix scripts/node`"
        )
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    command = [str(REDOCLY), "lint", "--config", config, "--format", "json", path]
    completed = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=False
    )
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        return LintResult("redocly", False, completed.stdout + completed.stderr)
    totals = report["totals"]
    problems = [
        f"{problem['severity']} {problem['ruleId']}: {problem['message']}"
        f" at {problem['location'][0]['pointer']}"
        for problem in report["problems"]
    ]
    clean = completed.returncode == 0 and totals["errors"] == 0 and totals["warnings"] == 0
    summary = f"{path}: {totals['errors']} errors, {totals['warnings']} warnings"
    return LintResult("redocly", clean, "\n".join([summary, *problems]))


def check_provenance(variant: str) -> LintResult:
    """Check a variant's `x-imagegen-provenance` entries and that no description says "seed"."""
    found = provenance_problems(load_spec(variant))
    return LintResult(
        "provenance",
        not found,
        "\n".join([f"{variant}: {len(found)} problems", *found]) if found else f"{variant}: OK",
    )


def main(argv: list[str] | None = None) -> int:
    """Run both linters and the provenance check on the named variants (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("variants", nargs="*", metavar="VARIANT", help="default: all")
    chosen = parser.parse_args(argv).variants or list(variants())
    unknown = sorted(set(chosen) - set(variants()))
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(variants())}")
    results = [validate_with_openapi_spec_validator(variant) for variant in chosen]
    results += [lint_with_redocly(str(spec_path(variant))) for variant in chosen]
    results += [check_provenance(variant) for variant in chosen]
    for result in results:
        mark = "ok  " if result.ok else "FAIL"
        print(f"{mark} {result.tool}: {result.output}")
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
