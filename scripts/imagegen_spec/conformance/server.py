"""Serve an ASGI application on 127.0.0.1 in a background thread, for as long as a block runs.

The socket is bound (port 0: the kernel picks a free port) before the server starts, so there is
no window in which another process can take the port, and the URL is known at once.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from imagegen_spec.shared.errors import UserError

LOCAL_HOST = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 10.0


class ServerDidNotStart(UserError, RuntimeError):
    """The background server did not report itself started in time."""


@contextmanager
def serve(
    app: ASGIApp, port: int = 0, http: type[asyncio.Protocol] | str = "auto"
) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 at `port` (0: a free one); yield `http://127.0.0.1:PORT`.

    `http` is uvicorn's HTTP protocol (its name or class; the embedded mock passes its own).

    The server is stopped when the block exits, also on an exception or Ctrl-C. A port that is
    taken raises OSError.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((LOCAL_HOST, port))
    except OSError:
        listener.close()
        raise
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="error", lifespan="off", access_log=False, http=http)
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name=f"serve-{port}", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise ServerDidNotStart(f"the local server on port {port} did not start")
            time.sleep(0.01)
        yield f"http://{LOCAL_HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
        listener.close()
