"""`imagegen gateways`: gateway mode against real gateways, written up in docs/gateways.md.

`nox -s gateways` installs the gateways (pinned) and runs this command. Each gateway runs on
127.0.0.1 in front of the embedded upstream, for every variant it can serve:

- LiteLLM proxy, in two configurations users run; clients use its master key, LiteLLM its
  own upstream key:
  - per model: one deployment per member of the dalle spec's `model` enum (`openai/dall-e-2`,
    `openai/dall-e-3`) and `openai/gpt-image-1` (the gpt-image spec's `model` is any string),
    with the upstream as `api_base`, and an Azure deployment named as the
    azure spec's example `deploymentId` (`azure/dall-e-3` at the upstream's `/azure`, which
    LiteLLM's Azure client calls as `{api_base}/openai/deployments/...`). It serves `dalle` and
    `gpt-image` at `/v1` and `azure` at its Azure route `/openai`
    (`/openai/deployments/{model}/images/generations`); the azure spec's own path below `/v1` is
    tried once and its answer noted. A body without `model` is answered by LiteLLM (400).
  - wildcard route: LiteLLM's documented catch-all (`model_name: "*"`, `model: "openai/*"`) in
    front of the dalle upstream, for `dalle`. Its router looks a missing model up as
    `f"{provider}/{model}"`, i.e. `"None/None"`, which `*` matches, so the request goes upstream
    with `model: "None/None"`.
- Portkey gateway: started with a preload that makes every socket it listens on bind 127.0.0.1
  (it binds every interface by default); routed per request by `x-portkey-provider` and
  `x-portkey-custom-host: <upstream>`, the client's key forwarded. It serves `dalle` and
  `gpt-image` with an OpenAI upstream, and `dalle` with an Azure upstream (its `azure-openai`
  provider, deployment and api-version in `x-portkey-azure-*` headers): a dalle-facing gateway
  compared with an azure upstream by what both specs name.

Each gateway process is stopped by its own PID when its runs end, also on an error.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from imagegen_spec.conformance.credentials import credential_scheme, env_var
from imagegen_spec.conformance.gateway.compare import Side
from imagegen_spec.conformance.gateway.probes import error_message, operation_url, parameter_example
from imagegen_spec.conformance.gateway.run import UPSTREAM_KEY_VAR, run_gateway
from imagegen_spec.conformance.options import parse_options
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.core.operation import operation
from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.core.variant import variant_model
from imagegen_spec.shared.cli import prog, run_command
from imagegen_spec.shared.errors import UserError
from imagegen_spec.shared.tables import markdown_table, pipe_escape

COMMAND = "gateways"
LOCAL = "127.0.0.1"
READY_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 10.0
DEFAULT_OUT = REPO_ROOT / "docs" / "gateways.md"
DEFAULT_REPORTS = REPO_ROOT / "reports" / "gateways"
DEFAULT_LOOPBACK = REPO_ROOT / "scripts" / "gateways" / "loopback.cjs"
AZURE_MODEL = "dall-e-3"
"""The model behind LiteLLM's Azure deployment (so it treats the deployment as DALL-E 3).

The azure spec's `model` is any string; this must be one of the dalle spec's `model` enum.
"""
GPT_IMAGE_MODEL = "gpt-image-1"
"""The model name of LiteLLM's gpt-image deployment (the gpt-image spec's `model` is any string)."""


class GatewayDidNotStart(UserError):
    """A gateway process that exited or did not answer in time."""


class MissingTool(UserError):
    """A gateway's executable or script that is not where it was said to be."""


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
                    raise GatewayDidNotStart(f"{command[0]} did not start; see {log}")
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
    """One gateway and variant: its result, how long it took, and notes for the page."""

    gateway: str
    variant: str
    upstream_variant: str
    result: VariantResult
    seconds: float
    notes: list[str] = field(default_factory=list)
    setup: str = ""
    """The gateway's configuration where it runs in more than one (LiteLLM's wildcard route)."""

    @property
    def label(self) -> str:
        """The variant, and the upstream's where it differs."""
        if self.upstream_variant == self.variant:
            return self.variant
        return f"{self.variant} ({self.upstream_variant} upstream)"

    @property
    def title(self) -> str:
        """The gateway, and its configuration where it has more than one."""
        return f"{self.gateway} ({self.setup})" if self.setup else self.gateway

    @property
    def anchor(self) -> str:
        """The page's anchor prefix of this run's repros."""
        suffix = "" if self.upstream_variant == self.variant else f"-{self.upstream_variant}"
        setup = "".join(f"-{word}" for word in self.setup.lower().split())
        return f"{self.gateway.split()[0].lower()}{setup}-{self.variant}{suffix}"


