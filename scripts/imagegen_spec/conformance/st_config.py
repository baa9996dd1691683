"""The `schemathesis.toml` of one run, written next to its reports.

It holds no secret: the key is referenced as `${IMAGEGEN_<VARIANT>_API_KEY}`, which Schemathesis
resolves from the environment, and every report shows the placeholder `$IMAGEGEN_<VARIANT>_API_KEY`
in the credential header instead (only that header is sanitized, so bodies such as token usage
stay readable). Hypothesis' example database and Schemathesis' cache are off, so a fixed seed
gives the same cases on every machine.
"""

from __future__ import annotations

from typing import Any

from imagegen_spec.conformance.credentials import CredentialScheme, env_var, placeholder
from imagegen_spec.shared.toml import dumps

HOOKS_MODULE = "imagegen_spec.conformance.hooks"


def schemathesis_config(
    variant: str, scheme: CredentialScheme, *, suppress_filter_health_check: bool
) -> str:
    """The config text for a run of one variant."""
    header = scheme.header.lower()
    auth_key = "bearer" if scheme.bearer else "api_key"
    root: dict[str, Any] = {"hooks": HOOKS_MODULE, "rate-limit": "auto"}
    if suppress_filter_health_check:
        # The guard withholds cases on purpose (over the cap, or valid in a negative-only run).
        root["suppress-health-check"] = ["filter_too_much"]
    return dumps(
        {
            **root,
            "cache": {"enabled": False},
            "generation": {"database": "none"},
            "output": {
                "sanitization": {
                    "keys-to-sanitize": [header],
                    "sensitive-markers": [header],
                    "replacement": scheme.header_value(placeholder(variant)),
                }
            },
            "auth": {"openapi": {scheme.scheme_name: {auth_key: "${" + env_var(variant) + "}"}}},
        }
    )
