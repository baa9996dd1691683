"""Spec edits regenerated for real in a temporary repository, then reported by the diff.

Each test edits a spec, runs the generator over the repository (`--spec-dir`, `--out`), and
checks what the regenerated client does and what `diff` calls the change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import griffe
import pytest
import yaml

from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.diff.api_diff import discover_packages
from imagegen_spec.diff.constructors import add_constructors
from imagegen_spec.diff.location import SEPARATOR
from tests.diff.test_command import (
    USER_FIELD,
    commit_all,
    isolated_git,  # noqa: F401 (an autouse fixture: commit as a test user)
    make_repo,
    run,
    set_version,
)

SEED_FIELD = """        seed:
          type: integer
          minimum: 0
          default: 0
          description: A seed for the image generator.
"""

WIRE_PROBE = """
import json, sys
import httpx
from imagegen_dalle_client import AuthenticatedClient
from imagegen_dalle_client.api.images import create_image
from imagegen_dalle_client.models import CreateImageRequest
from imagegen_dalle_models import CreateImageRequest as Model

sent = []
def answer(request):
    sent.append(json.loads(request.content))
    return httpx.Response(200, json={"created": 1, "data": []})

client = AuthenticatedClient(
    base_url="http://dalle.invalid/v1", token="k",
    httpx_args={"transport": httpx.MockTransport(answer)},
)
with client:
    create_image.sync(client=client, body=CreateImageRequest(prompt="x"))
print(json.dumps({
    "sent": sent,
    "model_dump": Model(prompt="x").model_dump(mode="json"),
    "doc": " ".join((CreateImageRequest.__doc__ or "").split()),
    "field_doc": Model.model_fields["seed"].description,
}))
"""


@pytest.fixture
def generated_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", with_generated=True)


def regenerate(repo: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT / "scripts")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "imagegen_spec.generate",
            "--spec-dir",
            str(repo / "spec"),
            "--out",
            str(repo / "generated"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def probe_wire(repo: Path) -> dict[str, object]:
    """Run the regenerated dalle client and models in a fresh interpreter (no stale imports)."""
    folders = [repo / "generated" / "dalle" / kind for kind in ("client", "models")]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(map(str, folders))
    completed = subprocess.run(
        [sys.executable, "-c", WIRE_PROBE],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    found: dict[str, object] = json.loads(completed.stdout)
    return found


def test_a_planted_default_stays_off_the_wire_and_is_called_a_minor_change(
    generated_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = generated_repo
    spec = repo / "spec" / "dalle.yaml"
    text = spec.read_text(encoding="utf-8")
    assert USER_FIELD in text, "the planted field goes before `user`"
    spec.write_text(text.replace(USER_FIELD, SEED_FIELD + USER_FIELD), encoding="utf-8")
    regenerate(repo)

    probe = probe_wire(repo)
    assert probe["sent"] == [{"prompt": "x"}], f"expected no `seed` on the wire: {probe}"
    assert probe["model_dump"] == {"prompt": "x"}, probe
    assert "Default: `0`" in str(probe["field_doc"]), "expected the default in the field's docs"
    assert "`seed` `0`" in str(probe["doc"]), "expected the default in the client's docs"

    status, out = run(repo, capsys)
    assert f"[breaks servers] property-added: schema CreateImageRequest{SEPARATOR}seed" in out, out
    assert "recommended bump: minor" in out, out
    assert "breaks the generated API" not in out, f"a new optional keyword breaks no caller:\n{out}"
    assert "stale" not in out, out
    assert status == 1, f"an unbumped version with a new field must fail:\n{out}"
    assert "a minor bump is needed" in out, out

    set_version(repo, "1.0.0", "1.1.0")
    status, out = run(repo, capsys)
    assert status == 0, out
    assert "stale in the working tree (dalle: the spec changed since generation)" in out, out
    regenerate(repo)
    status, out = run(repo, capsys)
    assert status == 0 and "stale" not in out, out


def public_api(folder: Path) -> dict[str, list[tuple[str, str, str, str]]]:
    """Every function's and constructor's parameters: name, kind, default, annotation.

    Keyword-only parameters are sorted by name: their order is no part of the API.
    """
    api: dict[str, list[tuple[str, str, str, str]]] = {}
    for name, search_path in discover_packages(folder).items():
        package = griffe.load(
            name, search_paths=[search_path], try_relative_path=False, allow_inspection=False
        )
        assert isinstance(package, griffe.Module)
        add_constructors(package)
        stack: list[griffe.Object] = [package]
        while stack:
            obj = stack.pop()
            for member in obj.members.values():
                if member.is_alias:
                    continue
                assert isinstance(member, griffe.Object)
                if isinstance(member, griffe.Function):
                    parameters = [
                        (p.name, p.kind.value if p.kind else "", str(p.default), str(p.annotation))
                        for p in member.parameters
                    ]
                    keyword = sorted(p for p in parameters if p[1] == "keyword-only")
                    api[member.path] = [p for p in parameters if p[1] != "keyword-only"] + keyword
                elif isinstance(member, griffe.Module | griffe.Class):
                    stack.append(member)
    return api


def test_a_key_sorted_spec_regenerates_to_the_same_public_api(
    generated_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = generated_repo
    before = public_api(repo / "generated" / "azure")
    spec = repo / "spec" / "azure.yaml"
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    spec.write_text(yaml.safe_dump(document, sort_keys=True, width=100), encoding="utf-8")
    old_model = (
        REPO_ROOT / "generated/azure/client/imagegen_azure_client/models/"
        "content_filter_detected_result.py"
    ).read_text(encoding="utf-8")
    regenerate(repo)
    new_model = (
        repo / "generated/azure/client/imagegen_azure_client/models/"
        "content_filter_detected_result.py"
    ).read_text(encoding="utf-8")
    assert new_model != old_model, "expected the sorted spec to reorder the generated fields"

    after = public_api(repo / "generated" / "azure")
    assert after == before, "expected the same public API (keyword-only: order is no part of it)"
    for path, parameters in after.items():
        if path.endswith(".__init__") and ".models." in path:
            positional = [p[0] for p in parameters if p[1] != "keyword-only" and p[0] != "self"]
            assert not positional, f"{path}: positional parameters {positional} could be swapped"

    status, out = run(repo, capsys)
    assert status == 0, out
    assert "azure: unchanged" in out, f"expected no spec or API change:\n{out}"


def test_a_spec_edited_without_regenerating_is_warned_about(
    generated_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = generated_repo
    spec = repo / "spec" / "gpt-image.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("summary: Create Image\n", "summary: Create images\n"), "utf-8")
    status, out = run(repo, capsys)
    assert status == 0, f"a stale generated/ is warned about, not failed:\n{out}"
    assert "warning: generated/ is stale in the working tree (gpt-image:" in out, out
    assert "run `nox -s generate`" in out, out
    commit_all(repo, "summary, not regenerated")
    status, out = run(repo, capsys, "HEAD")
    assert status == 0, out
    assert "warning: generated/ is stale at HEAD (gpt-image:" in out, out
