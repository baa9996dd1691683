"""A gateway-mode run: the embedded upstream, Schemathesis against the gateway, the comparison.

The upstream accepts one key: `$IMAGEGEN_UPSTREAM_API_KEY` when the gateway sends its own key
upstream, else the client's (a gateway that forwards the client's key). So a gateway that lets a
wrong key through is still caught by `ignored_auth`.
"""

from __future__ import annotations

import os

from imagegen_spec.conformance.credentials import credential_scheme, placeholder
from imagegen_spec.conformance.gateway.compare import Comparison
from imagegen_spec.conformance.gateway.exchanges import Exchange, read_log, wire_request, write_log
from imagegen_spec.conformance.gateway.probes import Probe, ProbeTarget, probes, send_probes
from imagegen_spec.conformance.gateway.report import analyse, write_report
from imagegen_spec.conformance.gateway.upstream import UpstreamRecorder
from imagegen_spec.conformance.junit import write_junit
from imagegen_spec.conformance.options import RunOptions
from imagegen_spec.conformance.results import VariantResult
from imagegen_spec.conformance.runner import ReportPaths, Target, mock_app, run_schemathesis
from imagegen_spec.conformance.server import serve
from imagegen_spec.conformance.wire import read
from imagegen_spec.core.variant import variant_model

UPSTREAM_KEY_VAR = "IMAGEGEN_UPSTREAM_API_KEY"
"""The key the upstream accepts (the one the gateway is configured with); default: the client's."""
UPSTREAM_RETRY_AFTER_SECONDS = 1
"""The `Retry-After` of the upstream's 429s: a gateway that honours it retries within seconds."""


def run_gateway(options: RunOptions, key: str, *, echo: bool = True) -> VariantResult:
    """Serve the upstream at --upstream, check the gateway at --base-url, compare both sides.

    After Schemathesis' cases, the probes (probes.py) go to the gateway too.
    """
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
    app = recorder.wrap(mock_app(upstream_key, retry_after=UPSTREAM_RETRY_AFTER_SECONDS))
    with serve(app, options.upstream_port) as origin:
        upstream_urls = [
            origin + prefix for prefix in variant_model(upstream_variant).route.local_prefixes
        ]
        if echo:
            print(
                f"Upstream ({upstream_variant}) for the gateway: {' or '.join(upstream_urls)}",
                flush=True,
            )
        target = Target(variant, options.base_url, key, f"gateway {options.base_url}")
        result, _ = run_schemathesis(target, options, paths, echo=echo, gateway=True)
        sent: dict[str, Probe] = {}
        if options.probes:
            probe_target = ProbeTarget(
                variant,
                options.base_url,
                key,
                placeholder(variant),
                options.headers,
                options.request_timeout,
            )

            def on_tag(tag: str, probe: Probe) -> None:
                if probe.upstream_status is not None:
                    recorder.answer(tag, probe.upstream_status)

            sent = send_probes(probe_target, probes(variant), paths.probe_exchanges, on_tag)
        upstream = recorder.recorded()
    write_log(paths.upstream_exchanges, upstream)

    def is_operation(exchange: Exchange) -> bool:
        return read(upstream_variant, wire_request(exchange, upstream_urls)).on_operation

    comparison = Comparison(
        client_variant=variant,
        upstream_variant=upstream_variant,
        client_base_url=options.base_url,
        upstream_base_url=upstream_urls[0],
        placeholder=placeholder(variant),
        upstream_alternatives=tuple(upstream_urls[1:]),
    )
    client = read_log(paths.client_exchanges) + read_log(paths.probe_exchanges)
    result.gateway = analyse(comparison, client, upstream, upstream_urls[0], is_operation, sent)
    write_report(result.gateway, paths.gateway)
    write_junit(result, paths.junit)
    return result
