"""How every command reports: one prog name, one error line, one meaning per exit status.

Exit status: 0 ok, 1 a check failed (a stale file, a failed conformance check, a breaking change
without its bump), 2 a usage or input error (`imagegen <command>: error: <message>`, what
argparse prints too), 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Final

from imagegen_spec.shared.errors import UserError

PROGRAM: Final = "imagegen"
OK: Final = 0
CHECK_FAILED: Final = 1
USAGE_ERROR: Final = 2
INTERRUPTED: Final = 130

Main = Callable[[Sequence[str] | None], int]
"""A command's body: parse its arguments, work, return 0 or CHECK_FAILED; raise UserError."""


def prog(command: str) -> str:
    """The name a command goes by in usage and error lines: `imagegen <command>`."""
    return f"{PROGRAM} {command}"


def parser(command: str, description: str | None = None) -> argparse.ArgumentParser:
    """An argument parser for one command (its usage errors read `imagegen <command>: error:`)."""
    return argparse.ArgumentParser(prog=prog(command), description=description)


def error_line(command: str, message: object) -> str:
    """The one line an error is shown as."""
    return f"{prog(command)}: error: {message}"


def run_command(command: str, body: Main, argv: Sequence[str] | None = None) -> int:
    """Run a command's body; render a UserError as its one line and exit status 2."""
    try:
        return body(argv)
    except UserError as error:
        print(error_line(command, error), file=sys.stderr)
        return USAGE_ERROR
