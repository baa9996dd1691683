"""The classification table: every kind of spec change the differ reports, and whom it breaks.

A schema reached from the request (body or parameters) and one reached from a response have
opposite directions. Narrowing a request (fewer valid requests) breaks clients that sent the
now-invalid ones; widening it breaks servers, since a server that passed conformance rejects or
ignores the newly valid requests. Widening a response breaks clients, which meet values they do
not handle; narrowing it breaks servers, whose old answers no longer conform. A component used on
both sides gets both effects; one used nowhere breaks nobody.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Party(enum.Enum):
    """Who a change can break."""

    CLIENTS = "clients"
    SERVERS = "servers"


class Bump(enum.IntEnum):
    """A semantic version bump, ordered from none to major."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        """The bump's lower-case name."""
        return self.name.lower()


class Side(enum.Enum):
    """Where in the document a change is: request, response, or neither (the document)."""

    REQUEST = "request"
    RESPONSE = "response"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Effect:
    """Whom a change breaks, and the bump it needs when it breaks nobody."""

    breaks: frozenset[Party]
    level: Bump

    @property
    def bump(self) -> Bump:
        """Major when clients break, at least minor when servers break, else the own level."""
        if Party.CLIENTS in self.breaks:
            return Bump.MAJOR
        if Party.SERVERS in self.breaks:
            return max(Bump.MINOR, self.level)
        return self.level

    @property
    def label(self) -> str:
        """Short description for reports: `breaks clients`, `feature`, `docs`, …."""
        if self.breaks:
            order = [party.value for party in Party if party in self.breaks]
            return "breaks " + " and ".join(order)
        return "feature" if self.level >= Bump.MINOR else "docs"

    def __or__(self, other: Effect) -> Effect:
        return Effect(self.breaks | other.breaks, max(self.level, other.level))


CLIENTS = Effect(frozenset({Party.CLIENTS}), Bump.MAJOR)
SERVERS = Effect(frozenset({Party.SERVERS}), Bump.MINOR)
BOTH = CLIENTS | SERVERS
FEATURE = Effect(frozenset(), Bump.MINOR)
DOCS = Effect(frozenset(), Bump.PATCH)


@dataclass(frozen=True)
class Rule:
    """One kind of change and its effect on each side it can occur on (None: cannot occur)."""

    id: str
    summary: str
    request: Effect | None = None
    response: Effect | None = None
    document: Effect | None = None

    def effect(self, sides: Iterable[Side]) -> Effect:
        """The combined effect on the given sides; a change on no side (unused) is docs only."""
        combined = Effect(frozenset(), Bump.NONE)
        for side in sides:
            found = getattr(self, side.value)
            if found is None:
                raise ValueError(f"rule {self.id} does not apply on the {side.value} side")
            combined = combined | found
        return combined if combined.level > Bump.NONE else DOCS


def _schema(rule_id: str, summary: str, request: Effect, response: Effect) -> Rule:
    return Rule(rule_id, summary, request=request, response=response)


def _everywhere(rule_id: str, summary: str, effect: Effect) -> Rule:
    return Rule(rule_id, summary, request=effect, response=effect, document=effect)


