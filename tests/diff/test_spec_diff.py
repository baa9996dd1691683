"""A catalogue of edits to the real specs, each diffed in-process and classified as expected."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from imagegen_spec.core.specs import Spec, load_spec
from imagegen_spec.diff.location import SEPARATOR
from imagegen_spec.diff.rules import RULES
from imagegen_spec.diff.schema_diff import SpecDiffError
from imagegen_spec.diff.spec_diff import diff_specs

CLIENTS = "breaks clients"
SERVERS = "breaks servers"
BOTH = "breaks clients and servers"
FEATURE = "feature"
DOCS = "docs"


def schemas(spec: Spec) -> Any:
    return spec["components"]["schemas"]


def prop(spec: Spec, schema: str, name: str) -> Any:
    return schemas(spec)[schema]["properties"][name]


def op(spec: Spec) -> Any:
    return next(iter(spec["paths"].values()))["post"]


def put(container: Any, key: Any, value: Any) -> None:
    container[key] = value


def drop(container: Any, key: Any) -> None:
    del container[key]


def rename_component(spec: Spec, old: str, new: str) -> None:
    """Rename a component schema and every $ref to it."""
    schemas(spec)[new] = schemas(spec).pop(old)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("$ref") == f"#/components/schemas/{old}":
                node["$ref"] = f"#/components/schemas/{new}"
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(spec)


def add_required_field(schema: dict[str, Any], name: str) -> None:
    schema["properties"][name] = {"type": "integer"}
    schema["required"].append(name)


def inline_ref(schema: dict[str, Any], spec: Spec, drop: str | None = None) -> None:
    """Replace `{$ref: X, ...}` by a copy of X's keywords beside the others (less an enum value)."""
    name = schema.pop("$ref").rsplit("/", 1)[-1]
    schema.update({**copy.deepcopy(schemas(spec)[name]), **schema})
    if drop is not None:
        schema["enum"].remove(drop)


def as_anyof_null(schema: dict[str, Any]) -> None:
    """Rewrite `type: [T, 'null']` as `anyOf: [{type: T}, {type: 'null'}]`."""
    (name,) = [t for t in schema.pop("type") if t != "null"]
    schema["anyOf"] = [{"type": name}, {"type": "null"}]


def as_openapi30_nullable(schema: dict[str, Any]) -> None:
    """Rewrite `type: [T, 'null']` as OpenAPI 3.0's `type: T, nullable: true`."""
    (name,) = [t for t in schema["type"] if t != "null"]
    schema["type"] = name
    schema["nullable"] = True


def make_nullable(schema: dict[str, Any]) -> None:
    """Turn `{$ref: X, ...}` into `{anyOf: [{$ref: X}, {type: 'null'}], ...}`."""
    schema["anyOf"] = [{"$ref": schema.pop("$ref")}, {"type": "null"}]


def add_security_alternative(spec: Spec) -> None:
    spec["components"]["securitySchemes"]["apiKey"] = {
        "type": "apiKey",
        "in": "header",
        "name": "api-key",
    }
    spec["security"].append({"apiKey": []})


def describe_everything(spec: Spec) -> None:
    prop(spec, "CreateImageRequest", "prompt")["description"] = "A prompt."
    spec["info"]["description"] = "Another description."
    op(spec)["summary"] = "Make pictures"
    examples = op(spec)["requestBody"]["content"]["application/json"]["examples"]
    examples["dalle2Minimal"]["value"]["prompt"] = "A lighthouse"


@dataclass(frozen=True)
class Edit:
    """One planted edit and the (rule, effect) pairs it must produce, no more and no fewer."""

    name: str
    variant: str
    mutate: Callable[[Spec], object]
    expected: tuple[tuple[str, str], ...]
    prepare: Callable[[Spec], object] | None = None  # applied to both the old and the new spec


