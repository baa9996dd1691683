"""The load generator: wrk (Debian's `wrk`), driven by a Lua script per request kind.

wrk is used because it is a well-kept C load generator that keeps one core busy with far less
overhead per request than any Python client, so the server, not the client, is what is measured.
Its `--latency` report gives the percentiles; a Lua script sets the method, body and headers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from imagegen_spec.bench.scenarios import UNIQUE_MARKER, Scenario
from imagegen_spec.shared.errors import UserError

INSTALL_HINT = "apt-get install -y wrk"

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s+(\d+(?:\.\d+)?)(us|ms|s|m|h)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in (\d+(?:\.\d+)?)(us|ms|s|m|h)", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+(\d+(?:\.\d+)?)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)\s*$", re.MULTILINE)
_SOCKET_ERRORS = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", re.MULTILINE
)


class WrkError(UserError, RuntimeError):
    """wrk is missing, failed, or printed a report this module cannot read."""


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured (latencies in milliseconds)."""

    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int


def wrk_binary() -> str:
    """The path of wrk, or WrkError saying how to install it."""
    found = shutil.which("wrk")
    if found is None:
        raise WrkError(f"wrk is not installed; install it with `{INSTALL_HINT}`")
    return found


def lua_string(value: str) -> str:
    """A Lua long-bracket string literal holding `value` exactly (no escapes are interpreted)."""
    level = 0
    while f"]{'=' * level}]" in value:
        level += 1
    equals = "=" * level
    return f"[{equals}[{value}]{equals}]"


def lua_script(
    scenario: Scenario, *, stop_after: int | None = None, per_request: bool = False
) -> str:
    """The wrk Lua script that sends a scenario's method, headers and body on every request.

    A unique-prompt scenario gets a body of its own per request (its marker replaced by a
    nonce of the run and a counter, so runs never repeat a prompt either). `per_request`
    builds every request in Lua even when the body is fixed, so that a repeated and a new
    prompt cost wrk the same; `stop_after` stops the (single) thread after that many responses.
    """
    lines = [f"wrk.method = {lua_string(scenario.method)}"]
    lines.append(f"wrk.body = {lua_string(scenario.body.decode('utf-8'))}")
    for name, value in scenario.headers.items():
        # The spaces keep `[ [[` from reading as the start of a long string.
        lines.append(f"wrk.headers[ {lua_string(name)} ] = {lua_string(value)}")
    if scenario.unique:
        head, _, tail = scenario.body.decode("utf-8").partition(UNIQUE_MARKER)
        lines += [
            "math.randomseed(os.time())",
            'local nonce = os.time() .. "-" .. math.random(1000000000) .. "-"',
            f"local head, tail = {lua_string(head)} .. nonce, {lua_string(tail)}",
            "local sent = 0",
            "request = function()",
            "  sent = sent + 1",
            "  return wrk.format(nil, nil, nil, head .. sent .. tail)",
            "end",
        ]
    elif per_request:
        lines += ["request = function()", "  return wrk.format(nil, nil, nil, wrk.body)", "end"]
    if stop_after is not None:
        lines += [
            "local answered = 0",
            "response = function(status, headers, body)",
            "  answered = answered + 1",
            f"  if answered >= {int(stop_after)} then wrk.thread:stop() end",
            "end",
        ]
    return "\n".join(lines) + "\n"


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS_MS[unit]


def parse_wrk(report: str) -> WrkResult:
    """Read a `wrk --latency` report; WrkError names what is missing."""
    percentiles = {float(p): _ms(value, unit) for p, value, unit in _PERCENTILE.findall(report)}
    total = _TOTAL.search(report)
    rate = _RATE.search(report)
    if total is None or rate is None or 50.0 not in percentiles or 99.0 not in percentiles:
        raise WrkError(f"not a `wrk --latency` report:\n{report}")
    non_2xx = _NON_2XX.search(report)
    socket_errors = _SOCKET_ERRORS.search(report)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=_ms(total.group(2), total.group(3)) / 1000,
        requests_per_second=float(rate.group(1)),
        p50_ms=percentiles[50.0],
        p99_ms=percentiles[99.0],
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(map(int, socket_errors.groups())) if socket_errors else 0,
    )


def run_wrk(
    url: str,
    script: Path,
    *,
    connections: int,
    seconds: float,
    threads: int = 1,
) -> WrkResult:
    """Load `url` for `seconds` with wrk and return what it measured.

    wrk stops by itself after `seconds`; the subprocess is also killed if it overruns by 30 s.
    """
    return finish_wrk(
        start_wrk(url, script, connections=connections, seconds=seconds, threads=threads)
    )


@dataclass
class RunningWrk:
    """A wrk run started in the background (`finish_wrk` waits for its report)."""

    process: subprocess.Popen[str]
    command: list[str]
    seconds: float


def start_wrk(
    url: str, script: Path, *, connections: int, seconds: float, threads: int = 1
) -> RunningWrk:
    """Start wrk without waiting for it (to load a server while another run measures it)."""
    command = [
        wrk_binary(),
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        "--latency",
        f"--script={script}",
        url,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return RunningWrk(process, command, seconds)


def finish_wrk(running: RunningWrk) -> WrkResult:
    """Wait for a wrk run and read its report (killed if it overruns by 30 s)."""
    try:
        stdout, stderr = running.process.communicate(timeout=running.seconds + 30)
    except subprocess.TimeoutExpired as error:
        running.process.kill()
        running.process.communicate()
        raise WrkError(f"wrk did not finish: {' '.join(running.command)}") from error
    # wrk reports a broken Lua script and carries on with a plain GET: treat it as a failure.
    if running.process.returncode != 0 or stderr.strip():
        raise WrkError(f"wrk failed ({running.process.returncode}): {stderr.strip()}")
    return parse_wrk(stdout)