_RULES = (
    # Schema keywords, on the request or the response side.
    _schema("type-narrowed", "a type (or null) is no longer allowed", CLIENTS, SERVERS),
    _schema("type-widened", "a type (or null) is newly allowed", SERVERS, CLIENTS),
    _schema("type-changed", "a type replaced by another (a retyped field)", BOTH, BOTH),
    _schema("enum-narrowed", "an enum/const value removed, or an enum added", CLIENTS, SERVERS),
    _schema("enum-widened", "an enum value added, or the enum removed", SERVERS, CLIENTS),
    _schema("bound-narrowed", "a min/max bound tightened or added", CLIENTS, SERVERS),
    _schema("bound-widened", "a min/max bound relaxed or removed", SERVERS, CLIENTS),
    _schema(
        "constraint-narrowed",
        "pattern, format, items, anyOf, … added",
        CLIENTS,
        SERVERS,
    ),
    _schema("constraint-widened", "pattern, format, items, anyOf, … removed", SERVERS, CLIENTS),
    _schema("constraint-changed", "pattern, format, … changed to another value", BOTH, BOTH),
    _schema(
        "required-added", "a property, parameter, header or body became required", CLIENTS, SERVERS
    ),
    _schema(
        "required-removed",
        "a property, parameter, header or body became optional",
        SERVERS,
        CLIENTS,
    ),
    _schema(
        "property-added",
        "a new property (clients ignore unknown response fields)",
        SERVERS,
        FEATURE,
    ),
    _schema("property-removed", "a property removed", CLIENTS, CLIENTS),
    _schema("additional-properties-narrowed", "unknown properties rejected", CLIENTS, SERVERS),
    _schema("additional-properties-widened", "unknown properties allowed", SERVERS, FEATURE),
    _schema("alternative-added", "an anyOf/oneOf branch added", SERVERS, CLIENTS),
    _schema("alternative-removed", "an anyOf/oneOf branch removed", CLIENTS, SERVERS),
    _schema("rule-added", "an allOf entry or a then/else rule added", CLIENTS, SERVERS),
    _schema("rule-removed", "an allOf entry or a then/else rule removed", SERVERS, CLIENTS),
    _schema("rule-condition-changed", "the `if` of a conditional rule changed", BOTH, BOTH),
    _schema("default-added", "a default added (servers must apply it)", SERVERS, DOCS),
    _schema("default-changed", "a default changed", BOTH, DOCS),
    _schema("default-removed", "a default removed", CLIENTS, DOCS),
    _schema(
        "ref-retargeted",
        "a $ref names another component (generated class names change)",
        CLIENTS,
        CLIENTS,
    ),
    # Parameters, request bodies and responses.
    Rule("parameter-added-required", "a new required parameter", request=CLIENTS),
    Rule("parameter-added-optional", "a new optional parameter", request=SERVERS),
    Rule("parameter-removed", "a parameter removed", request=CLIENTS),
    _schema("media-type-added", "a request or response media type added", SERVERS, CLIENTS),
    _schema("media-type-removed", "a request or response media type removed", CLIENTS, BOTH),
    Rule("success-response-added", "a new 2xx response status", response=CLIENTS),
    Rule("error-response-added", "a new non-2xx response status", response=FEATURE),
    Rule("response-removed", "a response status removed", response=BOTH),
    Rule("header-added-required", "a new required response header", response=SERVERS),
    Rule("header-added-optional", "a new optional response header", response=FEATURE),
    Rule("header-removed", "a response header removed", response=CLIENTS),
    # The document: operations, security, servers, components.
    Rule("operation-added", "an operation added", document=FEATURE),
    Rule("operation-removed", "an operation removed", document=CLIENTS),
    Rule(
        "operation-id-changed", "an operationId changed (generated method names)", document=CLIENTS
    ),
    Rule(
        "security-scheme-changed",
        "a security scheme's type, name, `in` or scheme changed",
        document=BOTH,
    ),
    Rule("security-requirement-added", "a new way to authenticate accepted", document=SERVERS),
    Rule(
        "security-requirement-removed", "a way to authenticate no longer accepted", document=CLIENTS
    ),
    Rule("server-added", "a server URL added", document=FEATURE),
    Rule("server-removed", "a server URL removed", document=CLIENTS),
    Rule("server-changed", "a server's variables changed", document=CLIENTS),
    Rule("component-added", "a component added", document=FEATURE),
    Rule(
        "component-removed", "a component removed (generated classes disappear)", document=CLIENTS
    ),
    Rule("openapi-version-changed", "the `openapi` version changed", document=DOCS),
    # Anywhere.
    _everywhere(
        "mock-behaviour-changed",
        "an `x-imagegen-*` keyword (but `x-imagegen-provenance`) changed: the mock and the"
        " conformance checks read it",
        SERVERS,
    ),
    _everywhere("doc-changed", "description, summary, title, example(s), tags, x-* changed", DOCS),
    _everywhere("deprecated-changed", "deprecated set or cleared", FEATURE),
    _everywhere("keyword-changed", "any other keyword changed (assumed to break both)", BOTH),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rules_table() -> str:
    """The rule set as a Markdown table (the README holds a copy, checked by a test)."""

    def cell(effect: Effect | None) -> str:
        return "—" if effect is None else effect.label

    lines = [
        "| rule | change | on the request side | on the response side | elsewhere |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{rule.id}` | {rule.summary} | {cell(rule.request)} | {cell(rule.response)}"
        f" | {cell(rule.document)} |"
        for rule in _RULES
    ]
    return "\n".join(lines)
