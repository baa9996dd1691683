"""The mock server: every variant served from its spec, with real images.

The public surface other packages may use (the conformance runner and the benchmark start the
mock through it): `create_app`, `MockConfig` and `serve`.
"""

from imagegen_spec.mock.app import MockApp, create_app
from imagegen_spec.mock.config import MockConfig
from imagegen_spec.mock.serving import serve

__all__ = ["MockApp", "MockConfig", "create_app", "serve"]
