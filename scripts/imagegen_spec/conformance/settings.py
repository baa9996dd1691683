"""What the runner tells the Schemathesis process it starts: one JSON document in one variable.

The runner and the hooks live in different processes (Schemathesis runs as a subprocess), so the
run's settings travel in the environment. The credential never does: it stays in its own
variable (`credentials.env_var`), which Schemathesis reads through a `${NAME}` placeholder.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from imagegen_spec.shared.errors import UserError

SETTINGS_ENV_VAR = "IMAGEGEN_CONFORMANCE_SETTINGS"


@dataclass(frozen=True)
class HookSettings:
    """How the hooks behave in one Schemathesis run (one variant).

    - variant: the spec the run tests.
    - base_url: where requests go (their path below it is the spec's path).
    - max_paid_requests: hard cap on requests that could generate an image (None: no cap).
    - negative_only: send only requests whose body the spec rejects.
    - safe_prompts: replace the prompt of every spec-valid body by a prompt from the safe list.
    - rate_limit: `<count>/<s|m|h|d>` pacing of every request sent (None: as fast as possible).
    - stats_path: where the hooks write what they sent, withheld and blocked, as JSON.
    - exchanges_path: gateway mode: where every request sent and its answer are logged (JSON
      lines), each request tagged for pairing with what reached the upstream (None: no log).
    """

    variant: str
    base_url: str
    max_paid_requests: int | None
    negative_only: bool
    safe_prompts: bool
    rate_limit: str | None
    stats_path: str
    exchanges_path: str | None = None

    def to_env(self) -> dict[str, str]:
        """The environment entry that carries these settings."""
        return {SETTINGS_ENV_VAR: json.dumps(asdict(self), sort_keys=True)}

    @property
    def stats_file(self) -> Path:
        """The stats file as a path."""
        return Path(self.stats_path)


class MissingSettings(UserError, RuntimeError):
    """The hooks were loaded outside a run started by the conformance runner."""


def settings_from_env() -> HookSettings:
    """Read the settings the runner put in the environment."""
    raw = os.environ.get(SETTINGS_ENV_VAR)
    if not raw:
        raise MissingSettings(
            f"{SETTINGS_ENV_VAR} is not set: these hooks are loaded by "
            "`python -m imagegen_spec.conformance`, which sets it"
        )
    return HookSettings(**json.loads(raw))
