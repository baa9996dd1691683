"""The copy of a spec that Redoc renders: the request's rules in words, and code samples.

Redoc cannot draw an `allOf` of `if`/`then`/`else`: it merges each case into an unlabeled
"One of" whose first tab shows one case's `required` and enums as if they held always. The docs
build therefore hands Redoc a derived copy of each spec (made here, never written to `spec/`)
in which

- the conditional entries of the request schema's `allOf` are removed, and each field they
  constrain says in its description what they ask of it (the comparison's words, from
  `describe.rules`); the body's description states every rule whole;
- a nullable enum written `anyOf: [{$ref: Enum}, {type: null}]` becomes one schema with the same
  values (`type: [string, null]`, `enum: [..., null]`), because Redoc shows such a field's
  branch description instead of its own (the rules would be hidden) and its values on a tab;
- the operation carries Redoc's `x-codeSamples`, made by `samples.published_samples`;
- a `text/event-stream` answer's examples (one per event, as the spec must give them) become one
  example, the whole stream as a client reads it off the wire (`stream.sse_transcript`):
  Redoc shows a streamed media type's example only as such text. Where the spec's schema is
  the server-sent event itself (a `data` string with a `contentSchema`, which Redoc does not
  draw), the media type's schema becomes the events' JSON object, each event on a tab.

Every field's `required`, type and values are the spec's; the published spec file is the real one.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from imagegen_spec.core.events import EventStream, stream_media_pointer
from imagegen_spec.core.operation import Operation
from imagegen_spec.core.pointers import flatten, resolve_pointer, resolve_ref
from imagegen_spec.core.specs import Spec
from imagegen_spec.docs.describe import Rule, rules, rules_about
from imagegen_spec.docs.samples import published_samples
from imagegen_spec.docs.stream import event_examples, sse_transcript

SEE_BODY = "see the body's rules"
STREAM_EXAMPLE = "eventSequence"
"""The name of the derived copy's one `text/event-stream` example: the whole stream."""
RULES_HEADING = "**Rules:**"
_SIMPLE_BRANCH_KEYS = frozenset({"type", "enum", "const", "description", "title"})


def request_rules(op: Operation) -> tuple[Rule, ...]:
    """The request schema's rules (`allOf` entries), read from the spec itself."""
    return rules(op.spec, resolve_pointer(op.spec, op.request_schema_pointer))


def field_rule_lines(op: Operation, name: str) -> tuple[str, ...]:
    """What the request's rules ask of one body field, in words (empty when nothing)."""
    return rules_about(request_rules(op), name, see=SEE_BODY)


def rules_markdown(lines: tuple[str, ...]) -> str:
    """A description paragraph listing rules: `**Rules:**` and one bullet per rule."""
    return RULES_HEADING + "\n\n" + "".join(f"- {line}\n" for line in lines)


def derived_spec(op: Operation) -> Spec:
    """The copy of the operation's spec that Redoc renders (see the module's docstring)."""
    document = copy.deepcopy(op.spec)
    schema = resolve_ref(document, resolve_pointer(document, op.request_schema_pointer))
    body_rules = request_rules(op)
    kept, stated = _split_rules(schema.get("allOf", []))
    if kept:
        schema["allOf"] = kept
    else:
        schema.pop("allOf", None)
    conditional = [rule for rule in body_rules if rule.condition != "always"]
    if conditional:
        parts = [*stated, rules_markdown(tuple(rule.text for rule in conditional))]
        schema["description"] = _join(schema.get("description"), *parts)
    for name, prop in schema.get("properties", {}).items():
        if not isinstance(prop, dict):
            continue
        _collapse_nullable_enum(document, prop)
        lines = rules_about(body_rules, name, see=SEE_BODY)
        if lines:
            prop["description"] = _join(prop.get("description"), rules_markdown(lines))
            _state_on_each_branch(document, prop, rules_markdown(lines))
    operation_object = resolve_pointer(document, op.pointer)
    operation_object["x-codeSamples"] = [sample.as_redoc() for sample in published_samples(op)]
    _stream_as_transcript(op, document)
    return document


