"""Run Schemathesis for one variant against one target and collect what it found.

Schemathesis runs as a subprocess of its own CLI rather than through its Python engine: the CLI
owns the phases, the checks, the JUnit/HAR/NDJSON writers, the repro commands and the exit
status, all of which would otherwise be re-implemented here; a fresh process per variant also
keeps the global hook registry and Hypothesis' state apart between variants. The counts are read
back from the NDJSON event stream the CLI writes (results.py), not from its human output.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import imagegen_spec
from imagegen_spec.conformance.credentials import credential_scheme, env_var, placeholder
from imagegen_spec.conformance.options import RunOptions
from imagegen_spec.conformance.results import VariantResult, collect, read_events
from imagegen_spec.conformance.server import serve
from imagegen_spec.conformance.settings import HookSettings
from imagegen_spec.conformance.st_config import schemathesis_config
from imagegen_spec.core.specs import spec_path
from imagegen_spec.core.variant import variant_model
from imagegen_spec.mock import MockConfig, create_app
from imagegen_spec.shared.errors import UserError
from imagegen_spec.shared.outputs import ensure_writable, os_reason

EMBEDDED_MOCK = "embedded mock"
SCRIPTS_DIR = Path(imagegen_spec.__file__).resolve().parents[1]
STOP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Target:
    """Where one variant is checked; `key` is sent as its credential and never shown."""

    variant: str
    base_url: str
    key: str
    label: str

    def __repr__(self) -> str:
        """Show the target without its key."""
        return f"Target({self.variant!r}, {self.base_url!r}, label={self.label!r})"


class UnwritableReportDir(UserError):
    """A report folder, or a file in it, that cannot be written."""


def writable_directory(directory: Path) -> None:
    """Create a folder (and its parents) and make sure files can be written in it."""
    try:
        ensure_writable(directory)
    except OSError as error:
        raise UnwritableReportDir(f"{directory} cannot be written: {os_reason(error)}") from None


@dataclass(frozen=True)
class ReportPaths:
    """The files one variant's run writes."""

    directory: Path

    @property
    def config(self) -> Path:
        """The Schemathesis config of the run (no secret in it)."""
        return self.directory / "schemathesis.toml"

    @property
    def junit(self) -> Path:
        """JUnit XML, one test case per operation and phase outcome."""
        return self.directory / "junit.xml"

    @property
    def har(self) -> Path:
        """Every request and response, credential redacted (HAR 1.2)."""
        return self.directory / "recording.har"

    @property
    def ndjson(self) -> Path:
        """Schemathesis' event stream, the source of the counts."""
        return self.directory / "events.ndjson"

    @property
    def stats(self) -> Path:
        """What the cost guard sent, withheld and blocked."""
        return self.directory / "guard-stats.json"

    @property
    def log(self) -> Path:
        """Schemathesis' own output."""
        return self.directory / "schemathesis.log"

    def prepare(self) -> None:
        """Create the directory and remove the files a previous run left.

        Raises UnwritableReportDir naming the folder or file that is in the way.
        """
        writable_directory(self.directory)
        for path in (self.config, self.junit, self.har, self.ndjson, self.stats, self.log):
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                reason = error.strerror or str(error)
                raise UnwritableReportDir(f"{path} cannot be replaced: {reason}") from None


def generate_key() -> str:
    """A fresh random key for the embedded mock (it accepts only this one)."""
    return secrets.token_urlsafe(24)


@contextmanager
def embedded_mock(key: str) -> Iterator[str]:
    """Serve the mock (every variant, only `key` accepted) on 127.0.0.1; yield its origin."""
    with serve(create_app(MockConfig(api_key=key))) as origin:
        yield origin


def mock_base_url(origin: str, variant: str) -> str:
    """A variant's base URL on the embedded mock (the path of its spec's local server)."""
    return origin + variant_model(variant).route.local_prefix


def hook_settings(target: Target, options: RunOptions, stats_path: Path) -> HookSettings:
    """The guard's settings for a run of `options` against `target`."""
    return HookSettings(
        variant=target.variant,
        base_url=target.base_url,
        max_paid_requests=options.max_paid_requests,
        negative_only=options.negative_only,
        safe_prompts=options.live,
        rate_limit=options.rate_limit,
        stats_path=str(stats_path),
    )


def schemathesis_command(
    target: Target, options: RunOptions, paths: ReportPaths, checks: str
) -> list[str]:
    """The Schemathesis CLI command of one run."""
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(paths.config),
        "--no-color",
        "run",
        str(spec_path(target.variant)),
        "--url",
        target.base_url,
        "--checks",
        checks,
        "--phases",
        ",".join(options.phases),
        "--mode",
        "negative" if options.negative_only else "all",
        "--max-examples",
        str(options.max_examples),
        "--seed",
        str(options.seed),
        "--workers",
        "1",
        "--request-timeout",
        str(options.request_timeout),
        "--report",
        "junit,har,ndjson",
        "--report-junit-path",
        str(paths.junit),
        "--report-har-path",
        str(paths.har),
        "--report-ndjson-path",
        str(paths.ndjson),
    ]


def _environment(target: Target, settings: HookSettings, scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(settings.to_env())
    env[env_var(target.variant)] = target.key
    env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(scratch / "hypothesis")
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(SCRIPTS_DIR), env.get("PYTHONPATH", "")) if part
    )
    return env


def _relay(stream: IO[str], log: IO[str], key: str, secret_free: str, echo: bool) -> None:
    """Copy Schemathesis' output to the log (and the terminal), never with the key in it."""
    for line in stream:
        line = line.replace(key, secret_free) if key else line
        log.write(line)
        if echo:
            sys.stdout.write(line)
            sys.stdout.flush()


def run_schemathesis(
    target: Target,
    options: RunOptions,
    paths: ReportPaths,
    *,
    checks: str = "all",
    echo: bool = True,
) -> tuple[VariantResult, dict[str, Any]]:
    """Run Schemathesis for one variant; return its result and the guard's stats."""
    paths.prepare()
    scheme = credential_scheme(target.variant)
    guarded = options.negative_only or options.max_paid_requests is not None
    paths.config.write_text(
        schemathesis_config(target.variant, scheme, suppress_filter_health_check=guarded),
        encoding="utf-8",
    )
    settings = hook_settings(target, options, paths.stats)
    with tempfile.TemporaryDirectory(prefix="imagegen-conformance-") as scratch_name:
        scratch = Path(scratch_name)
        command = schemathesis_command(target, options, paths, checks)
        with (
            paths.log.open("w", encoding="utf-8") as log,
            subprocess.Popen(
                command,
                cwd=scratch,
                env=_environment(target, settings, scratch),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
            ) as process,
        ):
            try:
                assert process.stdout is not None
                _relay(process.stdout, log, target.key, placeholder(target.variant), echo)
                exit_code = process.wait()
            finally:
                if process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(STOP_TIMEOUT_SECONDS)
                    except subprocess.TimeoutExpired:
                        process.kill()
    stats: dict[str, Any] = (
        json.loads(paths.stats.read_text(encoding="utf-8")) if paths.stats.exists() else {}
    )
    result = VariantResult(variant=target.variant, target=target.label, exit_code=exit_code)
    collect(result, read_events(paths.ndjson), stats, placeholder(target.variant))
    if not paths.ndjson.exists():
        result.errors.append(
            f"Schemathesis wrote no events (exit status {exit_code}); see {paths.log}"
        )
    return result, stats