CATALOGUE = (
    # Enums: a request narrowed breaks clients, a response widened breaks clients.
    Edit(
        "request-enum-value-removed",
        "dalle",
        lambda s: schemas(s)["ImageSize"]["enum"].remove("1792x1024"),
        (("enum-narrowed", CLIENTS),),
    ),
    Edit(
        "request-enum-value-added",
        "dalle",
        lambda s: schemas(s)["ImageSize"]["enum"].append("2048x2048"),
        (("enum-widened", SERVERS),),
    ),
    Edit(
        "response-enum-value-added",
        "azure",
        lambda s: schemas(s)["ContentFilterSeverity"]["enum"].append("critical"),
        (("enum-widened", CLIENTS),),
    ),
    Edit(
        "response-enum-value-removed",
        "azure",
        lambda s: schemas(s)["ContentFilterSeverity"]["enum"].remove("low"),
        (("enum-narrowed", SERVERS),),
    ),
    # Bounds.
    Edit(
        "request-bound-narrowed",
        "dalle",
        lambda s: put(prop(s, "CreateImageRequest", "n"), "maximum", 5),
        (("bound-narrowed", CLIENTS),),
    ),
    Edit(
        "request-bound-removed",
        "dalle",
        lambda s: drop(prop(s, "CreateImageRequest", "prompt"), "maxLength"),
        (("bound-widened", SERVERS),),
    ),
    Edit(
        "response-bound-narrowed",
        "gpt-image",
        lambda s: put(prop(s, "Usage", "input_tokens"), "minimum", 1),
        (("bound-narrowed", SERVERS),),
    ),
    Edit(
        "parameter-bound-narrowed",
        "azure",
        lambda s: put(op(s)["parameters"][0]["schema"], "minLength", 3),
        (("bound-narrowed", CLIENTS),),
    ),
    # Properties and required.
    Edit(
        "new-required-request-field",
        "dalle",
        lambda s: add_required_field(schemas(s)["CreateImageRequest"], "seed"),
        (("property-added", SERVERS), ("required-added", CLIENTS)),
    ),
    Edit(
        "new-optional-request-field",
        "dalle",
        lambda s: put(schemas(s)["CreateImageRequest"]["properties"], "seed", {"type": "integer"}),
        (("property-added", SERVERS),),
    ),
    Edit(
        "request-field-removed",
        "dalle",
        lambda s: drop(schemas(s)["CreateImageRequest"]["properties"], "user"),
        (("property-removed", CLIENTS),),
    ),
    Edit(
        "request-field-no-longer-required",
        "dalle",
        lambda s: put(schemas(s)["CreateImageRequest"], "required", []),
        (("required-removed", SERVERS),),
    ),
    Edit(
        "response-field-removed",
        "dalle",
        lambda s: drop(schemas(s)["Image"]["properties"], "revised_prompt"),
        (("property-removed", CLIENTS),),
    ),
    Edit(
        "response-field-retyped",
        "dalle",
        lambda s: put(prop(s, "ImagesResponse", "created"), "type", "string"),
        (("type-changed", BOTH),),
    ),
    Edit(
        "new-required-response-field",
        "gpt-image",
        lambda s: add_required_field(schemas(s)["Image"], "seed"),
        (("property-added", FEATURE), ("required-added", SERVERS)),
    ),
    Edit(
        "response-field-no-longer-required",
        "azure",
        lambda s: schemas(s)["ImageResult"]["required"].remove("prompt_filter_results"),
        (("required-removed", CLIENTS),),
    ),
    # Types and null.
    Edit(
        "request-field-made-nullable",
        "azure",
        lambda s: make_nullable(prop(s, "ImageGenerationsRequest", "size")),
        (("type-widened", SERVERS),),
    ),
    Edit(
        "nullable-rewritten-as-anyof",
        "dalle",
        lambda s: as_anyof_null(prop(s, "CreateImageRequest", "n")),
        (),
    ),
    Edit(
        "nullable-rewritten-openapi30-style",
        "dalle",
        lambda s: as_openapi30_nullable(prop(s, "CreateImageRequest", "n")),
        (),
    ),
    Edit(
        "response-null-no-longer-allowed",
        "dalle",
        lambda s: put(prop(s, "Error", "param"), "type", "string"),
        (("type-narrowed", SERVERS),),
    ),
    Edit(
        "request-type-widened",
        "azure",
        lambda s: put(prop(s, "ImageGenerationsRequest", "model"), "type", ["string", "integer"]),
        (("type-widened", SERVERS),),
    ),
    # additionalProperties.
    Edit(
        "request-unknown-fields-allowed",
        "dalle",
        lambda s: put(schemas(s)["CreateImageRequest"], "additionalProperties", True),
        (("additional-properties-widened", SERVERS),),
    ),
    Edit(
        "request-unknown-fields-rejected",
        "gpt-image",
        lambda s: put(schemas(s)["CreateImageRequest"], "additionalProperties", False),
        (("additional-properties-narrowed", CLIENTS),),
    ),
    # allOf / if / then / else rules are request constraints.
    Edit(
        "conditional-rule-added",
        "dalle",
        lambda s: schemas(s)["CreateImageRequest"]["allOf"].append(
            {"if": {"required": ["user"]}, "then": {"required": ["n"]}}
        ),
        (("rule-added", CLIENTS),),
    ),
    Edit(
        "conditional-rule-removed",
        "gpt-image",
        lambda s: schemas(s)["CreateImageRequest"]["allOf"].pop(0),
        (("rule-removed", SERVERS),),
    ),
    Edit(
        "rule-condition-changed",
        "dalle",
        lambda s: put(
            schemas(s)["CreateImageRequest"]["allOf"][0]["if"]["properties"]["model"],
            "const",
            "dall-e-2",
        ),
        (("rule-condition-changed", BOTH),),
    ),
    Edit(
        "auto-size-changed",
        "gpt-image",
        lambda s: put(prop(s, "CreateImageRequest", "size"), "x-imagegen-auto", "1024x1024"),
        (("mock-behaviour-changed", SERVERS),),
    ),
    Edit(
        "returned-when-removed",
        "dalle",
        lambda s: drop(prop(s, "Image", "revised_prompt"), "x-imagegen-returned-when"),
        (("mock-behaviour-changed", SERVERS),),
    ),
    Edit(
        "provenance-changed",
        "gpt-image",
        lambda s: put(
            prop(s, "CreateImageRequest", "n")["x-imagegen-provenance"][0], "decision", "reworded"
        ),
        (("doc-changed", DOCS),),
    ),
    Edit(
        "provenance-added-to-parameter",
        "azure",
        lambda s: op(s)["parameters"][1]["x-imagegen-provenance"].append(
            {"facets": ["bounds"], "source": "s", "reference": "r", "decision": "d"}
        ),
        (("doc-changed", DOCS),),
    ),
    Edit(
        "provenance-removed-from-schema",
        "azure",
        lambda s: drop(schemas(s)["ImageResult"], "x-imagegen-provenance"),
        (("doc-changed", DOCS),),
    ),
    Edit(
        "rule-condition-described",
        "dalle",
        lambda s: put(
            schemas(s)["CreateImageRequest"]["allOf"][0]["if"], "description", "dall-e-3 asked"
        ),
        (("doc-changed", DOCS),),
    ),
    Edit(
        "rule-then-widened",
        "dalle",
        lambda s: schemas(s)["CreateImageRequest"]["allOf"][0]["then"]["properties"]["size"][
            "enum"
        ].append("512x512"),
        (("enum-widened", SERVERS),),
    ),
    # anyOf branches.
    Edit(
        "response-alternative-added",
        "gpt-image",
        lambda s: prop(s, "ValidationError", "loc")["items"]["anyOf"].append({"type": "boolean"}),
        (("alternative-added", CLIENTS),),
    ),
    Edit(
        "response-alternative-removed",
        "gpt-image",
        lambda s: prop(s, "ValidationError", "loc")["items"]["anyOf"].pop(1),
        (("alternative-removed", SERVERS),),
    ),
    # Defaults.
    Edit(
        "request-default-changed",
        "dalle",
        lambda s: put(prop(s, "CreateImageRequest", "size"), "default", "512x512"),
        (("default-changed", BOTH),),
    ),
    Edit(
        "request-default-added",
        "azure",
        lambda s: put(prop(s, "ImageGenerationsRequest", "user"), "default", ""),
        (("default-added", SERVERS),),
    ),
    Edit(
        "request-default-removed",
        "dalle",
        lambda s: drop(prop(s, "CreateImageRequest", "n"), "default"),
        (("default-removed", CLIENTS),),
    ),
    # Other constraints.
    Edit(
        "response-format-removed",
        "dalle",
        lambda s: drop(prop(s, "Image", "url"), "format"),
        (("constraint-widened", CLIENTS),),
    ),
    Edit(
        "request-pattern-added",
        "dalle",
        lambda s: put(prop(s, "CreateImageRequest", "prompt"), "pattern", r"\S"),
        (("constraint-narrowed", CLIENTS),),
    ),
    Edit(
        "response-format-changed",
        "dalle",
        lambda s: put(prop(s, "Image", "url"), "format", "iri"),
        (("constraint-changed", BOTH),),
    ),
    Edit(
        "unknown-keyword-added",
        "dalle",
        lambda s: put(prop(s, "CreateImageRequest", "user"), "readOnly", True),
        (("keyword-changed", BOTH),),
    ),
    Edit(
        "request-field-deprecated",
        "dalle",
        lambda s: put(prop(s, "CreateImageRequest", "user"), "deprecated", True),
        (("deprecated-changed", FEATURE),),
    ),
    # Components.
    Edit(
        "component-renamed",
        "dalle",
        lambda s: rename_component(s, "ImageSize", "ImageDimensions"),
        (
            ("ref-retargeted", CLIENTS),
            ("component-removed", CLIENTS),
            ("component-added", FEATURE),
        ),
    ),
    Edit(
        "ref-inlined",
        "azure",
        lambda s: inline_ref(prop(s, "ImageGenerationsRequest", "size"), s),
        (),
    ),
    Edit(
        "ref-inlined-and-narrowed",
        "azure",
        lambda s: inline_ref(prop(s, "ImageGenerationsRequest", "size"), s, drop="256x256"),
        (("enum-narrowed", CLIENTS),),
    ),
    Edit(
        "unused-component-added",
        "dalle",
        lambda s: put(schemas(s), "Unused", {"type": "string"}),
        (("component-added", FEATURE),),
    ),
    Edit(
        "shared-component-changed-once",
        "dalle",
        lambda s: put(prop(s, "Error", "message"), "type", "integer"),
        (("type-changed", BOTH),),
    ),
    Edit(
        "component-on-both-sides",
        "dalle",
        lambda s: schemas(s)["ImageSize"]["enum"].remove("256x256"),
        (("enum-narrowed", BOTH),),
        prepare=lambda s: put(
            schemas(s)["Image"]["properties"], "size", {"$ref": "#/components/schemas/ImageSize"}
        ),
    ),
    # Documentation only.
    Edit(
        "description-only",
        "dalle",
        describe_everything,
        (("doc-changed", DOCS),) * 4,
    ),
    Edit(
        "openapi-version",
        "dalle",
        lambda s: put(s, "openapi", "3.1.1"),
        (("openapi-version-changed", DOCS),),
    ),
    # Parameters.
    Edit(
        "required-query-parameter-added",
        "azure",
        lambda s: op(s)["parameters"].append(
            {"name": "trace", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        (("parameter-added-required", CLIENTS),),
    ),
    Edit(
        "optional-header-parameter-added",
        "dalle",
        lambda s: put(
            op(s), "parameters", [{"name": "X-Trace", "in": "header", "schema": {"type": "string"}}]
        ),
        (("parameter-added-optional", SERVERS),),
    ),
    Edit(
        "parameter-removed",
        "azure",
        lambda s: op(s)["parameters"].pop(1),
        (("parameter-removed", CLIENTS),),
    ),
    Edit(
        "parameter-made-optional",
        "azure",
        lambda s: put(op(s)["parameters"][1], "required", False),
        (("required-removed", SERVERS),),
    ),
    Edit(
        "parameter-made-required",
        "gpt-image",
        lambda s: put(op(s)["parameters"][1], "required", True),
        (("required-added", CLIENTS),),
    ),
    # Responses and headers.
    Edit(
        "response-status-removed",
        "dalle",
        lambda s: drop(op(s)["responses"], "413"),
        (("response-removed", BOTH),),
    ),
    Edit(
        "success-status-added",
        "dalle",
        lambda s: put(op(s)["responses"], "201", {"description": "Created."}),
        (("success-response-added", CLIENTS),),
    ),
    Edit(
        "error-status-added",
        "dalle",
        lambda s: put(op(s)["responses"], "422", {"description": "Unprocessable."}),
        (("error-response-added", FEATURE),),
    ),
    Edit(
        "required-response-header-added",
        "dalle",
        lambda s: put(
            s["components"]["responses"]["RateLimited"]["headers"],
            "X-Request-Id",
            {"required": True, "schema": {"type": "string"}},
        ),
        (("header-added-required", SERVERS),),
    ),
    Edit(
        "optional-response-header-added",
        "dalle",
        lambda s: put(
            s["components"]["responses"]["RateLimited"]["headers"],
            "X-Request-Id",
            {"schema": {"type": "string"}},
        ),
        (("header-added-optional", FEATURE),),
    ),
    Edit(
        "response-header-removed",
        "azure",
        lambda s: drop(op(s)["responses"]["429"]["headers"], "Retry-After"),
        (("header-removed", CLIENTS),),
    ),
    Edit(
        "response-header-made-optional",
        "dalle",
        lambda s: put(s["components"]["headers"]["Retry-After"], "required", False),
        (("required-removed", CLIENTS),),
    ),
    # Media types.
    Edit(
        "request-media-type-added",
        "dalle",
        lambda s: put(
            op(s)["requestBody"]["content"],
            "multipart/form-data",
            {"schema": {"$ref": "#/components/schemas/CreateImageRequest"}},
        ),
        (("media-type-added", SERVERS),),
    ),
    Edit(
        "response-media-type-replaced",
        "dalle",
        lambda s: put(
            s["components"]["responses"]["ServerError"],
            "content",
            {"text/plain": {"schema": {"type": "string"}}},
        ),
        (("media-type-removed", BOTH), ("media-type-added", CLIENTS)),
    ),
    # Security.
    Edit(
        "security-scheme-changed",
        "dalle",
        lambda s: put(s["components"]["securitySchemes"]["bearerAuth"], "scheme", "basic"),
        (("security-scheme-changed", BOTH),),
    ),
    Edit(
        "security-alternative-added",
        "dalle",
        add_security_alternative,
        (("component-added", FEATURE), ("security-requirement-added", SERVERS)),
    ),
    Edit(
        "security-removed",
        "dalle",
        lambda s: put(s, "security", []),
        (("security-requirement-removed", CLIENTS),),
    ),
    # Servers.
    Edit(
        "server-removed",
        "dalle",
        lambda s: s["servers"].pop(1),
        (("server-removed", CLIENTS),),
    ),
    Edit(
        "server-added",
        "dalle",
        lambda s: s["servers"].append({"url": "https://images.example.com/v1"}),
        (("server-added", FEATURE),),
    ),
    Edit(
        "server-variable-changed",
        "gpt-image",
        lambda s: put(s["servers"][0]["variables"]["host"], "default", "images.example.com"),
        (("server-changed", CLIENTS),),
    ),
    # Operations.
    Edit(
        "operation-id-changed",
        "dalle",
        lambda s: put(op(s), "operationId", "createImages"),
        (("operation-id-changed", CLIENTS),),
    ),
    Edit(
        "operation-added",
        "dalle",
        lambda s: put(
            s["paths"],
            "/images/edits",
            {"post": {"operationId": "editImage", "responses": {"200": {"description": "OK"}}}},
        ),
        (("operation-added", FEATURE),),
    ),
    Edit(
        "operation-removed",
        "dalle",
        lambda s: put(s, "paths", {}),
        (("operation-removed", CLIENTS),),
    ),
)


def diff_edit(edit: Edit) -> tuple[Spec, Spec]:
    old = copy.deepcopy(load_spec(edit.variant))
    if edit.prepare is not None:
        edit.prepare(old)
    new = copy.deepcopy(old)
    edit.mutate(new)
    return old, new


@pytest.mark.parametrize("edit", CATALOGUE, ids=lambda edit: edit.name)
def test_edit_is_classified(edit: Edit) -> None:
    changes = diff_specs(*diff_edit(edit))
    found = sorted((change.rule.id, change.effect.label) for change in changes)
    report = "\n".join(f"  {c.rule.id} [{c.effect.label}] {c.where}: {c.detail}" for c in changes)
    assert found == sorted(edit.expected), f"{edit.name}: expected {edit.expected}, got\n{report}"


def test_catalogue_covers_every_rule() -> None:
    covered = {rule for edit in CATALOGUE for rule, _ in edit.expected}
    assert covered == set(RULES), f"rules without a catalogue edit: {set(RULES) - covered}"


def test_identical_specs_have_no_change(variant: str) -> None:
    spec = load_spec(variant)
    assert diff_specs(spec, copy.deepcopy(spec)) == [], f"{variant} compared with itself"


def test_shared_component_is_reported_once_at_the_component() -> None:
    old = load_spec("dalle")
    new = copy.deepcopy(old)
    prop(new, "Error", "message")["type"] = "integer"
    (change,) = diff_specs(old, new)
    assert change.pointer == "/components/schemas/Error/properties/message/type"
    assert change.where == f"schema Error{SEPARATOR}message", change.where
    assert change.used_by == (f"schema ErrorResponse{SEPARATOR}error",), change.used_by


def test_request_change_names_its_place() -> None:
    old = load_spec("dalle")
    new = copy.deepcopy(old)
    schemas(new)["ImageSize"]["enum"].remove("1792x1024")
    (change,) = diff_specs(old, new)
    assert change.where == "schema ImageSize"
    assert change.used_by == (f"schema CreateImageRequest{SEPARATOR}size",)
    assert change.pointer == "/components/schemas/ImageSize/enum"
    assert "1792x1024" in change.detail


def test_parameter_change_names_its_place() -> None:
    old = load_spec("azure")
    new = copy.deepcopy(old)
    op(new)["parameters"][1]["required"] = False
    (change,) = diff_specs(old, new)
    assert change.where == "query parameter api-version"
    assert change.pointer.endswith("/post/parameters/1/required"), change.pointer


def test_removed_node_points_into_the_old_document() -> None:
    old = load_spec("dalle")
    new = copy.deepcopy(old)
    del op(new)["responses"]["413"]
    (change,) = diff_specs(old, new)
    assert change.pointer == "/paths/~1images~1generations/post/responses/413"
    assert change.where == "response 413"


def test_dangling_ref_is_named() -> None:
    old = load_spec("dalle")
    new = copy.deepcopy(old)
    prop(new, "CreateImageRequest", "size")["anyOf"][0]["$ref"] = "#/components/schemas/Nope"
    with pytest.raises(SpecDiffError, match="Nope"):
        diff_specs(old, new)