@dataclass
class Showcase:
    """The runs of one invocation."""

    outcomes: list[Outcome] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GatewayRun:
    """One run of gateway mode: the variants on each side, the gateway's base path, headers."""

    variant: str
    base_path: str
    upstream_variant: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    setup: str = ""
    notes: tuple[str, ...] = ()


def _run(
    showcase: Showcase, gateway: str, run: GatewayRun, key: str, port: int, common: list[str]
) -> Outcome:
    os.environ[env_var(run.variant)] = key
    started = time.monotonic()
    argv = ["--variant", run.variant, "--base-url", f"http://{LOCAL}:{port}{run.base_path}"]
    if run.upstream_variant is not None:
        argv += ["--upstream-variant", run.upstream_variant]
    for name, value in run.headers:
        argv += ["--header", f"{name}:{value}"]
    options = parse_options([*argv, *common])
    result = run_gateway(options, key, echo=False)
    seconds = time.monotonic() - started
    upstream_variant = run.upstream_variant or run.variant
    outcome = Outcome(
        gateway, run.variant, upstream_variant, result, seconds, list(run.notes), run.setup
    )
    showcase.outcomes.append(outcome)
    print(
        f"{outcome.title} / {outcome.label}: {result.cases_sent} requests "
        f"and {len(result.gateway.probes) if result.gateway else 0} probes in {seconds:.0f} s",
        flush=True,
    )
    return outcome


def route_note(variant: str, url: str, key: str) -> str:
    """One request of the spec's fullest example to `url`: what the gateway answered there."""
    scheme = credential_scheme(variant)
    examples = [
        example.value
        for example in operation(variant).examples()
        if "/requestBody/" in example.where and isinstance(example.value, dict)
    ]
    headers = {scheme.header: scheme.header_value(key)}
    try:
        answer = requests.post(url, json=max(examples, key=len), headers=headers, timeout=60)
    except requests.RequestException as error:
        return f"no answer ({type(error).__name__})"
    try:
        body = answer.json()
    except ValueError:
        body = None
    detail = error_message(body) or (json.dumps(body)[:90] if body is not None else "")
    return f"{answer.status_code} {detail}".strip()


def dalle_models() -> list[str]:
    """The dalle spec's `model` enum (its LiteLLM deployments, one per model)."""
    runtime = variant_model("dalle")
    return [
        str(value) for value in runtime.operation.enum_values(runtime.request.properties["model"])
    ]


def litellm_config(upstream: int, key: str, master: str) -> str:
    """The LiteLLM proxy config: one openai deployment per model, one azure deployment."""
    dalle = dalle_models()
    if AZURE_MODEL not in dalle:
        raise UserError(f"the dalle spec's `model` enum {dalle} lacks {AZURE_MODEL!r}")
    models = [*((model, "dalle") for model in dalle), (GPT_IMAGE_MODEL, "gpt-image")]
    lines = ["model_list:"]
    for model, variant in models:
        lines += [
            f"  - model_name: {model}",
            "    litellm_params:",
            f"      model: openai/{model}",
            f"      api_base: http://{LOCAL}:{upstream}/{variant}/v1",
            f"      api_key: {key}",
        ]
    lines += [
        f"  - model_name: {parameter_example('azure', 'deploymentId')}",
        "    litellm_params:",
        f"      model: azure/{AZURE_MODEL}",
        f"      api_base: http://{LOCAL}:{upstream}/azure",
        f"      api_key: {key}",
        f"      api_version: {json.dumps(str(parameter_example('azure', 'api-version')))}",
    ]
    lines += ["general_settings:", f"  master_key: {master}"]
    return "\n".join(lines) + "\n"


