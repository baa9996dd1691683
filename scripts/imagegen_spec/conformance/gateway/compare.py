"""What a gateway changed in one paired exchange: on the way up (request) and back (response).

Read against the specs (spec_view.py), never against the mock: a value is *clamped* when the
client's breaks the field's bounds and the upstream got a bound, *emptied* when the upstream got
"", null, {} or [] for a value that was not, *coerced* when its JSON type changed, *changed*
otherwise. Requests the client's spec rejects that reached the upstream as requests the upstream
accepted (answered 2xx) should have been rejected by the gateway. On the way back: the status,
every member of the body (dropped, added, null added, changed; arrays compared item by item), the
headers the spec declares for the upstream's status (`Retry-After`), and error bodies whose shape
the gateway replaced (rewrapped). When the two sides speak different variants, only what both
specs name is compared, and the rest is listed as not compared.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from imagegen_spec.conformance.excerpt import redact_images
from imagegen_spec.conformance.gateway.exchanges import MISSING, Exchange, wire_request
from imagegen_spec.conformance.gateway.spec_view import SpecView, spec_view
from imagegen_spec.conformance.wire import read

ABSENT = "(absent)"
VALUE_WIDTH = 48
UNDECLARED = "(fields the spec does not declare)"
EMPTY_VALUES: tuple[Any, ...] = ("", None, {}, [])


class Side(StrEnum):
    """Which way the change happened."""

    REQUEST = "request"
    RESPONSE = "response"


class Kind(StrEnum):
    """What the gateway did."""

    DROPPED = "dropped"
    INJECTED = "injected"
    CLAMPED = "clamped"
    COERCED = "coerced"
    EMPTIED = "emptied"
    CHANGED = "changed"
    HEADER_DROPPED = "header dropped"
    HEADER_INJECTED = "header injected"
    HEADER_CHANGED = "header changed"
    FORWARDED_INVALID = "forwarded, though the spec rejects it"
    ADDED = "added"
    NULL_ADDED = "null added"
    STATUS_CHANGED = "status changed"
    HEADER_LOST = "header lost"
    REWRAPPED = "error body rewrapped"
    EVENTS_DROPPED = "events dropped"
    BUFFERED = "stream buffered (events held back, then sent at once)"


class Credential(StrEnum):
    """What became of the client's key on the way up."""

    FORWARDED = "forwarded (the upstream got the client's key)"
    REPLACED = "replaced (the upstream got another key)"
    DROPPED = "dropped (the upstream got no key)"


@dataclass(frozen=True)
class Finding:
    """One change in one exchange."""

    side: Side
    kind: Kind
    field: str
    client: str
    upstream: str


def shown(value: Any) -> str:
    """A JSON value as a short text (image data redacted)."""
    if value is MISSING:
        return ABSENT
    text = json.dumps(redact_images(value), ensure_ascii=False)
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 3] + "..."


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def same(left: Any, right: Any) -> bool:
    """JSON equality: 1 and 1.0 are equal, 1 and true are not."""
    if _json_type(left) != _json_type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    return bool(left == right)


