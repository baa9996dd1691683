"""A variant's API reference as Markdown, generated from its spec (the site's `reference/*.md`).

For readers and tools that want text rather than Redoc's page: the operation, its servers and
authentication, parameters, every request body field with its type, values, default, bounds and
the rules that constrain it (in words), the request examples, the responses with their fields,
the errors, a streamed answer's events with an example sequence, and the code samples.
"""

from __future__ import annotations

import json

from imagegen_spec.core.events import EVENT_STREAM
from imagegen_spec.core.operation import JSON, Operation
from imagegen_spec.core.pointers import flatten, resolve_pointer
from imagegen_spec.docs.compare import request_schema, success_status
from imagegen_spec.docs.derived import field_rule_lines, request_rules
from imagegen_spec.docs.describe import (
    MISSING,
    SchemaFacts,
    facts,
    field_outline,
    ref_name,
    show,
    walk_fields,
)
from imagegen_spec.docs.render_markdown import escape
from imagegen_spec.docs.samples import published_samples, request_examples
from imagegen_spec.docs.stream import event_schemas, sse_transcript

_FENCE_LANGUAGES = {"curl": "sh", "python": "python", "javascript": "js"}


def reference_markdown(op: Operation, spec_link: str) -> str:
    """The whole Markdown reference of one variant; `spec_link` is where its spec file is."""
    info = op.spec["info"]
    title = f"{info['title']} — API reference"
    parts = [
        f"# {title}",
        f"> {_one_line(str(info.get('summary', '')))}",
        f"Variant `{op.variant}`, spec version {info['version']} (OpenAPI "
        f"{op.spec['openapi']}): [{spec_link.rsplit('/', 1)[-1]}]({spec_link}). Generated from "
        "the spec by `nox -s docs`.",
        str(info.get("description", "")).strip(),
        f"## {op.method.upper()} `{op.path}` — {op.definition.get('summary', op.operation_id)}",
        str(op.definition.get("description", "")).strip(),
        _servers(op),
        _authentication(op),
        _parameters(op),
        _request_body(op),
        _responses(op),
        _stream(op),
        _samples(op),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Free text (a description) as one table cell: one line, `code` spans kept."""
    return escape(_one_line(text), code=True)


def _values(found: SchemaFacts) -> str:
    values = list(found.enum or ())
    if found.nullable and found.enum is not None:
        values.append(None)
    return ", ".join(f"`{show(value)}`" for value in values)


def _facts_cells(found: SchemaFacts) -> list[str]:
    type_text = found.type_text + (" or null" if found.nullable else "")
    default = f"`{show(found.default)}`" if found.default is not MISSING else ""
    bounds = escape(", ".join(str(bound) for bound in found.bounds))
    return [escape(type_text), _values(found), default, bounds]


def _servers(op: Operation) -> str:
    servers = op.definition.get("servers") or op.spec.get("servers") or []
    lines = [
        f"- `{server['url']}`: {_one_line(str(server.get('description', '')))}"
        for server in servers
    ]
    return "### Servers\n\n" + "\n".join(lines)


def _authentication(op: Operation) -> str:
    auth = op.auth
    carrier = f"`{auth.header}: Bearer <key>`" if auth.bearer else f"`{auth.header}: <key>`"
    description = _one_line(str(auth.scheme.get("description", "")))
    return f"### Authentication\n\n`{auth.scheme_name}`: the key in the header {carrier}. " + (
        description
    )


def _parameters(op: Operation) -> str:
    if not op.parameters:
        return ""
    rows = []
    for parameter in op.parameters:
        declared = resolve_pointer(op.spec, parameter.schema_pointer.removesuffix("/schema"))
        found = facts(op.spec, resolve_pointer(op.spec, parameter.schema_pointer))
        rows.append(
            [
                f"`{parameter.name}`",
                parameter.location,
                "yes" if parameter.required else "no",
                *_facts_cells(found),
                _cell(str(declared.get("description", ""))),
            ]
        )
    header = ["name", "in", "required", "type", "values", "default", "bounds", "description"]
    return "### Parameters\n\n" + _table(header, rows)


def _request_body(op: Operation) -> str:
    schema = request_schema(op)
    if schema is None:
        return ""
    flat = flatten(op.spec, schema)
    request_body = op.resolve(op.definition.get("requestBody")) or {}
    required = set(flat.get("required", []))
    rows = []
    for name, child in flat.get("properties", {}).items():
        child_flat = flatten(op.spec, child)
        description = _cell(str(child_flat.get("description", "")))
        rules = field_rule_lines(op, name)
        if rules:
            description += "<br>**Rules:** " + "; ".join(escape(line) for line in rules)
        rows.append(
            [
                f"`{name}`",
                "yes" if name in required else "no",
                *_facts_cells(facts(op.spec, child)),
                description,
            ]
        )
    header = ["field", "required", "type", "values", "default", "bounds", "description"]
    unknown = (
        "Unknown fields are rejected."
        if flat.get("additionalProperties", True) is False
        else "Unknown fields are allowed."
    )
    parts = [
        f"### Request body\n\n`{JSON}`, "
        f"{'required' if request_body.get('required') else 'optional'}"
        f" ({ref_name(schema) or 'inline schema'}). {unknown}",
        _one_line(str(flat.get("description", ""))),
        _table(header, rows),
    ]
    conditional = [rule for rule in request_rules(op) if rule.condition != "always"]
    if conditional:
        parts.append("#### Rules\n\n" + "\n".join(f"- {escape(rule.text)}" for rule in conditional))
    examples = request_examples(op)
    if examples:
        blocks = [
            f"**{example.name}**: {example.summary}\n\n```json\n"
            f"{json.dumps(example.body, indent=2, ensure_ascii=False)}\n```"
            for example in examples
        ]
        parts.append("#### Examples\n\n" + "\n\n".join(blocks))
    return "\n\n".join(part for part in parts if part)


def _responses(op: Operation) -> str:
    rows = []
    for status in op.statuses:
        pointer = op.response_pointer(status)
        assert pointer is not None
        response = resolve_pointer(op.spec, pointer)
        media = response.get("content", {}).get(JSON)
        body = "no JSON body"
        if media is not None:
            schema = media.get("schema")
            body = f"{ref_name(schema) or 'inline schema'} `{field_outline(op.spec, schema)}`"
        headers = ", ".join(f"`{name}`" for name in response.get("headers", {}))
        rows.append([status, _cell(str(response.get("description", ""))), body, headers])
    parts = ["### Responses", _table(["status", "description", "body", "headers"], rows)]
    success = success_status(op)
    pointer = op.response_schema_pointer(success) if success else None
    if pointer is not None:
        field_rows = [
            [
                f"`{field.path}`",
                "yes" if field.required else "no",
                *_facts_cells(field.facts)[:2],
                _cell(str(field.schema.get("description", ""))),
            ]
            for field in walk_fields(op.spec, resolve_pointer(op.spec, pointer))
        ]
        parts.append(f"#### Fields of the {success} response")
        parts.append(_table(["field", "required", "type", "values", "description"], field_rows))
    return "\n\n".join(parts)


def _stream(op: Operation) -> str:
    events = event_schemas(op)
    if not events:
        return ""
    parts = [
        f"### Streamed response (`{EVENT_STREAM}`)",
        "With `stream: true` the answer is a stream of server-sent events; each carries one "
        "JSON object in `data:`, named by its `type` in `event:`. The events:",
    ]
    for event in events:
        rows = [
            [
                f"`{field.path}`",
                "yes" if field.required else "no",
                *_facts_cells(field.facts)[:2],
                _cell(str(field.schema.get("description", ""))),
            ]
            for field in event.fields
        ]
        named = f" ({event.schema_name})" if event.schema_name else ""
        parts.append(f"#### `{event.name}`{named}\n\n{escape(event.description, code=True)}")
        parts.append(_table(["field", "required", "type", "values", "description"], rows))
    transcript = sse_transcript(op)
    if transcript:
        parts.append(
            "#### Example event sequence\n\nThe spec's example events, as a client reads them "
            f"off the wire:\n\n```text\n{transcript.rstrip()}\n```"
        )
    return "\n\n".join(parts)


def _samples(op: Operation) -> str:
    samples = published_samples(op)
    if not samples:
        return ""
    plain = [sample for sample in samples if not sample.streamed]
    streamed = [sample for sample in samples if sample.streamed]
    said = f"Each sends the request example `{samples[0].example.name}`"
    if plain and streamed:
        said = (
            f"Each sends the request example `{plain[0].example.name}`, those marked streamed "
            f"`{streamed[0].example.name}` and read the events as they come"
        )
    parts = ["### Code samples", f"{said}; the test suite runs them against the mock."]
    for sample in samples:
        fence = _FENCE_LANGUAGES.get(sample.lang, "")
        parts.append(f"#### {sample.label}\n\n```{fence}\n{sample.source.rstrip()}\n```")
    return "\n\n".join(parts)