def litellm_wildcard_config(upstream: int, key: str, master: str, variant: str) -> str:
    """The LiteLLM proxy config with one catch-all route to the variant's upstream."""
    lines = [
        "model_list:",
        '  - model_name: "*"',
        "    litellm_params:",
        '      model: "openai/*"',
        f"      api_base: http://{LOCAL}:{upstream}/{variant}/v1",
        f"      api_key: {key}",
        "general_settings:",
        f"  master_key: {master}",
    ]
    return "\n".join(lines) + "\n"


LITELLM_WILDCARD = "wildcard route"
LITELLM_WILDCARD_VARIANT = "dalle"
LITELLM_PER_MODEL_NOTE = (
    "config: one deployment per model (`model_name: dall-e-3` -> `model: openai/dall-e-3`, ...) "
    "and one Azure deployment; a model it does not list, or none, LiteLLM answers itself"
)
LITELLM_WILDCARD_NOTE = (
    'config: one catch-all route (`model_name: "*"` -> `model: "openai/*"`, the dalle upstream '
    "as `api_base`), LiteLLM's wildcard routing: any model name goes upstream; a request "
    'without `model` goes up as `"None/None"` (its router looks a missing model up as '
    '`"{provider}/{model}"`, which `*` matches)'
)


def run_litellm(showcase: Showcase, binary: str, reports: Path, common: list[str]) -> None:
    """LiteLLM per model (dalle and gpt-image at /v1, azure at /openai), then its wildcard route."""
    _run_litellm(
        showcase,
        binary,
        reports / "litellm",
        common,
        litellm_config,
        tuple(
            GatewayRun(variant, path, notes=(LITELLM_PER_MODEL_NOTE,))
            for variant, path in (("dalle", "/v1"), ("gpt-image", "/v1"), ("azure", "/openai"))
        ),
    )
    _run_litellm(
        showcase,
        binary,
        reports / "litellm-wildcard",
        common,
        lambda upstream, key, master: litellm_wildcard_config(
            upstream, key, master, LITELLM_WILDCARD_VARIANT
        ),
        (
            GatewayRun(
                LITELLM_WILDCARD_VARIANT,
                "/v1",
                setup=LITELLM_WILDCARD,
                notes=(LITELLM_WILDCARD_NOTE,),
            ),
        ),
    )


def _run_litellm(
    showcase: Showcase,
    binary: str,
    directory: Path,
    common: list[str],
    config_text: Callable[[int, str, str], str],
    runs: Sequence[GatewayRun],
) -> None:
    """One LiteLLM process with one config, in front of the upstream, for the given runs."""
    port, upstream = free_port(), free_port()
    master, key = "sk-" + secrets.token_hex(12), "up-" + secrets.token_hex(12)
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "litellm.yaml"
    config.write_text(config_text(upstream, key, master), encoding="utf-8")
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", UPSTREAM_KEY_VAR: key}
    command = [binary, "--config", str(config), "--host", LOCAL, "--port", str(port)]
    showcase.versions["LiteLLM proxy"] = _version("litellm")
    os.environ[UPSTREAM_KEY_VAR] = key
    argv = [*("--upstream", f"{LOCAL}:{upstream}"), *("--report-dir", str(directory)), *common]
    try:
        with process(
            command, f"http://{LOCAL}:{port}/health/liveliness", directory / "litellm.log", env
        ):
            for run in runs:
                outcome = _run(showcase, "LiteLLM proxy", run, master, port, argv)
                if run.variant == "azure":
                    own = f"http://{LOCAL}:{port}/v1"
                    path = operation_url("azure", own).removeprefix(f"http://{LOCAL}:{port}")
                    outcome.notes.append(
                        f"route: the azure spec's own path below `/v1` (`POST {path}`) answered "
                        f"{route_note('azure', operation_url('azure', own), master)}; the run used "
                        "LiteLLM's Azure route `/openai/deployments/{model}/images/generations`"
                    )
    finally:
        os.environ.pop(UPSTREAM_KEY_VAR, None)


