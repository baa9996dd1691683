"""Code samples of an operation, made from the spec's own request examples.

Four clients, each sample a complete program a reader can paste: curl, Python with the official
`openai` SDK (`AzureOpenAI` for a variant whose key goes in an `api-key` header, Azure's
scheme, else `OpenAI`), Python with the generated client, and Node with the official `openai`
package. Every sample calls the spec's local mock server (`nox -s mock`), the one server every
variant declares that a reader can run; a comment names the provider's server. The tests run
each sample against the mock, so none can rot.

A variant that streams (its success response has a `text/event-stream`) also gets samples of
its first request example with `stream: true`: curl printing the events as they come, and both
official SDKs iterating them. The generated client gets none: its generator reads only the
JSON answer.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from imagegen_spec.core.events import STREAM_FIELD
from imagegen_spec.core.operation import JSON, Operation
from imagegen_spec.core.pointers import pointer, resolve_pointer
from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.docs.describe import ref_name, walk_fields
from imagegen_spec.docs.stream import streams

GENERATED_CLIENTS = REPO_ROOT / "generated"
"""Where `nox -s generate` writes each variant's client (`generated/VARIANT/client/PACKAGE`)."""
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MOCK_ORIGIN = "http://127.0.0.1:8000"
"""Where `nox -s mock` listens; the tests swap in the origin of the mock they start."""
BEARER_KEY_VARIABLE = "OPENAI_API_KEY"
AZURE_KEY_VARIABLE = "AZURE_OPENAI_API_KEY"
"""The environment variables the official SDKs read the key from (OpenAI, AzureOpenAI)."""


class Client(StrEnum):
    """The clients a sample is written for."""

    CURL = "curl"
    PYTHON_SDK = "python-openai"
    PYTHON_GENERATED = "python-generated"
    NODE_SDK = "node-openai"


LANGUAGES: dict[Client, tuple[str, str]] = {
    # client: (the language Redoc highlights, the label a reader sees)
    Client.CURL: ("curl", "curl"),
    Client.PYTHON_SDK: ("python", "Python (openai SDK)"),
    Client.PYTHON_GENERATED: ("python", "Python (generated client)"),
    Client.NODE_SDK: ("javascript", "Node (openai SDK)"),
}
STREAMED_CLIENTS = (Client.CURL, Client.PYTHON_SDK, Client.NODE_SDK)
"""The clients a streamed example gets a sample for (the generated client reads JSON only)."""
STREAMED_SUFFIX = ", streamed"
"""What a streamed sample's label adds to its client's."""


@dataclass(frozen=True)
class RequestExample:
    """One request example of the operation: its name, summary and body."""

    name: str
    summary: str
    body: dict[str, Any]


@dataclass(frozen=True)
class CodeSample:
    """One sample program: which client, for which example, and its source."""

    client: Client
    example: RequestExample
    source: str

    @property
    def streamed(self) -> bool:
        """Whether the sample asks for the event stream (`stream: true`)."""
        return is_streamed(self.example)

    @property
    def lang(self) -> str:
        """The language Redoc highlights the sample as."""
        return LANGUAGES[self.client][0]

    @property
    def label(self) -> str:
        """The sample's name in the docs, e.g. `Python (openai SDK)`, `curl, streamed`."""
        return LANGUAGES[self.client][1] + (STREAMED_SUFFIX if self.streamed else "")

    def as_redoc(self) -> dict[str, str]:
        """The sample as an entry of Redoc's `x-codeSamples`."""
        return {"lang": self.lang, "label": self.label, "source": self.source}


def is_streamed(example: RequestExample) -> bool:
    """Whether a request example asks for the event stream."""
    return example.body.get(STREAM_FIELD) is True


def redoc_languages() -> list[dict[str, str]]:
    """Redoc's `codeSamples.languages` option: the tabs it shows (only samples listed show)."""
    tabs = [{"lang": lang, "label": label} for lang, label in LANGUAGES.values()]
    streamed = [
        {"lang": LANGUAGES[client][0], "label": LANGUAGES[client][1] + STREAMED_SUFFIX}
        for client in STREAMED_CLIENTS
    ]
    return [*tabs, *streamed, {"lang": "payload", "label": "Payload"}]


