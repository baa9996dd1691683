"""The ceiling of the stack: a bare ASGI app that reads the request and returns a fixed body.

Served by the same server with the same settings as the mock (`imagegen_spec.mock.serve`),
it measures what uvicorn on this machine can do at all; the mock's share of that is what its own
work costs. Run it with `python -m imagegen_spec.bench.bare --port 8001`.
"""

from __future__ import annotations

import argparse
import sys

from starlette.types import Receive, Scope, Send

from imagegen_spec.mock import serve

BODY = b'{"created":1700000000,"data":[{"url":"http://127.0.0.1:8000/_mock/images/0"}]}'
"""About the size of the mock's url-mode answer."""
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Read the whole request body, then answer 200 with BODY."""
    if scope["type"] != "http":
        return
    more_body = True
    while more_body:
        message = await receive()
        more_body = message["type"] == "http.request" and message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


def main(argv: list[str] | None = None) -> int:
    """Serve the bare app on 127.0.0.1."""
    parser = argparse.ArgumentParser(prog="python -m imagegen_spec.bench.bare")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=8001, help="port (default %(default)s)")
    args = parser.parse_args(argv)
    serve(app, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
