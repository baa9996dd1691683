"""`imagegen <command>`: the one command line of the project.

Each command is a feature's `main`, which renders its own errors through `shared.cli`
(`imagegen <command>: error: ...`, exit 2; exit 1 for a failed check).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from imagegen_spec.shared.cli import PROGRAM, USAGE_ERROR, Main

COMMANDS = {
    "mock": ("imagegen_spec.mock.__main__", "serve the mock server of every variant"),
    "conformance": (
        "imagegen_spec.conformance.__main__",
        "check a server (default: the embedded mock) against the specs",
    ),
    "gateways": (
        "imagegen_spec.conformance.gateway.showcase",
        "gateway mode against LiteLLM proxy and Portkey; write docs/gateways.md",
    ),
    "generate": ("imagegen_spec.generate.cli", "generate models and clients into generated/"),
    "diff": ("imagegen_spec.diff.__main__", "report spec changes, whom they break, the bump"),
    "docs": ("imagegen_spec.docs.__main__", "build the docs site and the README comparison"),
    "bench": ("imagegen_spec.bench.cli", "benchmark the mock, generation and conformance"),
    "lint": ("imagegen_spec.lint", "validate and lint the specs"),
    "provenance": (
        "imagegen_spec.provenance.__main__",
        "write the decision table and docs/decisions.md from the specs' provenance entries",
    ),
}
"""Each command's module (imported only when run: a command loads only what it needs)."""


def usage() -> str:
    """The top-level help."""
    width = max(map(len, COMMANDS))
    lines = [f"usage: {PROGRAM} <command> [options]  (`{PROGRAM} <command> --help`)", ""]
    lines += [f"  {name.ljust(width)}  {help_text}" for name, (_, help_text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `imagegen <command> [options]`; return the command's exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(usage())
        return 0 if args else USAGE_ERROR
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(usage(), file=sys.stderr)
        print(f"{PROGRAM}: error: unknown command {command!r}", file=sys.stderr)
        return USAGE_ERROR
    module = importlib.import_module(COMMANDS[command][0])
    command_main: Main = module.main
    return command_main(rest)


if __name__ == "__main__":
    sys.exit(main())
