"""What the numbers were measured on: CPU, cores, and the versions of everything in the path."""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from imagegen_spec.core.specs import REPO_ROOT

PRISM_PACKAGE = REPO_ROOT / "scripts" / "node" / "node_modules" / "@stoplight" / "prism-cli"


@dataclass(frozen=True)
class Machine:
    """The machine and software a run measured."""

    cpu: str
    cores: int
    python: str
    uvicorn: str
    node: str
    prism: str
    wrk: str
    date: str
    commit: str
    load_average: str = "unknown"
    """The 1-, 5- and 15-minute load averages when the run started (other work on the machine)."""

    def sentence(self) -> str:
        """One line naming all of it."""
        return (
            f"{self.date}, commit {self.commit}: {self.cpu}, {self.cores} cores; "
            f"Python {self.python}, uvicorn {self.uvicorn}; Node {self.node}, Prism {self.prism}; "
            f"{self.wrk}; load average at start {self.load_average}"
        )


def cpu_model(cpuinfo: str) -> str:
    """The first `model name` of /proc/cpuinfo's text."""
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "model name":
            return value.strip()
    return platform.processor() or "unknown CPU"


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _command_output(argv: list[str]) -> str:
    if shutil.which(argv[0]) is None:
        return "not installed"
    finished = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    lines = (finished.stdout or finished.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def uvicorn_stack() -> str:
    """Uvicorn's version and the event loop and HTTP parser it picks (`auto`)."""
    loop = f"uvloop {_version('uvloop')}" if _version("uvloop") else "asyncio"
    http = f"httptools {_version('httptools')}" if _version("httptools") else "h11"
    return f"{_version('uvicorn')} ({loop}, {http})"


def _prism_version() -> str:
    manifest = PRISM_PACKAGE / "package.json"
    if not manifest.exists():
        return "not installed"
    return str(json.loads(manifest.read_text())["version"])


def _commit() -> str:
    finished = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=30,
        check=False,
    )
    return finished.stdout.strip() or "unknown"


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as /proc/loadavg has them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def describe_machine() -> Machine:
    """Describe this machine and the software under test."""
    cpuinfo = Path("/proc/cpuinfo")
    return Machine(
        cpu=cpu_model(cpuinfo.read_text() if cpuinfo.exists() else ""),
        cores=os.cpu_count() or 1,
        python=platform.python_version(),
        uvicorn=uvicorn_stack(),
        node=_command_output(["node", "--version"]),
        prism=_prism_version(),
        wrk=_command_output(["wrk", "--version"]).split(" [")[0],
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=_commit(),
        load_average=load_average(),
    )
