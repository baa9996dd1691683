"""Gateway probes: a fixed set of requests, read from the spec, sent beside Schemathesis' cases.

Schemathesis varies one part of a request at a time around whatever else it generated, so a case
that tests one field often carries another a gateway refuses first (a body without `model`, which
a gateway routes by; `style` beside dall-e-2): what the gateway does to that field upstream is
then never seen. Each probe starts from the spec's fullest request example (the one with the most
members; `user` left out so the nonce can go there) and changes one thing:

- every body field set to a value of each JSON type its schema does not allow (`prompt` as 0,
  false, {}, [], null; `n` as "0", ...), kept only where the spec rejects the body;
- each required field left out, and every optional field left out (the spec's defaults apply);
- the example itself, answered 429 by the upstream (`UPSTREAM_429` probes): the recording
  upstream asks the mock for its declared 429 (with `Retry-After`) for requests carrying such a
  probe's tag, so what a gateway does with an upstream 429 is seen in every run.

Probes are tagged and logged like the cases (tagging.py) and paired and compared with them; the
report lists each probe's outcome.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import requests

from imagegen_spec.conformance.credentials import credential_scheme
from imagegen_spec.conformance.tagging import NONCE_FIELD, ExchangeLog, tag_request
from imagegen_spec.conformance.wire import is_valid_body
from imagegen_spec.core.operation import JSON, Operation, operation
from imagegen_spec.core.pointers import flatten, pointer
from imagegen_spec.core.variant import variant_model

UPSTREAM_429 = 3
"""How many probes the upstream answers 429."""
RATE_LIMITED = 429
WRONG_TYPED: tuple[tuple[str, Any], ...] = (
    ("integer", 0),
    ("boolean", False),
    ("object", {}),
    ("array", []),
    ("string", "0"),
    ("null", None),
)
"""One value of each JSON type, the type's name first."""


@dataclass(frozen=True)
class Probe:
    """One probe: its name, its body, and the status the upstream is made to answer (or None)."""

    name: str
    body: dict[str, Any]
    upstream_status: int | None = None

    @property
    def spec_accepts(self) -> bool:
        """Whether the probe's body is one the spec accepts (the 429 probes and defaults)."""
        return self.upstream_status is not None or self.name == DEFAULTS_PROBE


DEFAULTS_PROBE = "only the required fields (the spec's defaults for the rest)"


def _request_examples(op: Operation) -> list[dict[str, Any]]:
    media = op.pointer + pointer("requestBody", "content", JSON)
    return [
        example.value
        for example in op.examples()
        if example.where.startswith(media + "/") and isinstance(example.value, dict)
    ]


def fullest_example(variant: str) -> dict[str, Any]:
    """The spec's request example with the most members, without the nonce field (`user`)."""
    examples = _request_examples(operation(variant))
    if not examples:
        raise ValueError(f"{variant}: the spec has no request body example to probe with")
    fullest = max(examples, key=len)
    return {name: value for name, value in fullest.items() if name != NONCE_FIELD}


def declared_types(variant: str, schema: Mapping[str, Any]) -> set[str]:
    """The JSON types a property schema allows, its anyOf/oneOf branches included."""
    spec = operation(variant).spec
    found: set[str] = set()
    for raw in [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]:
        branch = flatten(spec, raw)
        kind = branch.get("type")
        found |= set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()
    if "number" in found:
        found.add("integer")
    return found


def probes(variant: str) -> list[Probe]:
    """The probes of a variant, read from its spec."""
    request = variant_model(variant).request
    base = fullest_example(variant)
    required = [str(name) for name in request.schema.get("required", [])]
    found: list[Probe] = []
    for name, schema in request.properties.items():
        allowed = declared_types(variant, schema)
        for kind, value in WRONG_TYPED:
            body = {**base, name: value}
            if kind not in allowed and not is_valid_body(variant, body):
                found.append(Probe(f"`{name}` as {json.dumps(value)}", body))
    for name in required:
        body = {key: value for key, value in base.items() if key != name}
        found.append(Probe(f"without `{name}` (required)", body))
    found.append(Probe(DEFAULTS_PROBE, {name: base[name] for name in required if name in base}))
    found += [
        Probe(f"answered {RATE_LIMITED} upstream ({index}/{UPSTREAM_429})", base, RATE_LIMITED)
        for index in range(1, UPSTREAM_429 + 1)
    ]
    return found


def parameter_example(variant: str, name: str) -> Any:
    """The example the spec gives a parameter (None when it gives none)."""
    op = operation(variant)
    for parameter in op.parameters:
        if parameter.name == name:
            return op.parameter_example(parameter)
    return None


