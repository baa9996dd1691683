"""The `schemathesis.toml` of one run, written next to its reports: every setting of the run.

Seed, phases, mode, max examples, checks, workers, timeouts, continue-on-failure, the base URL,
the reports and the hooks all live in this one file, so that

    st --config-file reports/conformance/<variant>/schemathesis.toml run spec/<variant>.yaml

repeats the run (with `$IMAGEGEN_<VARIANT>_API_KEY` set); the runner itself passes nothing else.
The hooks are a small file beside the config (`hooks.py`) that carries the runner's settings for
the hooks (no secret in them) and imports `imagegen_spec.conformance.hooks`.

It holds no secret: the key is referenced as `${IMAGEGEN_<VARIANT>_API_KEY}`, which Schemathesis
resolves from the environment, and every report shows the placeholder `$IMAGEGEN_<VARIANT>_API_KEY`
in the credential header instead (only that header is sanitized, so bodies such as token usage
stay readable). Hypothesis' example database and Schemathesis' cache are off, so a fixed seed
gives the same cases on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from imagegen_spec.conformance.credentials import CredentialScheme, env_var, placeholder
from imagegen_spec.conformance.settings import SETTINGS_ENV_VAR, HookSettings
from imagegen_spec.shared.toml import dumps

HOOKS_MODULE = "imagegen_spec.conformance.hooks"
ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
BUILT_IN_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "object_level_authorization",
)
CUSTOM_CHECKS = (
    "image_count_matches_n",
    "b64_json_image_matches_request",
    "image_url_serves_image",
    "created_is_recent",
    "streamed_images_match_request",
)
"""The image checks of checks.py (registered by the hooks)."""

Mode = Literal["all", "negative"]


@dataclass(frozen=True)
class RunConfig:
    """What one Schemathesis run does: everything the saved config records."""

    base_url: str
    seed: int
    phases: tuple[str, ...]
    mode: Mode
    max_examples: int
    checks: tuple[str, ...]
    request_timeout: float
    suppress_filter_health_check: bool
    headers: tuple[tuple[str, str], ...] = ()


def hooks_file(settings: HookSettings) -> str:
    """The hooks file the config names: the runner's settings, then the project's hooks."""
    value = settings.to_env()[SETTINGS_ENV_VAR]
    return (
        '"""Hooks of one imagegen-spec conformance run (written by the runner; no secret)."""\n\n'
        "import os\n\n"
        f"os.environ.setdefault({SETTINGS_ENV_VAR!r}, {value!r})\n\n"
        f"import {HOOKS_MODULE}  # noqa: E402, F401\n"
    )


def schemathesis_config(
    variant: str,
    scheme: CredentialScheme,
    run: RunConfig,
    *,
    hooks_path: Path,
    har_path: Path,
    ndjson_path: Path,
    spec_path: Path,
) -> str:
    """The config text for a run of one variant."""
    header = scheme.header.lower()
    auth_key = "bearer" if scheme.bearer else "api_key"
    root: dict[str, Any] = {
        "hooks": str(hooks_path),
        "base-url": run.base_url,
        "seed": run.seed,
        "workers": 1,
        "continue-on-failure": True,
        "request-timeout": run.request_timeout,
        "rate-limit": "auto",
    }
    if run.headers:
        root["headers"] = dict(run.headers)
    if run.suppress_filter_health_check:
        # The guard withholds cases on purpose (over the cap, or valid in a negative-only run).
        root["suppress-health-check"] = ["filter_too_much"]
    document: dict[str, Any] = {
        **root,
        "cache": {"enabled": False},
        "generation": {"database": "none", "mode": run.mode, "max-examples": run.max_examples},
        "phases": {phase: {"enabled": phase in run.phases} for phase in ALL_PHASES},
        "checks": {"enabled": False, **{check: {"enabled": True} for check in run.checks}},
        "reports": {
            "directory": str(har_path.parent),
            "har": {"enabled": True, "path": str(har_path)},
            "ndjson": {"enabled": True, "path": str(ndjson_path)},
        },
        "output": {
            "sanitization": {
                "keys-to-sanitize": [header],
                "sensitive-markers": [header],
                "replacement": scheme.header_value(placeholder(variant)),
            }
        },
        "auth": {"openapi": {scheme.scheme_name: {auth_key: "${" + env_var(variant) + "}"}}},
    }
    comment = (
        "# Every setting of this conformance run. Repeat it with\n"
        f"#   st --config-file {har_path.parent / 'schemathesis.toml'} run {spec_path}\n"
        f"# with ${env_var(variant)} set to the key.\n"
    )
    return dumps(document, comment)
