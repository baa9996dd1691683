"""The servers under test, each a child process on 127.0.0.1 that the bench starts and stops.

Every server runs in its own process group, so stopping it also stops anything it spawned;
`ServerGroup` stops every server it started when its `with` block ends, on failure too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from imagegen_spec.bench.scenarios import Scenario
from imagegen_spec.core.specs import REPO_ROOT, spec_path
from imagegen_spec.core.variant import variant_model
from imagegen_spec.shared.errors import UserError

HOST = "127.0.0.1"
PRISM = REPO_ROOT / "scripts" / "node" / "node_modules" / ".bin" / "prism"
PRISM_INSTALL = "npm ci --prefix scripts/node"
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0

MOCK = "mock"
PRISM_NAME = "prism"
BARE = "bare"


class ServerError(UserError, RuntimeError):
    """A server could not be started (the message holds the end of its output)."""


@dataclass(frozen=True)
class ServerCommand:
    """How to start one server and where it serves the operation."""

    name: str
    argv: tuple[str, ...]
    port: int
    prefix: str
    follows_spec: bool = True
    """False for the bare app, which answers 200 to everything."""

    def url(self, scenario: Scenario) -> str:
        """The full URL of a scenario's request on this server."""
        return f"http://{HOST}:{self.port}{self.prefix}{scenario.path}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def mock_command(variant: str, workers: int = 1, name: str = MOCK) -> ServerCommand:
    """The mock, started through its own command line as a user starts it."""
    port = free_port()
    argv: tuple[str, ...] = ("-m", "imagegen_spec.mock", "--host", HOST, "--port", str(port))
    argv = (sys.executable, *argv)
    if workers != 1:
        argv += ("--workers", str(workers))
    return ServerCommand(name, argv, port, variant_model(variant).route.local_prefix)


def bare_command(variant: str) -> ServerCommand:
    """The bare ceiling app, served like the mock and at the same path."""
    port = free_port()
    argv = (sys.executable, "-m", "imagegen_spec.bench.bare", "--host", HOST, "--port", str(port))
    prefix = variant_model(variant).route.local_prefix
    return ServerCommand(BARE, argv, port, prefix, follows_spec=False)


def prism_command(variant: str) -> ServerCommand:
    """Prism's mock of the same spec; it serves the paths without the server's base path.

    Its per-request log is off (`-v error`): the baseline gets its fastest setting.
    """
    if not PRISM.exists():
        raise ServerError(f"Prism is not installed; install it with `{PRISM_INSTALL}`")
    port = free_port()
    argv = (
        str(PRISM),
        "mock",
        "--host",
        HOST,
        "--port",
        str(port),
        "--verboseLevel",
        "error",
        str(spec_path(variant)),
    )
    return ServerCommand(PRISM_NAME, argv, port, "")


class Server:
    """One running server process."""

    def __init__(self, command: ServerCommand, log_dir: Path) -> None:
        """Remember how to start the server; `start()` starts it."""
        self.command = command
        self.log_path = log_dir / f"{command.name}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The server's process id."""
        if self._process is None:
            raise ServerError(f"{self.command.name} is not running")
        return self._process.pid

    def start(self) -> None:
        """Start the process and wait until it accepts connections."""
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                self.command.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=REPO_ROOT,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerError(f"{self.command.name} exited at start:\n{self._log_tail()}")
            with contextlib.suppress(OSError):
                socket.create_connection((HOST, self.command.port), timeout=1).close()
                return
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"{self.command.name} did not listen within {START_TIMEOUT_SECONDS} s")

    def stop(self) -> None:
        """Stop the server's process group: SIGTERM, then SIGKILL if it lingers."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT_SECONDS)

    def peak_rss_mib(self) -> float:
        """The process's peak resident memory so far (VmHWM), in MiB."""
        return peak_rss_mib(Path(f"/proc/{self.pid}/status").read_text())

    def rss_mib(self) -> float:
        """The process's resident memory now (VmRSS), in MiB."""
        return status_mib(Path(f"/proc/{self.pid}/status").read_text(), "VmRSS")

    def _log_tail(self, lines: int = 20) -> str:
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def peak_rss_mib(proc_status: str) -> float:
    """Read VmHWM (kB) from the text of /proc/<pid>/status, in MiB."""
    return status_mib(proc_status, "VmHWM")


def status_mib(proc_status: str, field: str) -> float:
    """Read a kB field (VmHWM, VmRSS) from the text of /proc/<pid>/status, in MiB."""
    for line in proc_status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no {field} line in /proc/<pid>/status")


class ServerGroup:
    """Start servers in a `with` block; every started one is stopped when it ends."""

    def __init__(self, log_dir: Path) -> None:
        """Servers log into `log_dir` (one file each)."""
        self.log_dir = log_dir
        self.servers: dict[str, Server] = {}

    def start(self, command: ServerCommand) -> Server:
        """Start one server (registered first, so it is stopped even if its start fails)."""
        server = Server(command, self.log_dir)
        self.servers[command.name] = server
        server.start()
        return server

    def __enter__(self) -> ServerGroup:
        """Enter the block."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop every server started in the block."""
        for server in self.servers.values():
            server.stop()
