"""A gateway-mode run: the embedded upstream, Schemathesis against the gateway, the comparison.

The upstream accepts one key: `$IMAGEGEN_UPSTREAM_API_KEY` when the gateway sends its own key
upstream, else the client's (a gateway that forwards the client's key). So a gateway that lets a
wrong key through is still caught by `ignored_auth`.
"""

from __future__ import annotations

import os

from imagegen_spec.conformance.credentials import credential_scheme, placeholder
from imagegen_spec.conformance.gateway.compare import Comparison
from imagegen_spec.conformance.gateway.exchanges import Exchange, read_log, write_log
from imagegen_spec.conformance.gateway.report import analyse, write_report
from imagegen_spec.conformance.gateway.upstream import UpstreamRecorder
from imagegen_spec.conformance.junit import write_junit
from imagegen_spec.conformance.options import RunOptions
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.conformance.runner import (
    ReportPaths,
    Target,
    mock_app,
    mock_base_url,
    run_schemathesis,
)
from imagegen_spec.conformance.server import serve
from imagegen_spec.conformance.wire import WireRequest, read

UPSTREAM_KEY_VAR = "IMAGEGEN_UPSTREAM_API_KEY"
"""The key the upstream accepts (the one the gateway is configured with); default: the client's."""


def run_gateway(options: RunOptions, key: str, *, echo: bool = True) -> VariantResult:
    """Serve the upstream at --upstream, check the gateway at --base-url, compare both sides."""
    assert options.base_url is not None
    (variant,) = options.variants
    upstream_variant = options.upstream_variant or variant
    scheme = credential_scheme(upstream_variant)
    recorder = UpstreamRecorder(
        secret=key,
        placeholder=placeholder(variant),
        credential_header=scheme.header,
        bearer=scheme.bearer,
    )
    paths = ReportPaths(options.report_dir / variant)
    upstream_key = os.environ.get(UPSTREAM_KEY_VAR, "").strip() or key
    app = recorder.wrap(mock_app(upstream_key))
    with serve(app, options.upstream_port) as origin:
        upstream_url = mock_base_url(origin, upstream_variant)
        if echo:
            print(f"Upstream ({upstream_variant}) for the gateway: {upstream_url}", flush=True)
        target = Target(variant, options.base_url, key, f"gateway {options.base_url}")
        result, _ = run_schemathesis(target, options, paths, echo=echo, gateway=True)
        upstream = recorder.recorded()
    write_log(paths.upstream_exchanges, upstream)

    def is_operation(exchange: Exchange) -> bool:
        request = exchange.request
        headers = {name: values[0] for name, values in request.headers.items() if values}
        wire = WireRequest.from_parts(
            request.method, request.uri, headers, request.body, upstream_url
        )
        return read(upstream_variant, wire).on_operation

    comparison = Comparison(
        client_variant=variant,
        upstream_variant=upstream_variant,
        client_base_url=options.base_url,
        upstream_base_url=upstream_url,
        placeholder=placeholder(variant),
    )
    result.gateway = analyse(
        comparison, read_log(paths.client_exchanges), upstream, upstream_url, is_operation
    )
    write_report(result.gateway, paths.gateway)
    write_junit(result, paths.junit)
    return result