def request_examples(op: Operation) -> tuple[RequestExample, ...]:
    """The named request body examples of the operation, in the spec's order."""
    media = resolve_pointer(op.spec, op.pointer + pointer("requestBody", "content", JSON))
    return tuple(
        RequestExample(name, str(example.get("summary", name)), dict(example["value"]))
        for name, example in media.get("examples", {}).items()
    )


def mock_server(op: Operation) -> str:
    """The URL of the spec's server on the loopback interface (the local mock)."""
    servers = op.definition.get("servers") or op.spec.get("servers") or []
    for server in servers:
        if urlsplit(str(server["url"])).hostname in LOOPBACK_HOSTS:
            return str(server["url"]).rstrip("/")
    raise ValueError(f"{op.variant}: the spec declares no server on 127.0.0.1 (the local mock)")


def provider_server(op: Operation) -> str:
    """The URL of the spec's first server that is not the local mock, as written."""
    servers = op.definition.get("servers") or op.spec.get("servers") or []
    for server in servers:
        if urlsplit(str(server["url"])).hostname not in LOOPBACK_HOSTS:
            return str(server["url"]).rstrip("/")
    return mock_server(op)


def is_azure(op: Operation) -> bool:
    """Whether the official SDKs reach this variant through `AzureOpenAI` (an `api-key` header)."""
    auth = op.auth
    return not auth.bearer and auth.header.lower() == "api-key"


def parameter_examples(op: Operation) -> dict[tuple[str, str], Any]:
    """The example value of each required parameter, by (location, name)."""
    found: dict[tuple[str, str], Any] = {}
    for parameter in op.parameters:
        if not parameter.required:
            continue
        value = op.parameter_example(parameter)
        if value is None:
            raise ValueError(
                f"{op.variant}: the required {parameter.location} parameter {parameter.name!r} "
                "has no example to put in the code samples"
            )
        found[(parameter.location, parameter.name)] = value
    return found


def stream_example(op: Operation) -> RequestExample | None:
    """The first request example with `stream: true`, when the operation streams."""
    if not streams(op):
        return None
    return next((example for example in request_examples(op) if is_streamed(example)), None)


def published_samples(op: Operation) -> tuple[CodeSample, ...]:
    """Every sample the docs publish: one per client for the first request example.

    When the operation streams, also the streamed samples of its first streamed example.
    """
    streamed = stream_example(op)
    return code_samples(op) + (code_samples(op, streamed) if streamed is not None else ())


def code_samples(op: Operation, example: RequestExample | None = None) -> tuple[CodeSample, ...]:
    """One sample per client, for one request example (the spec's first by default).

    A streamed example (`stream: true`, on an operation that streams) gets the clients of
    `STREAMED_CLIENTS`, each reading the events.
    """
    if example is None:
        examples = request_examples(op)
        if not examples:
            raise ValueError(f"{op.variant}: the request body has no examples to make samples of")
        example = examples[0]
    writers: dict[Client, Callable[[Operation, RequestExample], str]] = {
        Client.CURL: _curl,
        Client.PYTHON_SDK: _python_sdk,
        Client.PYTHON_GENERATED: _python_generated,
        Client.NODE_SDK: _node_sdk,
    }
    if is_streamed(example) and streams(op):
        writers = {client: writers[client] for client in STREAMED_CLIENTS}
    return tuple(
        CodeSample(client, example, writer(op, example)) for client, writer in writers.items()
    )


def _url(op: Operation) -> str:
    """The full URL of the operation on the mock, path and query parameters filled in."""
    values = parameter_examples(op)
    path = op.path
    query = {}
    for (location, name), value in values.items():
        if location == "path":
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        elif location == "query":
            query[name] = str(value)
    return mock_server(op) + path + (f"?{urlencode(query)}" if query else "")


def _key_variable(op: Operation) -> str:
    return AZURE_KEY_VARIABLE if is_azure(op) else BEARER_KEY_VARIABLE


