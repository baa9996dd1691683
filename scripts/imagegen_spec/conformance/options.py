"""The command line of the conformance runner, checked up front with errors that name the flag."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from imagegen_spec.conformance.guard import parse_rate
from imagegen_spec.core.specs import REPO_ROOT, variants
from imagegen_spec.shared.cli import prog


class Phase(StrEnum):
    """A Schemathesis phase the runner can run (the `--phases` values, in their order)."""

    EXAMPLES = "examples"
    COVERAGE = "coverage"
    FUZZING = "fuzzing"


PHASES = tuple(Phase)
DEFAULT_REPORT_DIR = REPO_ROOT / "reports" / "conformance"
DEFAULT_SEED = 20240601
DEFAULT_MAX_EXAMPLES = 100
DEFAULT_LIVE_MAX_PAID_REQUESTS = 5
DEFAULT_REQUEST_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class RunOptions:
    """Everything a conformance run needs to know, validated."""

    variants: tuple[str, ...]
    base_url: str | None
    max_examples: int
    seed: int
    phases: tuple[Phase, ...]
    max_paid_requests: int | None
    negative_only: bool
    rate_limit: str | None
    request_timeout: float
    report_dir: Path
    dry_run: bool
    quiet: bool
    upstream: str | None = None
    upstream_variant: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    jobs: int = 1
    """Mock mode: how many variants' Schemathesis runs go at once."""
    probes: bool = True
    """Gateway mode: send the probes (gateway/probes.py) after Schemathesis' cases."""

    @property
    def gateway(self) -> bool:
        """Whether --base-url is a gateway in front of the embedded upstream (--upstream)."""
        return self.upstream is not None

    @property
    def upstream_port(self) -> int:
        """The port of --upstream (gateway mode only)."""
        assert self.upstream is not None
        return int(self.upstream.rpartition(":")[2])

    @property
    def live(self) -> bool:
        """Whether the run targets a server given by --base-url (not the embedded mock)."""
        return self.base_url is not None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog("conformance"),
        description=(
            "Check that a server implements the imagegen-spec API: Schemathesis (examples, "
            "coverage and fuzzing phases, every check) plus image checks, against the embedded "
            "mock (default) or a live provider (--base-url)."
        ),
        epilog=(
            "Live mode reads the key from IMAGEGEN_<VARIANT>_API_KEY (e.g. "
            "IMAGEGEN_DALLE_API_KEY, IMAGEGEN_GPT_IMAGE_API_KEY); it is never printed or recorded."
        ),
    )
    parser.add_argument(
        "--variant",
        action="append",
        dest="variants",
        choices=variants(),
        help="variant to check; repeatable (default: every variant)",
    )
    parser.add_argument(
        "--base-url",
        help="check a live server at this base URL (e.g. https://api.fastapi.ai/v1); "
        "needs exactly one --variant",
    )
    parser.add_argument(
        "--max-examples",
        type=int,
        default=DEFAULT_MAX_EXAMPLES,
        help="cases of the fuzzing phase (default %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
    )
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help="comma-separated phases to run (default %(default)s)",
    )
    parser.add_argument(
        "--max-paid-requests",
        type=int,
        help="hard cap on requests that could generate an image (default: none against the "
        f"mock, {DEFAULT_LIVE_MAX_PAID_REQUESTS} with --base-url)",
    )
    parser.add_argument(
        "--negative-only",
        action="store_true",
        help="send only requests whose body the spec says must be rejected",
    )
    parser.add_argument(
        "--rate-limit", help="pace requests, as <count>/<s|m|h|d> (e.g. 10/m); default: no limit"
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=DEFAULT_REQUEST_TIMEOUT_SECONDS,
        help="seconds to wait for each response (default %(default)s)",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_REPORT_DIR,
        help="where reports go (default reports/conformance)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="with --base-url: print the plan and send nothing to the target",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the plan and the summary")
    parser.add_argument(
        "--upstream",
        metavar="127.0.0.1:PORT",
        help="gateway mode: serve the mock at this address as the upstream of the gateway at "
        "--base-url (point the gateway at http://127.0.0.1:PORT/<variant>/v1) and report what "
        "the gateway changed on the way up and back",
    )
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="NAME:VALUE",
        help="send this header with every request (repeatable), e.g. a gateway's routing header",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        help="against the embedded mock: how many variants are checked at once, each in its own "
        "Schemathesis process (default: one per core, at most one per variant); the results do "
        "not depend on it",
    )
    parser.add_argument(
        "--no-probes",
        action="store_true",
        help="gateway mode: send only Schemathesis' cases, not the fixed probes read from the "
        "spec (each field with a wrong-typed value, required fields left out, upstream 429s)",
    )
    parser.add_argument(
        "--upstream-variant",
        choices=variants(),
        help="gateway mode: the variant the gateway speaks to the upstream (default: --variant)",
    )
    return parser


