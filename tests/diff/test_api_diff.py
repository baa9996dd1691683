"""griffe finds what breaks code using the generated packages; packages are found in the tree."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.diff.api_diff import compare_generated, compare_packages, discover_packages

CLIENT = """
def create_image(prompt: str, n: int = 1) -> str:
    return prompt * n


class CreateImageRequest:
    prompt: str
    user: str
"""


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_discovers_top_level_packages_and_modules(tmp_path: Path) -> None:
    write(tmp_path, "client/imagegen_x_client/__init__.py", CLIENT)
    write(tmp_path, "client/imagegen_x_client/models/__init__.py", "")
    write(tmp_path, "models/imagegen_x_models.py", "A = 1\n")
    write(tmp_path, "client/.venv/lib/hidden/__init__.py", "")
    write(tmp_path, "client/setup.py", "")
    found = discover_packages(tmp_path)
    assert found == {
        "imagegen_x_client": tmp_path / "client",
        "imagegen_x_models": tmp_path / "models",
    }, found


def test_removed_parameter_and_attribute_break(tmp_path: Path) -> None:
    write(tmp_path, "old/client/imagegen_x_client/__init__.py", CLIENT)
    changed = CLIENT.replace(", n: int = 1", "").replace("    user: str\n", "")
    write(tmp_path, "new/client/imagegen_x_client/__init__.py", changed)
    result = compare_packages("x", tmp_path / "old", tmp_path / "new")
    explanations = "\n".join(item.explanation for item in result.breaks)
    assert len(result.breaks) == 2, explanations
    assert "Parameter was removed" in explanations, explanations
    assert "CreateImageRequest.user" in explanations, explanations


def test_unchanged_package_has_no_break(tmp_path: Path) -> None:
    write(tmp_path, "old/client/imagegen_x_client/__init__.py", CLIENT)
    write(tmp_path, "new/client/imagegen_x_client/__init__.py", CLIENT + "\n\nNEW = 1\n")
    result = compare_packages("x", tmp_path / "old", tmp_path / "new")
    assert result.breaks == (), result.breaks
    assert result.note == "compared imagegen_x_client"


def test_removed_package_breaks_and_added_is_noted(tmp_path: Path) -> None:
    write(tmp_path, "old/client/imagegen_x_client/__init__.py", CLIENT)
    write(tmp_path, "new/client/imagegen_y_client/__init__.py", CLIENT)
    result = compare_packages("x", tmp_path / "old", tmp_path / "new")
    assert [item.package for item in result.breaks] == ["imagegen_x_client"]
    assert result.added == ("imagegen_y_client",)


def test_missing_side_is_reported_not_failed(tmp_path: Path) -> None:
    write(tmp_path, "new/x/client/imagegen_x_client/__init__.py", CLIENT)
    result = compare_generated(None, tmp_path / "new", ["x", "z"])
    assert not result["x"].compared
    assert result["x"].note == "no generated API to compare (none at BASE)"
    assert result["z"].note == "no generated API to compare (none at BASE and none now)"


def test_real_generated_client_field_removal_is_found(tmp_path: Path) -> None:
    generated = REPO_ROOT / "generated" / "dalle"
    if not generated.is_dir():
        pytest.skip("generated/dalle does not exist yet (nox -s generate)")
    shutil.copytree(generated, tmp_path / "old" / "dalle")
    shutil.copytree(generated, tmp_path / "new" / "dalle")
    model = tmp_path / "new/dalle/client/imagegen_dalle_client/models/create_image_request.py"
    text = model.read_text(encoding="utf-8")
    assert "    user: str | Unset = UNSET\n" in text, "the planted edit must apply"
    model.write_text(text.replace("    user: str | Unset = UNSET\n", ""), encoding="utf-8")
    result = compare_generated(tmp_path / "old", tmp_path / "new", ["dalle"])["dalle"]
    assert {item.package for item in result.breaks} == {"imagegen_dalle_client"}, result
    explanations = "\n".join(item.explanation for item in result.breaks)
    assert "`CreateImageRequest.user`" in explanations, explanations
    assert "CreateImageRequest.__init__(user)" in explanations, "expected the parameter too"


MODELS = """
from attrs import define, field
from pydantic import BaseModel


@define{attrs_arguments}
class Result:
    filtered: bool
    detected: bool
    severity: str = "{default}"
    _cache: dict[str, str] = field(factory=dict, init=False)


class Request(BaseModel):
    prompt: str
    n: int | None = {n_default}
"""


def models(attrs_arguments: str = "", default: str = "safe", n_default: str = "None") -> str:
    return MODELS.format(attrs_arguments=attrs_arguments, default=default, n_default=n_default)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # Two positional fields swapped by a spec key reorder: `Result(True, False)` changes.
        (
            models(),
            models().replace(
                "    filtered: bool\n    detected: bool\n",
                "    detected: bool\n    filtered: bool\n",
            ),
            "Positional parameter was moved",
        ),
        (models(), models("(kw_only=True)"), "Parameter kind was changed"),
        (models(), models(default="low"), "Parameter default was changed"),
        (models(n_default="None"), models(n_default="1"), "Parameter default was changed"),
        (
            models(),
            models().replace("    severity: str", "    level: str"),
            "Parameter was removed",
        ),
        (
            models(),
            models().replace("    n: int | None = None", "    n: int"),
            "Parameter is now required",
        ),
    ],
    ids=["attrs-reorder", "attrs-kind", "attrs-default", "pydantic-default", "renamed", "required"],
)
def test_a_changed_constructor_signature_is_found(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    write(tmp_path, "old/client/imagegen_x_client/__init__.py", old)
    write(tmp_path, "new/client/imagegen_x_client/__init__.py", new)
    result = compare_packages("x", tmp_path / "old", tmp_path / "new")
    explanations = "\n".join(item.explanation for item in result.breaks)
    assert expected in explanations, f"expected {expected!r} in: {explanations or 'no break'}"


def test_keyword_only_fields_reordered_is_no_break(tmp_path: Path) -> None:
    old = models("(kw_only=True)")
    new = old.replace(
        "    filtered: bool\n    detected: bool\n", "    detected: bool\n    filtered: bool\n"
    )
    write(tmp_path, "old/client/imagegen_x_client/__init__.py", old)
    write(tmp_path, "new/client/imagegen_x_client/__init__.py", new)
    result = compare_packages("x", tmp_path / "old", tmp_path / "new")
    assert result.breaks == (), [item.explanation for item in result.breaks]
