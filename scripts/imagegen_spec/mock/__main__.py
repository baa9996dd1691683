"""Run the mock server: `python -m imagegen_spec.mock --host 127.0.0.1 --port 8000`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import uvicorn

from imagegen_spec.core.specs import variants
from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    defaults = MockConfig()
    parser = argparse.ArgumentParser(
        prog="imagegen-mock", description="Serve every imagegen-spec variant from its spec."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=_port, default=8000, help="port (default %(default)s)")
    parser.add_argument("--api-key", help="accept only this key (default: any non-empty key)")
    parser.add_argument(
        "--blocked-term",
        action="append",
        dest="blocked_terms",
        metavar="TERM",
        help=f"refuse prompts with TERM; repeatable (default: {list(defaults.blocked_terms)})",
    )
    parser.add_argument(
        "--url-ttl",
        type=float,
        default=defaults.url_ttl_seconds,
        metavar="SECONDS",
        help="how long url images are served (default %(default)s)",
    )
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="delay added to every request"
    )
    parser.add_argument(
        "--failure-rate", type=float, default=0.0, help="share of requests answered with a 5xx"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the random failures")
    parser.add_argument(
        "--retry-after", type=int, help="Retry-After seconds of 429s (default: the spec's example)"
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=defaults.max_body_bytes,
        help="larger request bodies get 413 (default %(default)s)",
    )
    parser.add_argument(
        "--variant",
        action="append",
        dest="variants",
        choices=variants(),
        help="serve only this variant; repeatable (default: all)",
    )
    return parser.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> MockConfig:
    """Build a MockConfig from parsed arguments."""
    defaults = MockConfig()
    return MockConfig(
        api_key=args.api_key,
        blocked_terms=tuple(args.blocked_terms or defaults.blocked_terms),
        url_ttl_seconds=args.url_ttl,
        latency_ms=args.latency_ms,
        failure_rate=args.failure_rate,
        seed=args.seed,
        retry_after=args.retry_after,
        max_body_bytes=args.max_body_bytes,
        variants=tuple(args.variants or defaults.variants),
    )


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port (0..65535)")
    return port


UVICORN_OPTIONS: dict[str, Any] = {"log_level": "warning", "access_log": False}
"""How uvicorn serves the mock (the benchmark serves its bare ceiling app the same way)."""


def serve(app: Any, host: str, port: int) -> None:
    """Serve an ASGI app with the mock's uvicorn settings until Ctrl-C or SIGTERM."""
    uvicorn.run(app, host=host, port=port, **UVICORN_OPTIONS)


def main(argv: list[str] | None = None) -> int:
    """Start the server; stops cleanly on Ctrl-C or SIGTERM."""
    args = parse_args(argv)
    try:
        app = create_app(config_from_args(args))
    except ValueError as error:
        print(f"imagegen-mock: {error}", file=sys.stderr)
        return 2
    for prefix, runtime in app.prefixes.items():
        print(f"serving {runtime.variant} at http://{args.host}:{args.port}{prefix}")
    serve(app, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
