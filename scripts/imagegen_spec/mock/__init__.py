"""The mock server: every variant served from its spec, with real images.

The public surface other packages may use (the conformance runner and the benchmark start the
mock through it): `create_app`, `MockConfig`, `serve`, and `HTTP_PROTOCOL`, the uvicorn HTTP
protocol that bounds a request head (for a server that serves the app without `serve`).
"""

from imagegen_spec.mock.app import MockApp, create_app
from imagegen_spec.mock.config import MockConfig
from imagegen_spec.mock.protocol import BoundedHttpToolsProtocol
from imagegen_spec.mock.serving import serve

HTTP_PROTOCOL = BoundedHttpToolsProtocol
"""uvicorn's `http` setting for the mock: httptools with the request head bounded."""

__all__ = ["HTTP_PROTOCOL", "MockApp", "MockConfig", "create_app", "serve"]