@dataclass
class Comparison:
    """Compares paired exchanges of a client variant with an upstream variant."""

    client_variant: str
    upstream_variant: str
    client_base_url: str
    upstream_base_url: str
    placeholder: str
    upstream_alternatives: tuple[str, ...] = ()
    """Other base URLs the upstream serves the operation at (azure's `/azure/openai`)."""
    not_compared: set[str] = field(default_factory=set)

    @property
    def client_spec(self) -> SpecView:
        """The client side's spec."""
        return spec_view(self.client_variant)

    @property
    def upstream_spec(self) -> SpecView:
        """The upstream side's spec."""
        return spec_view(self.upstream_variant)

    def request_changes(self, client: Exchange, upstream: Exchange) -> list[Finding]:
        """What changed on the way up."""
        findings = list(self._body_changes(client, upstream))
        findings += self._header_changes(client, upstream)
        if self._should_have_been_rejected(client, upstream):
            findings.append(
                Finding(
                    Side.REQUEST,
                    Kind.FORWARDED_INVALID,
                    "(request)",
                    "rejected by the spec",
                    f"accepted upstream ({upstream.response.status if upstream.response else '-'})",
                )
            )
        return findings

    def _body_changes(self, client: Exchange, upstream: Exchange) -> Iterator[Finding]:
        sent, got = client.request.json, upstream.request.json
        if not isinstance(sent, dict):
            return
        if not isinstance(got, dict):
            yield Finding(Side.REQUEST, Kind.CHANGED, "(body)", "a JSON object", shown(got))
            return
        mine, theirs = self.client_spec, self.upstream_spec
        for name, value in sent.items():
            declared = name in mine.request_properties
            if declared and name not in theirs.request_properties:
                self.not_compared.add(
                    f"request `{name}`: the {self.upstream_variant} API has no such field"
                )
                continue
            label = name if declared else UNDECLARED
            if name not in got:
                yield Finding(Side.REQUEST, Kind.DROPPED, label, shown(value), ABSENT)
            elif not same(value, got[name]):
                kind = self._classify(name, value, got[name])
                yield Finding(Side.REQUEST, kind, label, shown(value), shown(got[name]))
        for name, value in got.items():
            if name in sent:
                continue
            if name not in mine.request_properties and self.client_variant != self.upstream_variant:
                self.not_compared.add(
                    f"request `{name}`: sent upstream, but the {self.client_variant} API has no "
                    "such field"
                )
                continue
            has_default, default = theirs.default(name)
            note = " (the spec's default)" if has_default and same(default, value) else ""
            yield Finding(Side.REQUEST, Kind.INJECTED, name, ABSENT, shown(value) + note)

    def _classify(self, name: str, sent: Any, got: Any) -> Kind:
        if any(same(got, empty) for empty in EMPTY_VALUES) and not any(
            same(sent, empty) for empty in EMPTY_VALUES
        ):
            return Kind.EMPTIED
        numbers = all(_json_type(value) == "number" for value in (sent, got))
        bounds = self.client_spec.bounds(name)
        if numbers and bounds.outside(sent) and bounds.edge(got):
            return Kind.CLAMPED
        if _json_type(sent) != _json_type(got):
            return Kind.COERCED
        return Kind.CHANGED

    def _header_changes(self, client: Exchange, upstream: Exchange) -> Iterator[Finding]:
        theirs = {name.lower() for name in self.upstream_spec.header_parameters}
        for name in self.client_spec.header_parameters:
            if name.lower() not in theirs:
                self.not_compared.add(
                    f"header `{name}`: the {self.upstream_variant} API declares no such header"
                )
                continue
            sent, got = client.request.header(name), upstream.request.header(name)
            if sent is not None and got is None:
                yield Finding(Side.REQUEST, Kind.HEADER_DROPPED, name, sent, ABSENT)
            elif sent is None and got is not None:
                yield Finding(Side.REQUEST, Kind.HEADER_INJECTED, name, ABSENT, got)
            elif sent != got:
                yield Finding(Side.REQUEST, Kind.HEADER_CHANGED, name, str(sent), str(got))

    def _should_have_been_rejected(self, client: Exchange, upstream: Exchange) -> bool:
        if upstream.response is None or not 200 <= upstream.response.status < 300:
            return False
        sent = read(self.client_variant, wire_request(client, [self.client_base_url]))
        if not sent.on_operation or sent.could_generate_image:
            return False
        upstream_urls = [self.upstream_base_url, *self.upstream_alternatives]
        got = read(self.upstream_variant, wire_request(upstream, upstream_urls))
        return got.could_generate_image

    def carried_key(self, client: Exchange) -> bool:
        """Whether a client request carried the run's key."""
        value = client.request.header(self.client_spec.credential_header)
        return value is not None and self.placeholder in value

    def credential(self, upstream: Exchange) -> Credential:
        """What the upstream got as its credential."""
        value = upstream.request.header(self.upstream_spec.credential_header)
        if value is None or not value.strip():
            return Credential.DROPPED
        return Credential.FORWARDED if self.placeholder in value else Credential.REPLACED

    def response_changes(self, client: Exchange, upstream: Exchange) -> list[Finding]:
        """What changed on the way back (nothing when either side got no answer)."""
        mine, theirs = client.response, upstream.response
        if mine is None or theirs is None:
            return []
        findings = []
        if mine.status != theirs.status:
            findings.append(
                Finding(
                    Side.RESPONSE,
                    Kind.STATUS_CHANGED,
                    "(status)",
                    str(mine.status),
                    str(theirs.status),
                )
            )
        for name in self.upstream_spec.response_headers(theirs.status):
            if theirs.header(name) is not None and mine.header(name) is None:
                findings.append(
                    Finding(Side.RESPONSE, Kind.HEADER_LOST, name, ABSENT, str(theirs.header(name)))
                )
        got, sent = mine.json, theirs.json
        if theirs.status >= 400 and mine.status >= 400:
            if isinstance(got, dict) and isinstance(sent, dict) and got.keys() != sent.keys():
                # The shapes differ: show the members each has, not values cut short.
                findings.append(
                    Finding(
                        Side.RESPONSE,
                        Kind.REWRAPPED,
                        "(error body)",
                        "members " + shown(sorted(got)),
                        "members " + shown(sorted(sent)),
                    )
                )
            elif not same(got, sent) and got is not MISSING and sent is not MISSING:
                findings += self._json_changes("", got, sent, top=True)
            return findings
        if mine.status == theirs.status and got is not MISSING and sent is not MISSING:
            findings += self._json_changes("", got, sent, top=True)
        return findings

    def _comparable(self, where: str, name: str, top: bool) -> bool:
        if self.client_variant == self.upstream_variant:
            return True
        mine, theirs = self.client_spec, self.upstream_spec
        if top:
            names = (mine.response_properties, theirs.response_properties)
        elif where.startswith("data[]") and where.count(".") == 0:
            names = (mine.image_properties, theirs.image_properties)
        else:
            return True
        if name in names[0] and name in names[1]:
            return True
        self.not_compared.add(
            f"response `{(where + '.' if where else '') + name}`: not in both specs"
        )
        return False

    def _json_changes(self, where: str, got: Any, sent: Any, *, top: bool = False) -> list[Finding]:
        """Client body `got` against upstream body `sent`, member by member."""
        if isinstance(got, dict) and isinstance(sent, dict):
            findings = []
            for name in dict.fromkeys([*sent, *got]):
                path = f"{where}.{name}" if where else name
                if not self._comparable(where, name, top):
                    continue
                if name not in got:
                    findings.append(
                        Finding(Side.RESPONSE, Kind.DROPPED, path, ABSENT, shown(sent[name]))
                    )
                elif name not in sent:
                    kind = Kind.NULL_ADDED if got[name] is None else Kind.ADDED
                    findings.append(Finding(Side.RESPONSE, kind, path, shown(got[name]), ABSENT))
                else:
                    findings += self._json_changes(path, got[name], sent[name])
            return findings
        if isinstance(got, list) and isinstance(sent, list) and len(got) == len(sent):
            return [
                finding
                for mine, theirs in zip(got, sent, strict=True)
                for finding in self._json_changes(f"{where}[]", mine, theirs)
            ]
        if same(got, sent):
            return []
        return [Finding(Side.RESPONSE, Kind.CHANGED, where or "(body)", shown(got), shown(sent))]
