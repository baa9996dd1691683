"""What makes each generated folder a publishable distribution: pyproject.toml, README, LICENSE.

Both kinds (models and client) get the same metadata, read from the spec's `info` (title,
summary, version, license, contact, terms of service), `externalDocs` and `servers`; the README
is rendered from a template of this package with real usage: the names in it (endpoint module,
parameters, request and response classes) are read from the generated code and the spec, so
it stays true when either changes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from imagegen_spec.core.events import EVENT_STREAM, EventStream
from imagegen_spec.core.operation import Operation, spec_operation
from imagegen_spec.core.pointers import resolve_pointer, resolve_ref
from imagegen_spec.core.specs import Spec
from imagegen_spec.generate.config import (
    PYDANTIC_TARGET,
    TEMPLATES_DIR,
    GenerateError,
    Names,
    pinned_versions,
)
from imagegen_spec.shared import toml

DISTRIBUTION_TEMPLATES = TEMPLATES_DIR / "distribution"
# The client's runtime dependencies: openapi-python-client's own, and the retry layer whose
# `Retry` the client subclasses (a private hook, so the minor version is pinned).
CLIENT_DEPENDENCIES = ("httpx>=0.23.1,<0.29.0", "attrs>=22.2.0", "httpx-retries>=0.6,<0.7")
MODELS_DEPENDENCIES = (f"pydantic>={PYDANTIC_TARGET}",)
LICENSES = {"MIT": "LICENSE-MIT.txt"}  # SPDX identifier -> template of its text
_HEADER = "Written by `python -m imagegen_spec.generate` (nox -s generate): do not edit."


@dataclass(frozen=True)
class Endpoint:
    """The generated endpoint module of the spec's operation, as its README uses it."""

    module: str  # e.g. "api.images.create_image"
    function: str  # e.g. "create_image"
    body_class: str
    parameters: tuple[str, ...]  # the Python names of the operation's parameters
    result_classes: tuple[str, ...]  # the union `sync` returns, without None


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(DISTRIBUTION_TEMPLATES),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown and Python, never HTML
    )


def _urls(spec: Spec) -> dict[str, str]:
    """Project URLs from the spec: contact, docs, terms of service and the provider's server."""
    info, urls = spec.get("info") or {}, {}
    contact = info.get("contact") or {}
    if contact.get("url"):
        urls["Homepage"] = str(contact["url"])
    docs = spec.get("externalDocs") or {}
    if docs.get("url"):
        urls["Documentation"] = str(docs["url"])
    if info.get("termsOfService"):
        urls["Terms of service"] = str(info["termsOfService"])
    for server in spec.get("servers") or []:
        url = str(server.get("url", ""))
        if "{" not in url and urlsplit(url).hostname not in (None, "127.0.0.1", "localhost"):
            urls["API"] = url
            break
    return urls


def _classifiers(spec: Spec, kind: str) -> list[str]:
    version = str(spec["info"]["version"])
    stable = not version.startswith("0.") and not any(c.isalpha() for c in version)
    return [
        "Development Status :: " + ("5 - Production/Stable" if stable else "4 - Beta"),
        "Intended Audience :: Developers",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Topic :: Multimedia :: Graphics",
        "Typing :: Typed",
        *(["Framework :: Pydantic :: 2"] if kind == "models" else []),
    ]


def _license(spec: Spec) -> str:
    identifier = str((spec.get("info", {}).get("license") or {}).get("identifier", ""))
    if identifier not in LICENSES:
        raise GenerateError(
            f"info.license.identifier {identifier!r} has no license text to ship; known: "
            + ", ".join(LICENSES)
        )
    return identifier


def _mock_url(spec: Spec) -> str | None:
    for server in spec.get("servers") or []:
        if urlsplit(str(server.get("url", ""))).hostname == "127.0.0.1":
            return str(server["url"])
    return None


def _provider_url(spec: Spec) -> str:
    server = (spec.get("servers") or [{}])[0]
    url = str(server.get("url", "https://api.example.com"))
    for name in server.get("variables") or {}:
        url = url.replace("{" + name + "}", f"your-{name}")  # a placeholder to fill in
    return url