def _comment(op: Operation, example: RequestExample, mark: str) -> str:
    return (
        f"{mark} {' '.join(example.summary.split())}\n"
        f"{mark} Calls the local mock (nox -s mock); the provider: {provider_server(op)}\n"
    )


def _curl(op: Operation, example: RequestExample) -> str:
    auth = op.auth
    credential = f"Bearer ${_key_variable(op)}" if auth.bearer else f"${_key_variable(op)}"
    body = json.dumps(example.body, indent=2, ensure_ascii=False)
    # -N: print each event as it arrives instead of buffering the stream.
    options = "-N --fail-with-body -sS" if is_streamed(example) else "--fail-with-body -sS"
    return (
        _comment(op, example, "#")
        + f"curl {options} -X {op.method.upper()} {shlex.quote(_url(op))} \\\n"
        + f'  -H "{auth.header}: {credential}" \\\n'
        + f'  -H "Content-Type: {JSON}" \\\n'
        + f"  -d {shlex.quote(body)}\n"
    )


def _python_arguments(body: dict[str, Any]) -> str:
    return "".join(f"    {name}={_python_literal(value)},\n" for name, value in body.items())


def _python_literal(value: Any) -> str:
    """A JSON value as Python source (None, True, False; strings in double quotes)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_python_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{json.dumps(key)}: {_python_literal(item)}" for key, item in value.items())
        return "{" + ", ".join(items) + "}"
    return json.dumps(value, ensure_ascii=False)


def _sdk_call(op: Operation, example: RequestExample) -> tuple[dict[str, Any], dict[str, Any]]:
    """(client options, generate() arguments) for the official SDKs, in JSON terms."""
    body = dict(example.body)
    if not is_azure(op):
        return {"base_url": mock_server(op)}, body
    values = parameter_examples(op)
    deployments = [value for (location, _), value in values.items() if location == "path"]
    versions = [value for (location, _), value in values.items() if location == "query"]
    if len(deployments) != 1 or len(versions) != 1:
        raise ValueError(
            f"{op.variant}: AzureOpenAI needs one path parameter (the deployment) and one query "
            f"parameter (the API version), found {sorted(values)}"
        )
    # AzureOpenAI puts `model` into the path as the deployment (and keeps it in the body).
    body["model"] = deployments[0]
    return {"base_url": mock_server(op), "api_version": versions[0]}, body


def _python_sdk(op: Operation, example: RequestExample) -> str:
    options, body = _sdk_call(op, example)
    cls = "AzureOpenAI" if is_azure(op) else "OpenAI"
    arguments = "".join(f"{name}={_python_literal(value)}, " for name, value in options.items())
    head = (
        _comment(op, example, "#")
        + f"from openai import {cls}\n\n"
        + f"# The key is read from ${_key_variable(op)}.\n"
        + f"client = {cls}({arguments.removesuffix(', ')})\n"
    )
    if is_streamed(example):
        return (
            head
            + "stream = client.images.generate(\n"
            + _python_arguments(body)
            + ")\n"
            + "# Each partial image as it is made, then the final image.\n"
            + "for event in stream:\n"
            + '    print(f"{event.type}: {len(event.b64_json)} base64 characters")\n'
        )
    return (
        head
        + "result = client.images.generate(\n"
        + _python_arguments(body)
        + ")\n"
        + "for image in result.data or []:\n"
        + "    print(image.url or f\"{len(image.b64_json or '')} base64 characters\")\n"
    )


def generated_client_folder(op: Operation) -> str:
    """The generated client's folder, relative to the repository (what `pip install` takes)."""
    return (GENERATED_CLIENTS / op.variant / "client").relative_to(REPO_ROOT).as_posix()


def generated_client_package(op: Operation) -> str:
    """The import name of the generated client: the one package in its folder."""
    folder = REPO_ROOT / generated_client_folder(op)
    packages = sorted(init.parent.name for init in folder.glob("*/__init__.py"))
    if len(packages) != 1:
        raise ValueError(
            f"{op.variant}: expected one package in {generated_client_folder(op)}, found "
            f"{packages or 'none'}; run `nox -s generate`"
        )
    return packages[0]