def parse_options(argv: list[str] | None = None) -> RunOptions:
    """Parse and check the command line; exits with status 2 and a message on bad input."""
    parser = _parser()
    args = parser.parse_args(argv)
    chosen = tuple(dict.fromkeys(args.variants or variants()))
    names = [name.strip() for name in args.phases.split(",") if name.strip()]
    unknown = [name for name in names if name not in PHASES]
    if not names or unknown:
        parser.error(
            f"--phases: unknown {unknown or 'empty list'}; choose from {', '.join(PHASES)}"
        )
    phases = tuple(Phase(name) for name in names)
    if args.max_examples < 1:
        parser.error(f"--max-examples must be at least 1, not {args.max_examples}")
    if args.max_paid_requests is not None and args.max_paid_requests < 0:
        parser.error(f"--max-paid-requests must not be negative, not {args.max_paid_requests}")
    if args.request_timeout <= 0:
        parser.error(f"--request-timeout must be positive, not {args.request_timeout}")
    if args.rate_limit is not None:
        try:
            parse_rate(args.rate_limit)
        except ValueError as error:
            parser.error(f"--rate-limit: {error}")
    if args.base_url is not None:
        url = urlsplit(args.base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            parser.error(f"--base-url must be an http(s) URL with a host, not {args.base_url!r}")
        if len(chosen) != 1:
            parser.error("--base-url needs exactly one --variant (the API the server implements)")
    elif args.dry_run:
        parser.error("--dry-run prints the plan of a live run: it needs --base-url")
    if args.upstream is not None:
        _check_upstream(parser, args.upstream, args.base_url, args.dry_run)
    elif args.upstream_variant is not None:
        parser.error("--upstream-variant needs --upstream (gateway mode)")
    elif args.no_probes:
        parser.error("--no-probes needs --upstream (gateway mode)")
    if args.jobs is not None and args.jobs < 1:
        parser.error(f"--jobs must be at least 1, not {args.jobs}")
    if args.jobs is not None and args.base_url is not None:
        parser.error("--jobs is for the embedded mock: a --base-url run checks one variant")
    jobs = args.jobs or max(1, min(os.cpu_count() or 1, len(chosen)))
    headers = []
    for header in args.header:
        name, colon, value = header.partition(":")
        if not colon or not name.strip():
            parser.error(f"--header must be NAME:VALUE, not {header!r}")
        headers.append((name.strip(), value.strip()))
    max_paid = args.max_paid_requests
    if max_paid is None and args.base_url is not None and args.upstream is None:
        # A gateway in front of the embedded upstream costs nothing: no cap unless asked.
        max_paid = DEFAULT_LIVE_MAX_PAID_REQUESTS
    return RunOptions(
        variants=chosen,
        base_url=args.base_url.rstrip("/") if args.base_url else None,
        max_examples=args.max_examples,
        seed=args.seed,
        phases=phases,
        max_paid_requests=max_paid,
        negative_only=args.negative_only,
        rate_limit=args.rate_limit,
        request_timeout=args.request_timeout,
        report_dir=args.report_dir.resolve(),
        dry_run=args.dry_run,
        quiet=args.quiet,
        upstream=args.upstream,
        upstream_variant=args.upstream_variant,
        headers=tuple(headers),
        jobs=jobs if args.base_url is None else 1,
        probes=not args.no_probes,
    )


LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def _check_upstream(
    parser: argparse.ArgumentParser, upstream: str, base_url: str | None, dry_run: bool
) -> None:
    """--upstream must be a loopback address with a port, beside --base-url, no dry run."""
    host, _, port = upstream.rpartition(":")
    if host not in LOOPBACK_HOSTS or not port.isdigit() or not 1 <= int(port) <= 65535:
        parser.error(f"--upstream must be 127.0.0.1:PORT (loopback only), not {upstream!r}")
    if base_url is None:
        parser.error("--upstream needs --base-url: the gateway to send the cases to")
    if dry_run:
        parser.error("--dry-run plans a live run; gateway mode (--upstream) has no plan")
