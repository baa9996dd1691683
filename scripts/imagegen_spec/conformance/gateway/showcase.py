"""`nox -s gateways`: gateway mode against real gateways, written up in docs/gateways.md.

Each gateway runs on 127.0.0.1 in front of the embedded upstream, for every variant it can serve:

- LiteLLM proxy: a config naming one deployment per model (`openai/dall-e-2`, `openai/dall-e-3`,
  `openai/gpt-image-1`) with the upstream as `api_base` and its own upstream key; clients use its
  master key. It serves `dalle` and `gpt-image` at `/v1`. Its Azure route is
  `/openai/deployments/{model}/...` and its Azure client calls `{api_base}/openai/deployments/...`,
  which the azure spec's paths do not have, so azure is not run.
- Portkey gateway: started with a preload that makes every socket it listens on bind 127.0.0.1
  (it binds every interface by default); routed per request by `x-portkey-provider: openai` and
  `x-portkey-custom-host: <upstream>`, the client's key forwarded. It serves `dalle` and
  `gpt-image`; its azure provider needs an Azure resource name, so azure is not run.

Each gateway process is stopped by its own PID when its runs end, also on an error.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from imagegen_spec.conformance.credentials import env_var
from imagegen_spec.conformance.gateway.compare import Side
from imagegen_spec.conformance.gateway.run import UPSTREAM_KEY_VAR, run_gateway
from imagegen_spec.conformance.options import parse_options
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.shared.tables import markdown_table, pipe_escape

LOCAL = "127.0.0.1"
READY_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 10.0
DEFAULT_OUT = REPO_ROOT / "docs" / "gateways.md"
DEFAULT_REPORTS = REPO_ROOT / "reports" / "gateways"


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOCAL, 0))
        return int(probe.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status < 500)
    except OSError:
        return False


@contextmanager
def process(command: list[str], ready_url: str, log: Path, env: dict[str, str]) -> Iterator[None]:
    """Run a gateway process until the block ends (stopped by its PID); wait until it answers."""
    with log.open("w", encoding="utf-8") as output:
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + READY_TIMEOUT_SECONDS
            while not _ready(ready_url):
                if child.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start; see {log}")
                time.sleep(0.5)
            yield
        finally:
            child.terminate()
            try:
                child.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@dataclass
class Outcome:
    """One gateway and variant: its result and how long it took."""

    gateway: str
    variant: str
    result: VariantResult
    seconds: float


@dataclass
class Showcase:
    """The runs of one invocation."""

    outcomes: list[Outcome] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def _run(
    showcase: Showcase,
    gateway: str,
    variant: str,
    key: str,
    argv: list[str],
) -> None:
    os.environ[env_var(variant)] = key
    started = time.monotonic()
    options = parse_options(["--variant", variant, *argv])
    result = run_gateway(options, key, echo=False)
    seconds = time.monotonic() - started
    showcase.outcomes.append(Outcome(gateway, variant, result, seconds))
    print(f"{gateway} / {variant}: {result.cases_sent} requests in {seconds:.0f} s", flush=True)


def litellm_config(upstream: int, key: str, master: str) -> str:
    """The LiteLLM proxy config: one openai deployment per model, upstream as api_base."""
    models = (("dall-e-2", "dalle"), ("dall-e-3", "dalle"), ("gpt-image-1", "gpt-image"))
    lines = ["model_list:"]
    for model, variant in models:
        lines += [
            f"  - model_name: {model}",
            "    litellm_params:",
            f"      model: openai/{model}",
            f"      api_base: http://{LOCAL}:{upstream}/{variant}/v1",
            f"      api_key: {key}",
        ]
    lines += ["general_settings:", f"  master_key: {master}"]
    return "\n".join(lines) + "\n"


def run_litellm(showcase: Showcase, binary: str, reports: Path, common: list[str]) -> None:
    """LiteLLM proxy in front of the upstream: dalle and gpt-image."""
    port, upstream = free_port(), free_port()
    master, key = "sk-" + secrets.token_hex(12), "up-" + secrets.token_hex(12)
    directory = reports / "litellm"
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "litellm.yaml"
    config.write_text(litellm_config(upstream, key, master), encoding="utf-8")
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", UPSTREAM_KEY_VAR: key}
    command = [binary, "--config", str(config), "--host", LOCAL, "--port", str(port)]
    showcase.versions["LiteLLM proxy"] = _version("litellm")
    os.environ[UPSTREAM_KEY_VAR] = key
    try:
        with process(
            command, f"http://{LOCAL}:{port}/health/liveliness", directory / "litellm.log", env
        ):
            for variant in ("dalle", "gpt-image"):
                argv = [
                    *("--base-url", f"http://{LOCAL}:{port}/v1"),
                    *("--upstream", f"{LOCAL}:{upstream}"),
                    *("--report-dir", str(directory)),
                    *common,
                ]
                _run(showcase, "LiteLLM proxy", variant, master, argv)
    finally:
        os.environ.pop(UPSTREAM_KEY_VAR, None)
    showcase.skipped.append(
        "LiteLLM proxy / azure: its Azure route is "
        "`/openai/deployments/{model}/images/generations` "
        "and its Azure client calls `{api_base}/openai/deployments/...`; the azure spec has "
        "`/deployments/{deploymentId}/...` (no `/openai`), so neither side matches the spec's paths"
    )


def run_portkey(
    showcase: Showcase, start: str, loopback: str, reports: Path, common: list[str]
) -> None:
    """The Portkey gateway (loopback only) in front of the upstream: dalle and gpt-image."""
    port, upstream = free_port(), free_port()
    directory = reports / "portkey"
    directory.mkdir(parents=True, exist_ok=True)
    command = ["node", "--require", loopback, start, f"--port={port}"]
    package = Path(start).parents[1] / "package.json"
    showcase.versions["Portkey gateway"] = _package_version(package)
    with process(command, f"http://{LOCAL}:{port}/", directory / "portkey.log", dict(os.environ)):
        for variant in ("dalle", "gpt-image"):
            argv = [
                *("--base-url", f"http://{LOCAL}:{port}/v1"),
                *("--upstream", f"{LOCAL}:{upstream}"),
                *("--header", "x-portkey-provider:openai"),
                *("--header", f"x-portkey-custom-host:http://{LOCAL}:{upstream}/{variant}/v1"),
                *("--report-dir", str(directory)),
                *common,
            ]
            _run(showcase, "Portkey gateway", variant, "sk-" + secrets.token_hex(12), argv)
    showcase.skipped.append(
        "Portkey gateway / azure: its `azure-openai` provider builds the upstream URL from an "
        "Azure resource name (`https://<name>.openai.azure.com`), not from a custom host"
    )


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _package_version(package: Path) -> str:
    try:
        return str(json.loads(package.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


def _deviation_table(outcome: Outcome) -> list[str]:
    """Every deviation of one run: client-side failures and both sides of the gateway."""
    report = outcome.result.gateway
    rows: list[list[str]] = []
    repros: list[str] = []

    def repro(command: str | None) -> str:
        if not command:
            return "-"
        repros.append(command)
        return f"[{len(repros)}](#{_anchor(outcome)}-{len(repros)})"

    for group in outcome.result.groups:
        rows.append(
            [
                "client sees",
                f"`{group.check}`",
                pipe_escape(group.cause),
                "",
                "",
                str(group.count),
                repro(group.curl),
            ]
        )
    if report is not None:
        for deviation in report.groups:
            first, second = (0, 1) if deviation.side == Side.REQUEST else (1, 0)
            rows.append(
                [
                    "way up" if deviation.side == Side.REQUEST else "way back",
                    f"`{deviation.field}`",
                    str(deviation.kind),
                    pipe_escape(deviation.column(first)),
                    pipe_escape(deviation.column(second)),
                    str(deviation.count),
                    repro(deviation.repro),
                ]
            )
    header = ["side", "check or field", "what", "sent", "arrived", "cases", "repro"]
    lines = [markdown_table(header, rows)] if rows else ["No deviation found."]
    if repros:
        lines += ["", "<details><summary>Repros (curl)</summary>", ""]
        for index, command in enumerate(repros, 1):
            lines += [
                f'<a id="{_anchor(outcome)}-{index}"></a>{index}.',
                "",
                "```sh",
                command,
                "```",
                "",
            ]
        lines.append("</details>")
    return lines


def _anchor(outcome: Outcome) -> str:
    return f"{outcome.gateway.split()[0].lower()}-{outcome.variant}"


def render(showcase: Showcase, common: list[str]) -> str:
    """docs/gateways.md."""
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Gateways, checked on both sides",
        "",
        "What real gateways change between a client and the provider behind them, found by "
        "`nox -s gateways` (gateway mode of `nox -s conformance`, see the README): each gateway "
        "runs on 127.0.0.1 in front of the project's mock, Schemathesis sends every case to the "
        "gateway, and each request is paired with what reached the mock. *Way up* is what the "
        "gateway changed in the request (sent by the client, arrived upstream); *way back* what it "
        "changed in the response (sent by the upstream, arrived at the client); *client sees* "
        "are the conformance checks that failed on what the client got. Every comparison reads "
        "the specs.",
        "",
        f"Run {when}; options: `{' '.join(common) or 'defaults'}`.",
        "",
        markdown_table(
            ["gateway", "version", "variant", "requests", "reached upstream", "seconds", "result"],
            [
                [
                    outcome.gateway,
                    showcase.versions.get(outcome.gateway, "?"),
                    outcome.variant,
                    str(outcome.result.cases_sent),
                    str(
                        sum(outcome.result.gateway.paired.values()) if outcome.result.gateway else 0
                    ),
                    f"{outcome.seconds:.0f}",
                    "pass" if outcome.result.passed else "deviations",
                ]
                for outcome in showcase.outcomes
            ],
        ),
    ]
    for outcome in showcase.outcomes:
        report = outcome.result.gateway
        lines += ["", f"## {outcome.gateway}, {outcome.variant}", ""]
        if report is not None:
            lines += [
                f"- {pipe_escape(report.pairing_line())}",
                f"- {pipe_escape(report.credential_line())}",
            ]
            lines += [f"- not compared: {pipe_escape(text)}" for text in report.not_compared]
        lines += [f"- cut short: {pipe_escape(reason)}" for reason in outcome.result.cut_short]
        lines += ["", *_deviation_table(outcome)]
    if showcase.skipped:
        lines += ["", "## Not run", ""]
        lines += [f"- {text}" for text in showcase.skipped]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run every gateway; write the page; return 0 (deviations are findings, not errors)."""
    parser = argparse.ArgumentParser(prog="nox -s gateways --")
    parser.add_argument("--litellm", required=True, help="the litellm proxy executable")
    parser.add_argument("--portkey", required=True, help="Portkey's build/start-server.js")
    parser.add_argument("--loopback", required=True, help="the Node preload binding 127.0.0.1")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--report-dir", type=Path, default=DEFAULT_REPORTS)
    parser.add_argument("--max-examples", type=int, default=None)
    parser.add_argument("--only", choices=("litellm", "portkey"), default=None)
    args = parser.parse_args(argv)
    common = ["--quiet"]
    if args.max_examples is not None:
        common += ["--max-examples", str(args.max_examples)]
    showcase = Showcase()
    runs: list[Callable[[], None]] = []
    if args.only in (None, "litellm"):
        runs.append(lambda: run_litellm(showcase, args.litellm, args.report_dir, common))
    if args.only in (None, "portkey"):
        runs.append(
            lambda: run_portkey(showcase, args.portkey, args.loopback, args.report_dir, common)
        )
    for run in runs:
        run()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(showcase, common[1:]), encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
