"""An app on a real 127.0.0.1 port for the tests, served as `imagegen mock` serves the mock.

The tests of the mock, the generated clients and the docs samples call the mock over a real
socket; they serve it here, with the mock's own uvicorn options (`mock.serving`, its bounded
HTTP protocol included), rather than through the conformance runner's embedded server. The raw
exchanges below test that bound on any server that has it (this one, or the runner's).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from imagegen_spec.mock.protocol import MAX_HEAD_BYTES
from imagegen_spec.mock.serving import UVICORN_OPTIONS

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 10.0


@contextmanager
def served(app: ASGIApp) -> Iterator[str]:
    """Serve `app` in a background thread while the block runs; yield `http://127.0.0.1:PORT`.

    The socket is bound (a free port) before the server starts, so no other process can take
    the port in between. On exit the server stops without waiting for requests still in flight
    (a test that timed out on a delayed answer need not wait for it).
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))
    port = int(listener.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", **UVICORN_OPTIONS))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name=f"test-server-{port}", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, (
                f"expected the test server on port {port} to start"
            )
            time.sleep(0.01)
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = server.force_exit = True
        thread.join(timeout=START_TIMEOUT_SECONDS)
        listener.close()


def exchange_raw(port: int, data: bytes) -> bytes:
    """Send raw bytes to 127.0.0.1:`port` and return all it answers until it closes."""
    with socket.create_connection((HOST, port), timeout=10) as connection:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(data)
        received = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := connection.recv(65536):
                received += chunk
    return received


def oversized_head(path: str, status: int) -> bytes:
    """A request head past the bound: endless headers (431) or an endless request line (414)."""
    if status == 431:
        head = b"POST %s HTTP/1.1\r\nHost: x\r\nX-Big: " % path.encode("ascii")
    else:
        head = b"GET %s/" % path.encode("ascii")
    return head + b"a" * (4 * MAX_HEAD_BYTES)


def refused_body(answer: bytes, status: int) -> Any:
    """The JSON body of a raw answer, asserting its status and its request id."""
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 %d" % status), f"expected {status}: {answer[:200]!r}"
    head, _, body = rest.partition(b"\r\n\r\n")
    assert b"x-request-id: req_" in head, f"expected a request id: {head!r}"
    return json.loads(body)
