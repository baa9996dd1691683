"""The conformance runner's embedded mock: served with the mock's own bounded HTTP protocol."""

from __future__ import annotations

from imagegen_spec.conformance import runner
from imagegen_spec.core.variant import variant_model
from tests.loopback import exchange_raw, oversized_head, refused_body
from tests.mock.conftest import assert_in_error_shape


def test_the_conformance_runners_embedded_mock_bounds_the_head_too() -> None:
    with runner.embedded_mock("k") as origin:
        port = int(origin.rsplit(":", 1)[1])
        path = variant_model("azure").route.local_prefix + "/images/generations"
        body = refused_body(exchange_raw(port, oversized_head(path, 431)), 431)
    assert_in_error_shape("azure", body)
