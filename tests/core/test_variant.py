"""What the mock reads from a spec at start-up, whichever way the spec spells it."""

from __future__ import annotations

import copy

from imagegen_spec.core.operation import Operation, operation
from imagegen_spec.core.variant import Variant


def test_a_default_declared_on_a_referenced_component_is_the_mocks_default() -> None:
    """azure's `response_format` is a `$ref` with its default beside it; moved onto the
    component it names, the default must still be found (it applies there too)."""
    real = operation("azure")
    spec = copy.deepcopy(real.spec)
    request = spec["components"]["schemas"]["ImageGenerationsRequest"]
    response_format = request["properties"]["response_format"]
    target = response_format["$ref"].removeprefix("#/components/schemas/")
    default = response_format.pop("default")
    spec["components"]["schemas"][target]["default"] = default
    moved = Operation(variant="azure", spec=spec, path=real.path, method=real.method)

    runtime = Variant("azure", moved)

    assert runtime.request.defaults["response_format"] == default, (
        f"expected the default {default!r} declared on {target} to be found"
    )
    assert runtime.request.defaults == Variant("azure").request.defaults, (
        "expected the same defaults wherever the spec declares them"
    )