def read_endpoint(client_package_dir: Path) -> Endpoint:
    """Read the one endpoint module openapi-python-client wrote (its `sync` function)."""
    modules = [
        path
        for path in sorted((client_package_dir / "api").rglob("*.py"))
        if path.name != "__init__.py"
    ]
    if len(modules) != 1:
        raise GenerateError(f"expected one endpoint module below api/, found {len(modules)}")
    tree = ast.parse(modules[0].read_text(encoding="utf-8"))
    sync = next(
        node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "sync"
    )
    arguments = {arg.arg: arg for arg in [*sync.args.args, *sync.args.kwonlyargs]}
    body = arguments.get("body")
    if body is None or not isinstance(body.annotation, ast.Name) or sync.returns is None:
        raise GenerateError(f"{modules[0].name}: `sync` has no `body: Model` argument")
    results = [part.strip() for part in ast.unparse(sync.returns).split("|")]
    relative = modules[0].relative_to(client_package_dir).with_suffix("")
    return Endpoint(
        module=".".join(relative.parts),
        function=relative.name,
        body_class=body.annotation.id,
        parameters=tuple(name for name in arguments if name not in ("client", "body")),
        result_classes=tuple(part for part in results if part != "None"),
    )


def _normal(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def _parameter_examples(op: Operation, endpoint: Endpoint) -> list[tuple[str, Any]]:
    """Each required parameter's Python name and its spec example."""
    declared = {
        _normal(p.name): resolve_ref(
            op.spec, resolve_pointer(op.spec, p.schema_pointer.removesuffix("/schema"))
        )
        for p in op.parameters
        if p.required
    }
    return [
        (name, declared[_normal(name)].get("example", name))
        for name in endpoint.parameters
        if _normal(name) in declared
    ]


def _schema_name(op: Operation, status: str) -> str | None:
    schema_pointer = op.response_schema_pointer(status)
    if schema_pointer is None:
        return None
    ref = resolve_pointer(op.spec, schema_pointer).get("$ref")
    return str(ref).rsplit("/", 1)[-1] if ref else None


def _leaf_path(spec: Spec, schema: Any, depth: int = 0) -> list[str]:
    """Attribute names from an object schema down to a leaf: required fields, enums first."""
    schema = resolve_ref(spec, schema)
    properties = schema.get("properties") or {}
    required = [name for name in schema.get("required", []) if name in properties]
    if not required or depth > 4:
        return []
    resolved = {name: resolve_ref(spec, properties[name]) for name in required}
    leaves = [name for name in required if "enum" in resolved[name]]
    objects = [name for name in required if resolved[name].get("type") == "object"]
    name = (leaves or objects or required)[0]
    tail = _leaf_path(spec, properties[name], depth + 1) if name in objects else []
    return [name, *tail]


def _extras(op: Operation, success: str) -> list[tuple[str, str]]:
    """Object fields of the success response beyond a plain image (content filters, usage)."""
    schema = resolve_ref(
        op.spec, resolve_pointer(op.spec, op.response_schema_pointer(success) or "")
    )
    found = []
    items = resolve_ref(op.spec, (schema.get("properties", {}).get("data") or {}).get("items", {}))
    for owner, variable, fields in (("result", "result", schema), ("image", "image", items)):
        for name, field in (fields.get("properties") or {}).items():
            if name == "data" or resolve_ref(op.spec, field).get("type") != "object":
                continue
            path = [name, *_leaf_path(op.spec, field)]
            found.append((owner, f"{variable}." + ".".join(path)))
    return found


def _error_cases(op: Operation, classes: list[str]) -> list[tuple[str, str, str]]:
    """(class, its first required field, how to print it) of each declared error body."""
    cases = []
    components = op.spec.get("components", {}).get("schemas", {})
    for name in classes:
        schema = components.get(name, {})
        required = schema.get("required") or list(schema.get("properties") or {})
        if not required:
            cases.append((name, "", "parsed"))
            continue
        field = required[0]
        target = resolve_ref(op.spec, (schema.get("properties") or {}).get(field, {}))
        inner = resolve_ref(op.spec, target.get("items", {})) if "items" in target else target
        keys = inner.get("properties") or {}
        text = next((key for key in ("message", "msg") if key in keys), None)
        if text and "items" in target:
            shown = f"[item.{text} for item in {field}]"
        elif text:
            shown = f"{field}.{text}"
        else:
            shown = field
        cases.append((name, field, shown))
    return cases


@dataclass(frozen=True)
class Streaming:
    """What the READMEs say of a streamed answer: the media type and the event models' names."""

    media_type: str
    union: str
    """The model of any event's JSON object (`data`), a union told apart by `type`."""
    events: tuple[tuple[str, str], ...]
    """(event name, model) of each event, as `event:` names them."""
    client_generator: str
    """openapi-python-client's pinned version, whose client reads JSON answers only."""


def _streaming(op: Operation) -> Streaming | None:
    """The spec's event stream as the READMEs describe it (None where it declares none)."""
    try:
        stream = EventStream.of(op)
    except ValueError as error:
        raise GenerateError(str(error)) from error
    if stream is None:
        return None
    events = [event for event in (stream.partial, stream.completed) if event is not None]
    return Streaming(
        media_type=EVENT_STREAM,
        union=stream.pointer.rsplit("/", 1)[-1],
        events=tuple((event.name, event.pointer.rsplit("/", 1)[-1]) for event in events),
        client_generator=pinned_versions()["openapi-python-client"],
    )


def readme_context(variant: str, spec: Spec, client_package_dir: Path) -> dict[str, Any]:
    """Everything the README templates show, read from the spec and the generated client."""
    names = Names(variant)
    op = spec_operation(variant, spec)
    endpoint = read_endpoint(client_package_dir)
    success = next(status for status in op.statuses if status.startswith("2"))
    success_class = _schema_name(op, success)
    error_classes = [name for name in endpoint.result_classes if name != success_class]
    request_example = next(
        (
            e.value
            for e in op.examples()
            if "/requestBody/" in e.where and isinstance(e.value, dict)
        ),
        {},
    )
    try:
        auth = op.auth
    except ValueError as error:
        raise GenerateError(str(error)) from error
    info = spec["info"]
    return {
        "header": _HEADER,
        "variant": variant,
        "names": names,
        "title": info["title"],
        "summary": str(info.get("summary") or info["title"]).strip(),
        "version": str(info["version"]),
        "license": _license(spec),
        "provider_url": _provider_url(spec),
        "mock_url": _mock_url(spec),
        "auth": auth,
        "key_variable": f"IMAGEGEN_{variant.upper().replace('-', '_')}_API_KEY",
        "endpoint": endpoint,
        "parameters": _parameter_examples(op, endpoint),
        "prompt": str(request_example.get("prompt", "A watercolor fox")),
        "success_class": success_class,
        "error_cases": _error_cases(op, error_classes),
        "statuses": op.statuses,
        "extras": _extras(op, success),
        "streaming": _streaming(op),
    }


def _pyproject(spec: Spec, project: str, package: str, kind: str) -> str:
    info = spec["info"]
    contact = info.get("contact") or {}
    summary = str(info.get("summary") or info["title"]).strip()
    what = "Pydantic v2 models" if kind == "models" else "A typed httpx client"
    authors = {key: str(contact[key]) for key in ("name", "email") if contact.get(key)}
    urls = _urls(spec)
    metadata: dict[str, Any] = {
        "name": project,
        "version": str(info["version"]),
        "description": f"{what} of {info['title']}: {summary}",
        "readme": "README.md",
        "license": _license(spec),
        "license-files": ["LICENSE"],
        "requires-python": ">=3.11",
        "authors": [authors] if authors else [],
        "classifiers": _classifiers(spec, kind),
        "dependencies": list(MODELS_DEPENDENCIES if kind == "models" else CLIENT_DEPENDENCIES),
    }
    if urls:
        metadata["urls"] = urls
    document = {
        "project": metadata,
        "build-system": {"requires": ["hatchling>=1.27"], "build-backend": "hatchling.build"},
        "tool": {"hatch": {"build": {"targets": {"wheel": {"packages": [package]}}}}},
    }
    return toml.dumps(document, header=f"# {_HEADER}\n")


def write_distribution(
    folder: Path, kind: str, variant: str, spec: Spec, context: dict[str, Any]
) -> None:
    """Write pyproject.toml, README.md and LICENSE of one generated distribution."""
    names = Names(variant)
    project, package = (
        (names.models_project, names.models_package)
        if kind == "models"
        else (names.client_project, names.client_package)
    )
    environment = _environment()
    (folder / "pyproject.toml").write_text(
        _pyproject(spec, project, package, kind), encoding="utf-8"
    )
    readme = environment.get_template(f"README-{kind}.md.j2").render(**context)
    (folder / "README.md").write_text(readme, encoding="utf-8")
    license_text = environment.get_template(LICENSES[_license(spec)]).render()
    (folder / "LICENSE").write_text(license_text, encoding="utf-8")
