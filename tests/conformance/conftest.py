"""Fixtures for the conformance runner tests: run it against a server served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.types import ASGIApp

from imagegen_spec.conformance.credentials import env_var
from imagegen_spec.conformance.options import parse_options
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.conformance.runner import ReportPaths, Target, run_schemathesis
from imagegen_spec.conformance.server import serve
from imagegen_spec.core.variant import variant_model

KEY = "conformance-test-key-7f3a9c"
# Few fuzzing cases keep each run to seconds; the coverage and examples phases are complete.
FAST = ("--max-examples", "10")

CheckLive = Callable[..., VariantResult]


def base_path(variant: str) -> str:
    """The path of a variant on the mock (its spec's local server entry)."""
    return variant_model(variant).route.local_prefix


@pytest.fixture
def check_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CheckLive:
    """Run the live mode against `app` served on 127.0.0.1 (no plan), return the result."""

    def run(app: ASGIApp, variant: str, *args: str) -> VariantResult:
        monkeypatch.setenv(env_var(variant), KEY)
        with serve(app) as origin:
            base_url = origin + base_path(variant)
            options = parse_options(
                [
                    "--variant",
                    variant,
                    "--base-url",
                    base_url,
                    "--report-dir",
                    str(tmp_path / "reports"),
                    "--quiet",
                    *FAST,
                    # A cap the run never reaches (every case is sent); args may lower it.
                    *("--max-paid-requests", "1000"),
                    *args,
                ]
            )
            target = Target(variant, base_url, KEY, base_url)
            result, _ = run_schemathesis(
                target, options, ReportPaths(options.report_dir / variant), echo=False
            )
        return result

    return run
