"""Run the mock server: `python -m imagegen_spec.mock --host 127.0.0.1 --port 8000`."""

from __future__ import annotations

import argparse
import os
import sys

from imagegen_spec.core.specs import variants
from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from imagegen_spec.mock.serving import UVICORN_OPTIONS, serve, serve_workers
from imagegen_spec.mock.urls import URL_SECRET_ENV

__all__ = ["UVICORN_OPTIONS", "config_from_args", "main", "parse_args", "serve"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    defaults = MockConfig()
    parser = argparse.ArgumentParser(
        prog="imagegen-mock", description="Serve every imagegen-spec variant from its spec."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=_port, default=8000, help="port (default %(default)s)")
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="worker processes serving the one port (default %(default)s)",
    )
    parser.add_argument(
        "--public-url",
        metavar="ORIGIN",
        help="origin of the image URLs, e.g. http://mock.internal:8000 "
        "(default: the address the request came in on)",
    )
    parser.add_argument(
        "--url-secret",
        default=os.environ.get(URL_SECRET_ENV) or None,
        metavar="SECRET",
        help=f"key that signs image URLs; replicas sharing it serve each other's URLs "
        f"(default: ${URL_SECRET_ENV}, else random per start)",
    )
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
        "--latency-ms", type=float, default=defaults.latency_ms, help="delay added to every request"
    )
    parser.add_argument(
        "--failure-rate",
        type=float,
        default=defaults.failure_rate,
        help="share of requests answered with a 5xx",
    )
    parser.add_argument(
        "--seed", type=int, default=defaults.seed, help="seed of the random failures"
    )
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
        "--cors-origin",
        action="append",
        dest="cors_origins",
        metavar="ORIGIN",
        help="browser origin allowed to call the mock, or '*'; repeatable "
        "(default: loopback origins, http://localhost:*, http://127.0.0.1:*)",
    )
    parser.add_argument("--no-cors", action="store_true", help="answer no CORS request")
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
        url_secret=args.url_secret,
        public_url=args.public_url,
        latency_ms=args.latency_ms,
        failure_rate=args.failure_rate,
        seed=args.seed,
        retry_after=args.retry_after,
        max_body_bytes=args.max_body_bytes,
        cors_origins=() if args.no_cors else tuple(args.cors_origins or defaults.cors_origins),
        variants=tuple(args.variants or defaults.variants),
    )


def _port(text: str) -> int:
    port = _integer(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port (0..65535)")
    return port


def _positive_int(text: str) -> int:
    number = _integer(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is not a positive whole number")
    return number


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def main(argv: list[str] | None = None) -> int:
    """Start the server; stops cleanly on Ctrl-C or SIGTERM."""
    args = parse_args(argv)
    try:
        config = config_from_args(args)
        # Built here with one worker or several: a setting the app rejects fails at once.
        app = create_app(config)
    except ValueError as error:
        print(f"imagegen-mock: {error}", file=sys.stderr)
        return 2
    for prefix, runtime in app.prefixes.items():
        print(f"serving {runtime.variant} at http://{args.host}:{args.port}{prefix}")
    if args.workers > 1:
        print(f"with {args.workers} worker processes", flush=True)
        serve_workers(config, args.host, args.port, args.workers)
    else:
        sys.stdout.flush()
        serve(app, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
