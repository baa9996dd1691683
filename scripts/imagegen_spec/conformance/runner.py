"""Run Schemathesis for one variant against one target and collect what it found.

Schemathesis runs as a subprocess of its own CLI rather than through its Python engine: the CLI
owns the phases, the checks, the JUnit/HAR/NDJSON writers, the repro commands and the exit
status, all of which would otherwise be re-implemented here; a fresh process per variant also
keeps the global hook registry and Hypothesis' state apart between variants. The counts are read
back from the NDJSON event stream the CLI writes (results.py), not from its human output.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from starlette.types import ASGIApp

import imagegen_spec
from imagegen_spec.conformance.credentials import credential_scheme, env_var, placeholder
from imagegen_spec.conformance.junit import write_junit
from imagegen_spec.conformance.options import RunOptions
from imagegen_spec.conformance.results import (
    VariantResult,
    collect,
    read_events,
    read_guard_stats,
)
from imagegen_spec.conformance.server import serve
from imagegen_spec.conformance.settings import HookSettings
from imagegen_spec.conformance.st_config import (
    BUILT_IN_CHECKS,
    CUSTOM_CHECKS,
    RunConfig,
    hooks_file,
    schemathesis_config,
)
from imagegen_spec.conformance.stats import GuardStats
from imagegen_spec.core.specs import spec_path
from imagegen_spec.core.variant import variant_model
from imagegen_spec.mock import HTTP_PROTOCOL, MockConfig, create_app
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
    def hooks(self) -> Path:
        """The hooks file the config names (the runner's settings for the hooks, no secret)."""
        return self.directory / "hooks.py"

    @property
    def junit(self) -> Path:
        """JUnit XML, one test case per check and cause (and per gateway deviation)."""
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

    @property
    def client_exchanges(self) -> Path:
        """Gateway mode: every request sent to the gateway and its answer (JSON lines)."""
        return self.directory / "client-exchanges.jsonl"

    @property
    def probe_exchanges(self) -> Path:
        """Gateway mode: every probe sent to the gateway and its answer (JSON lines)."""
        return self.directory / "probe-exchanges.jsonl"

    @property
    def upstream_exchanges(self) -> Path:
        """Gateway mode: every request that reached the upstream and its answer (JSON lines)."""
        return self.directory / "upstream-exchanges.jsonl"

    @property
    def gateway(self) -> Path:
        """Gateway mode: what the gateway changed on the way up and back (JSON)."""
        return self.directory / "gateway.json"

    def files(self) -> tuple[Path, ...]:
        """Every file a run writes here."""
        return (
            self.config,
            self.hooks,
            self.junit,
            self.har,
            self.ndjson,
            self.stats,
            self.log,
            self.client_exchanges,
            self.probe_exchanges,
            self.upstream_exchanges,
            self.gateway,
        )

    def prepare(self) -> None:
        """Create the directory and remove the files a previous run left.

        Raises UnwritableReportDir naming the folder or file that is in the way.
        """
        writable_directory(self.directory)
        for path in self.files():
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
    """Serve the mock (every variant, only `key` accepted) on 127.0.0.1; yield its origin.

    Served with the mock's own HTTP protocol, so a request head is bounded as on `imagegen mock`.
    """
    with serve(mock_app(key), http=HTTP_PROTOCOL) as origin:
        yield origin


def mock_app(key: str, retry_after: int | None = None) -> ASGIApp:
    """The mock as an ASGI app, every variant, accepting only `key` (the one factory used).

    `retry_after`: the seconds its 429s carry in `Retry-After` (None: the spec's example).
    """
    return create_app(MockConfig(api_key=key, retry_after=retry_after))


def mock_base_url(origin: str, variant: str) -> str:
    """A variant's base URL on the embedded mock (the path of its spec's local server)."""
    return origin + variant_model(variant).route.local_prefix


def hook_settings(
    target: Target, options: RunOptions, paths: ReportPaths, *, gateway: bool = False
) -> HookSettings:
    """The hooks' settings for a run of `options` against `target` (gateway: log exchanges)."""
    return HookSettings(
        variant=target.variant,
        base_url=target.base_url,
        max_paid_requests=options.max_paid_requests,
        negative_only=options.negative_only,
        safe_prompts=options.live and not options.gateway,
        rate_limit=options.rate_limit,
        stats_path=str(paths.stats),
        exchanges_path=str(paths.client_exchanges) if gateway else None,
    )


def schemathesis_command(target: Target, paths: ReportPaths) -> list[str]:
    """The Schemathesis CLI command of one run: its config file holds every setting."""
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(paths.config),
        "--no-color",
        "run",
        str(spec_path(target.variant)),
    ]


def run_config(
    target: Target, options: RunOptions, checks: tuple[str, ...], *, guarded: bool
) -> RunConfig:
    """What the saved config records for a run of `options` against `target`."""
    return RunConfig(
        base_url=target.base_url,
        seed=options.seed,
        phases=options.phases,
        mode="negative" if options.negative_only else "all",
        max_examples=options.max_examples,
        checks=checks,
        request_timeout=options.request_timeout,
        suppress_filter_health_check=guarded,
        headers=options.headers,
    )


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


ALL_CHECKS = BUILT_IN_CHECKS + CUSTOM_CHECKS


def run_schemathesis(
    target: Target,
    options: RunOptions,
    paths: ReportPaths,
    *,
    checks: tuple[str, ...] = ALL_CHECKS,
    echo: bool = True,
    gateway: bool = False,
) -> tuple[VariantResult, GuardStats]:
    """Run Schemathesis for one variant; return its result and the guard's stats.

    Stats the guard did not write cut the run short (never zero requests sent or paid).
    """
    paths.prepare()
    scheme = credential_scheme(target.variant)
    guarded = options.negative_only or options.max_paid_requests is not None
    settings = hook_settings(target, options, paths, gateway=gateway)
    paths.hooks.write_text(hooks_file(settings), encoding="utf-8")
    paths.config.write_text(
        schemathesis_config(
            target.variant,
            scheme,
            run_config(target, options, checks, guarded=guarded),
            hooks_path=paths.hooks,
            har_path=paths.har,
            ndjson_path=paths.ndjson,
            spec_path=spec_path(target.variant),
        ),
        encoding="utf-8",
    )
    with tempfile.TemporaryDirectory(prefix="imagegen-conformance-") as scratch_name:
        scratch = Path(scratch_name)
        with (
            paths.log.open("w", encoding="utf-8") as log,
            subprocess.Popen(
                schemathesis_command(target, paths),
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
    result = VariantResult(variant=target.variant, target=target.label, exit_code=exit_code)
    stats = read_guard_stats(result, paths.stats)
    collect(result, read_events(paths.ndjson), stats, placeholder(target.variant), target.key)
    if not paths.ndjson.exists():
        result.cut_short.append(
            f"Schemathesis wrote no events (exit status {exit_code}); see {paths.log}"
        )
    write_junit(result, paths.junit)
    return result, stats