def _python_generated(op: Operation, example: RequestExample) -> str:
    package = generated_client_package(op)
    module = _snake(op.operation_id)
    tag = _snake(str((op.definition.get("tags") or ["default"])[0]))
    success = next(status for status in op.statuses if status.startswith("2"))
    success_pointer = op.response_schema_pointer(success)
    request_class = ref_name(resolve_pointer(op.spec, op.request_schema_pointer))
    response_class = (
        ref_name(resolve_pointer(op.spec, success_pointer)) if success_pointer else None
    )
    if request_class is None or response_class is None or success_pointer is None:
        raise ValueError(
            f"{op.variant}: the generated client's sample needs the request and the {success} "
            "response schemas to be named components ($ref)"
        )
    keyword = {(location, name): _snake(name) for (location, name) in parameter_examples(op)}
    parameters = "".join(
        f"    {keyword[key]}={_python_literal(value)},\n"
        for key, value in parameter_examples(op).items()
    )
    return (
        _comment(op, example, "#")
        + f"# pip install ./{generated_client_folder(op)}\n"
        + "import os\n\n"
        + f"from {package} import AuthenticatedClient\n"
        + f"from {package}.api.{tag} import {module}\n"
        + f"from {package}.models import {request_class}, {response_class}\n\n"
        + "client = AuthenticatedClient(\n"
        + f"    base_url={_python_literal(mock_server(op))},\n"
        + f'    token=os.environ["{_key_variable(op)}"],\n'
        + ")\n"
        + f"body = {request_class}.from_dict({_python_literal(example.body)})\n"
        + f"result = {module}.sync(\n"
        + "    client=client,\n"
        + "    body=body,\n"
        + parameters
        + ")\n"
        + f"if not isinstance(result, {response_class}):\n"
        + '    raise SystemExit(f"the API answered an error: {result}")\n'
        + "for image in result.data:\n"
        + f"    print({_image_summary(op, success_pointer)})\n"
    )


def _image_summary(op: Operation, response_pointer: str) -> str:
    """What the generated client's sample prints of an image: the fields its schema has."""
    fields = {
        field.path for field in walk_fields(op.spec, resolve_pointer(op.spec, response_pointer))
    }
    url, b64 = "data[].url" in fields, "data[].b64_json" in fields
    length = "f\"{len(image.b64_json or '')} base64 characters\""
    if url and b64:
        return f"image.url or {length}"
    return "image.url" if url else length


def _node_sdk(op: Operation, example: RequestExample) -> str:
    options, body = _sdk_call(op, example)
    cls = "AzureOpenAI" if is_azure(op) else "OpenAI"
    names = {"base_url": "baseURL", "api_version": "apiVersion"}
    option_text = ", ".join(
        f"{names[name]}: {json.dumps(value)}" for name, value in options.items()
    )
    body_text = json.dumps(body, indent=2, ensure_ascii=False)
    statement = "import { AzureOpenAI } from" if is_azure(op) else "import OpenAI from"
    head = (
        _comment(op, example, "//")
        + f'{statement} "openai";\n\n'
        + f"// The key is read from ${_key_variable(op)}.\n"
        + f"const client = new {cls}({{ {option_text} }});\n"
    )
    if is_streamed(example):
        return (
            head
            + f"const stream = await client.images.generate({body_text});\n"
            + "// Each partial image as it is made, then the final image.\n"
            + "for await (const event of stream) {\n"
            + "  console.log(`${event.type}: ${event.b64_json.length} base64 characters`);\n"
            + "}\n"
        )
    return (
        head
        + f"const result = await client.images.generate({body_text});\n"
        + "for (const image of result.data ?? []) {\n"
        + "  console.log(image.url ?? `${image.b64_json?.length} base64 characters`);\n"
        + "}\n"
    )


def _snake(name: str) -> str:
    """`createImage` -> `create_image`, `api-version` -> `api_version` (the generator's rule)."""
    out = []
    for index, char in enumerate(name):
        if char.isupper() and index and (name[index - 1].islower() or name[index - 1].isdigit()):
            out.append("_")
        out.append("_" if char in "-. " else char.lower())
    return "".join(out)