def run_portkey(
    showcase: Showcase, start: str, loopback: str, reports: Path, common: list[str]
) -> None:
    """The Portkey gateway (loopback only): dalle, gpt-image, and dalle over an azure upstream."""
    port, upstream = free_port(), free_port()
    directory = reports / "portkey"
    directory.mkdir(parents=True, exist_ok=True)
    command = ["node", "--require", loopback, start, f"--port={port}"]
    package = Path(start).parents[1] / "package.json"
    showcase.versions["Portkey gateway"] = _package_version(package)
    origin = f"http://{LOCAL}:{upstream}"
    azure = (
        ("x-portkey-provider", "azure-openai"),
        ("x-portkey-custom-host", f"{origin}/azure/openai"),
        ("x-portkey-azure-resource-name", "unused-with-a-custom-host"),
        ("x-portkey-azure-deployment-id", str(parameter_example("azure", "deploymentId"))),
        ("x-portkey-azure-api-version", str(parameter_example("azure", "api-version"))),
    )
    runs = [
        (
            GatewayRun(
                variant,
                "/v1",
                headers=(
                    ("x-portkey-provider", "openai"),
                    ("x-portkey-custom-host", f"{origin}/{variant}/v1"),
                ),
            ),
            directory,
        )
        for variant in ("dalle", "gpt-image")
    ]
    runs.append((GatewayRun("dalle", "/v1", "azure", azure), directory / "azure-upstream"))
    with process(command, f"http://{LOCAL}:{port}/", directory / "portkey.log", dict(os.environ)):
        for run, folder in runs:
            argv = [*("--upstream", f"{LOCAL}:{upstream}"), *("--report-dir", str(folder)), *common]
            _run(showcase, "Portkey gateway", run, "sk-" + secrets.token_hex(12), port, argv)
    showcase.skipped.append(
        "Portkey gateway / azure on the client side: Portkey's clients speak the OpenAI API "
        "(`/v1/images/generations`); it has no Azure-style deployments route"
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
        return f"[{len(repros)}](#{outcome.anchor}-{len(repros)})"

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
                f'<a id="{outcome.anchor}-{index}"></a>{index}.',
                "",
                "```sh",
                command,
                "```",
                "",
            ]
        lines.append("</details>")
    return lines