def operation_url(variant: str, base_url: str) -> str:
    """The operation's URL below `base_url`, with the spec's parameter examples.

    Path parameters and the required query parameters take the example the spec gives them.
    """
    op = operation(variant)
    path = op.path
    query: dict[str, str] = {}
    for parameter in op.parameters:
        value = parameter_example(variant, parameter.name)
        if value is None:
            continue
        if parameter.location == "path":
            path = path.replace("{" + parameter.name + "}", quote(str(value), safe=""))
        elif parameter.location == "query" and parameter.required:
            query[parameter.name] = str(value)
    return base_url.rstrip("/") + path + (f"?{urlencode(query)}" if query else "")


@dataclass(frozen=True)
class ProbeTarget:
    """Where and how probes are sent: the gateway, the key, extra headers, the timeout."""

    variant: str
    base_url: str
    key: str
    placeholder: str
    headers: tuple[tuple[str, str], ...] = ()
    timeout: float = 120.0


def send_probes(
    target: ProbeTarget,
    found: list[Probe],
    log_path: Path,
    on_tag: Callable[[str, Probe], None] = lambda tag, probe: None,
) -> dict[str, Probe]:
    """Send each probe to the gateway (tagged, one at a time), log it; return probes by tag.

    `on_tag` is told each probe's tag before it is sent (the upstream learns which to answer
    429). A probe that gets no answer is logged without one.
    """
    scheme = credential_scheme(target.variant)
    url = operation_url(target.variant, target.base_url)
    log = ExchangeLog(log_path, target.key, target.placeholder)
    sent: dict[str, Probe] = {}
    with requests.Session() as session:
        for probe in found:
            headers = {
                "Content-Type": "application/json",
                scheme.header: scheme.header_value(target.key),
                **dict(target.headers),
            }
            prepared = session.prepare_request(
                requests.Request("POST", url, headers=headers, data=json.dumps(probe.body))
            )
            tag, nonce = tag_request(target.variant, prepared)
            on_tag(tag, probe)
            sent[tag] = probe
            started = time.time()
            try:
                response: requests.Response | None = session.send(
                    prepared, timeout=target.timeout, allow_redirects=False
                )
            except requests.RequestException:
                response = None
            log.write(tag, nonce, prepared, started, response)
    return sent


MESSAGE_WIDTH = 90


def error_message(body: Any) -> str:
    """The message of an error body (OpenAI/Azure `error.message`, FastAPI `detail`), cut short."""
    text = ""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message") is not None:
            text = str(error["message"])
        elif "detail" in body:
            text = json.dumps(body["detail"], ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_WIDTH else text[: MESSAGE_WIDTH - 3] + "..."


@dataclass(frozen=True)
class ProbeOutcome:
    """What became of one probe: the statuses on both sides, what changed, the gateway's word."""

    name: str
    client_status: int | None
    """None: no answer came."""
    upstream_status: int | None
    """None: it never reached the upstream (the gateway answered itself)."""
    changes: tuple[str, ...]
    """What the gateway changed (and the declared headers it passed on, `... passed on: ...`)."""
    message: str
    """The error message the client got, if it got an error."""
    spec_accepts: bool
    forced: bool = False
    """Whether the upstream was made to refuse it (a 429 probe): always listed."""

    @property
    def forwarded(self) -> bool:
        """Whether the probe reached the upstream."""
        return self.upstream_status is not None

    @property
    def upstream_text(self) -> str:
        """The upstream's side in a few words."""
        return "not forwarded" if self.upstream_status is None else str(self.upstream_status)

    @property
    def client_text(self) -> str:
        """The client's side in a few words: status and error message."""
        status = "no answer" if self.client_status is None else str(self.client_status)
        return f"{status} {self.message}".strip()

    @property
    def notable(self) -> bool:
        """Whether the probe is listed: it shows the gateway doing more than passing it on.

        That is a change on either side, or a body the spec accepts answered by the gateway; a
        probe the upstream was made to refuse is always listed (what came back is the point).
        """
        refused = self.spec_accepts and not self.forwarded
        changed = any(" passed on: " not in change for change in self.changes)
        return changed or refused or self.forced

    def to_json(self) -> dict[str, Any]:
        """The outcome as plain JSON."""
        return {
            "probe": self.name,
            "client_status": self.client_status,
            "upstream_status": self.upstream_status,
            "changes": list(self.changes),
            "message": self.message,
            "spec_accepts": self.spec_accepts,
            "forced": self.forced,
        }