def stream_example_summary(op: Operation) -> str:
    """The summary of the whole-stream example: which events, in which order."""
    names = ", then ".join(f"`{example.event}`" for example in event_examples(op))
    return f"An example event sequence: {names}"


def _stream_as_transcript(op: Operation, document: Spec) -> None:
    """Show the stream's events (in place): their JSON object's schema, one SSE transcript."""
    media_pointer = stream_media_pointer(op)
    if media_pointer is None or not event_examples(op):
        return
    media = resolve_pointer(document, media_pointer)
    stream = EventStream.of(op)
    if stream is not None and stream.frame_pointer is not None:
        media["schema"] = {"$ref": "#" + stream.pointer}
    media.pop("example", None)
    media["examples"] = {
        STREAM_EXAMPLE: {"summary": stream_example_summary(op), "value": sse_transcript(op)}
    }


def _state_on_each_branch(document: Spec, prop: dict[str, Any], text: str) -> None:
    """Add text to each `anyOf` branch of a field (in place), as inline copies of the branches.

    Redoc draws each branch on a tab with the branch's description instead of the field's own,
    so a field that stays an `anyOf` (branches that are not all simple enums) would hide it.
    """
    branches = prop.get("anyOf")
    if not isinstance(branches, list):
        return
    copies = []
    for branch in branches:
        resolved = copy.deepcopy(resolve_ref(document, branch))
        title = branch["$ref"].rsplit("/", 1)[-1] if "$ref" in branch else None
        if title and "title" not in resolved:
            resolved["title"] = title  # the tab keeps the component's name
        resolved["description"] = _join(resolved.get("description"), text)
        copies.append(resolved)
    prop["anyOf"] = copies


def _split_rules(entries: list[Any]) -> tuple[list[Any], list[str]]:
    """The `allOf` entries Redoc can draw, and the descriptions of those it cannot (removed)."""
    kept: list[Any] = []
    stated: list[str] = []
    for entry in entries:
        if isinstance(entry, Mapping) and "if" in entry:
            if isinstance(entry.get("description"), str):
                stated.append(entry["description"].strip())
        else:
            kept.append(entry)
    return kept, stated


def _collapse_nullable_enum(document: Spec, prop: dict[str, Any]) -> None:
    """Rewrite `anyOf` of simple enum/null branches in place as one schema with those values."""
    branches = prop.get("anyOf")
    if not isinstance(branches, list) or not branches:
        return
    flat = [flatten(document, branch) for branch in branches]
    # Extensions (`x-imagegen-provenance`, ...) annotate a branch; they do not change its values.
    if not all(
        {key for key in branch if not key.startswith("x-")} <= _SIMPLE_BRANCH_KEYS
        for branch in flat
    ):
        return
    types: list[str] = []
    values: list[Any] = []
    enumerated = True
    for branch in flat:
        declared = branch.get("type")
        for name in [declared] if isinstance(declared, str) else list(declared or []):
            if name not in types:
                types.append(name)
        if "const" in branch:
            values.append(branch["const"])
        elif isinstance(branch.get("enum"), list):
            values += branch["enum"]
        elif branch.get("type") == "null":
            values.append(None)
        else:
            enumerated = False
    descriptions = [
        str(branch["description"]).strip() for branch in flat if branch.get("description")
    ]
    del prop["anyOf"]
    prop["type"] = types[0] if len(types) == 1 else types
    if enumerated:
        prop["enum"] = list(dict.fromkeys(values))
    prop["description"] = _join(prop.get("description"), *descriptions)


def _join(*parts: object) -> str:
    """Paragraphs joined by a blank line, empty and repeated ones left out."""
    texts = [str(part).strip() for part in parts if part and str(part).strip()]
    return "\n\n".join(dict.fromkeys(texts))
