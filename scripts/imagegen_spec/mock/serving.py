"""Serving the mock with uvicorn: one process, or several workers on one port.

Several workers are uvicorn's own multi-process mode: uvicorn binds the port once and starts
the workers, each of which builds its app with `worker_app` from the settings this process
puts in the environment. They share nothing but the URL secret (so each serves the others'
image URLs) and prometheus-client's multiprocess directory (so each one's metrics path reports
the sum over all). The same holds across machines: replicas behind any load balancer need only
the same `--url-secret`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import shutil
import tempfile
from typing import Any

import uvicorn

from imagegen_spec.mock.app import MockApp, create_app
from imagegen_spec.mock.config import MockConfig
from imagegen_spec.mock.metrics import MULTIPROCESS_ENV

CONFIG_ENV = "IMAGEGEN_MOCK_WORKER_CONFIG"
"""Where the command line hands the workers their settings (JSON of a MockConfig)."""

UVICORN_OPTIONS: dict[str, Any] = {
    "log_level": "warning",
    "access_log": False,
    "http": "imagegen_spec.mock.protocol:BoundedHttpToolsProtocol",
}
"""How uvicorn serves the mock (the benchmark serves its bare ceiling app the same way)."""


def serve(app: Any, host: str, port: int) -> None:
    """Serve an ASGI app in this process with the mock's uvicorn settings until Ctrl-C/SIGTERM."""
    uvicorn.run(app, host=host, port=port, **UVICORN_OPTIONS)


def serve_workers(config: MockConfig, host: str, port: int, workers: int) -> None:
    """Serve the mock from `workers` processes on one port until Ctrl-C or SIGTERM.

    Without a URL secret one is made here, so that every worker signs with the same one.
    """
    if config.url_secret is None:
        config = dataclasses.replace(config, url_secret=secrets.token_urlsafe(32))
    metrics_dir = tempfile.mkdtemp(prefix="imagegen-mock-metrics-")
    environment = {
        CONFIG_ENV: json.dumps(dataclasses.asdict(config)),
        MULTIPROCESS_ENV: metrics_dir,
    }
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        uvicorn.run(
            f"{__name__}:worker_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            **UVICORN_OPTIONS,
        )
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(metrics_dir, ignore_errors=True)


def worker_app() -> MockApp:
    """The app of one worker, from the settings `serve_workers` put in the environment."""
    fields = json.loads(os.environ[CONFIG_ENV])
    for name, value in fields.items():
        if isinstance(value, list):
            fields[name] = tuple(value)
    return create_app(MockConfig(**fields))