def render(showcase: Showcase, common: list[str]) -> str:
    """docs/gateways.md."""
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    total = sum(outcome.seconds for outcome in showcase.outcomes)
    lines = [
        "# Gateways, checked on both sides",
        "",
        "What real gateways change between a client and the provider behind them, found by "
        "`imagegen gateways` (`nox -s gateways` installs the gateways and runs it; gateway mode "
        "of `imagegen conformance`, see the README): each gateway runs on 127.0.0.1 in front of "
        "the project's mock, Schemathesis sends every case to the gateway, then the probes (a "
        "fixed set read from the spec: each field with every JSON type it does not allow, the "
        "required fields left out, only the required fields, and requests the upstream answers "
        "429 with `Retry-After`), and each request is paired with what reached the mock. *Way "
        "up* is what the gateway changed in the request (sent by the client, arrived upstream); "
        "*way back* what it changed in the response (sent by the upstream, arrived at the "
        "client); *client sees* are the conformance checks that failed on what the client got. "
        "Every comparison reads the specs.",
        "",
        f"Run {when}; options: `{' '.join(common) or 'defaults'}`; gateway mode took "
        f"{total:.0f} s in all (the table's seconds; installs and start-ups not counted).",
        "",
        markdown_table(
            [
                "gateway",
                "version",
                "variant",
                "requests",
                "probes",
                "reached upstream",
                "seconds",
                "result",
            ],
            [
                [
                    outcome.title,
                    showcase.versions.get(outcome.gateway, "?"),
                    outcome.label,
                    str(outcome.result.cases_sent),
                    str(len(outcome.result.gateway.probes) if outcome.result.gateway else 0),
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
        lines += ["", f"## {outcome.title}, {outcome.label}", ""]
        if report is not None:
            lines += [
                f"- {pipe_escape(report.pairing_line())}",
                f"- {pipe_escape(report.credential_line())}",
            ]
            lines += [f"- not compared: {pipe_escape(text)}" for text in report.not_compared]
        lines += [f"- {pipe_escape(note)}" for note in outcome.notes]
        lines += [f"- cut short: {pipe_escape(reason)}" for reason in outcome.result.cut_short]
        lines += ["", *_deviation_table(outcome)]
        if report is not None and report.probes:
            lines += ["", "<details><summary>Probes</summary>", "", *report.probe_markdown()]
            lines += ["", "</details>"]
    if showcase.skipped:
        lines += ["", "## Not run", ""]
        lines += [f"- {text}" for text in showcase.skipped]
    return "\n".join(lines) + "\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog(COMMAND),
        description="Run gateway mode against LiteLLM proxy and the Portkey gateway, each on "
        "127.0.0.1 in front of the embedded upstream, and write docs/gateways.md. "
        "`nox -s gateways` installs both (pinned) and runs this.",
    )
    parser.add_argument(
        "--litellm",
        default=shutil.which("litellm"),
        help="the litellm proxy executable (default: litellm on PATH)",
    )
    parser.add_argument(
        "--portkey", help="Portkey's build/start-server.js (from npm @portkey-ai/gateway)"
    )
    parser.add_argument(
        "--loopback",
        type=Path,
        default=DEFAULT_LOOPBACK,
        help="the Node preload that binds Portkey to 127.0.0.1 (default %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the page to write")
    parser.add_argument("--report-dir", type=Path, default=DEFAULT_REPORTS)
    parser.add_argument(
        "--max-examples", type=int, default=None, help="Schemathesis examples per operation"
    )
    parser.add_argument("--only", choices=("litellm", "portkey"), default=None)
    return parser


def _tool(path: str | None, what: str, flag: str) -> str:
    if not path or not Path(path).exists():
        raise MissingTool(
            f"{flag}: {what} not found ({path or 'not given'}); `nox -s gateways` installs it"
        )
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run `imagegen gateways`; return the exit status."""
    return run_command(COMMAND, _main, argv)


def _main(argv: Sequence[str] | None) -> int:
    """Run every gateway; write the page; 0 (deviations are findings, not errors)."""
    parser = _parser()
    args = parser.parse_args(None if argv is None else list(argv))
    if args.max_examples is not None and args.max_examples < 1:
        parser.error("--max-examples must be at least 1")  # before any gateway starts
    common = ["--quiet"]
    if args.max_examples is not None:
        common += ["--max-examples", str(args.max_examples)]
    showcase = Showcase()
    runs: list[Callable[[], None]] = []
    if args.only in (None, "litellm"):
        litellm = _tool(args.litellm, "the litellm proxy executable", "--litellm")
        runs.append(lambda: run_litellm(showcase, litellm, args.report_dir, common))
    if args.only in (None, "portkey"):
        portkey = _tool(args.portkey, "Portkey's start-server.js", "--portkey")
        loopback = _tool(str(args.loopback), "the loopback preload", "--loopback")
        runs.append(lambda: run_portkey(showcase, portkey, loopback, args.report_dir, common))
    for run in runs:
        run()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(showcase, common[1:]), encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
