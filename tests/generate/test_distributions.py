"""The built distributions install into a fresh environment, and their READMEs' code type-checks.

Every wheel and sdist is built from generated/ (as `nox -s build` does), the wheels are installed
into a new virtual environment with nothing else of the project, and every Python block of every
generated README is checked there by `mypy --strict`: the usage a user copies is real code.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from imagegen_spec.core.specs import REPO_ROOT, load_spec, variants
from imagegen_spec.generate.config import GENERATED_DIR
from tests.generate.conftest import uv_binary

PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def mypy_pin() -> str:
    """The project's own mypy pin (the lint group), so the check is the one `nox -s lint` runs."""
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return next(
        entry
        for entry in pyproject["dependency-groups"]["lint"]
        if isinstance(entry, str) and entry.startswith("mypy==")
    )


def run(command: list[str], cwd: Path | None = None) -> str:
    result = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=600, cwd=cwd
    )
    assert result.returncode == 0, f"{command[:4]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_built_distributions_install_and_their_readme_code_passes_mypy_strict(
    tmp_path: Path,
) -> None:
    uv = uv_binary()
    dist = tmp_path / "dist"
    folders = sorted(path.parent for path in GENERATED_DIR.glob("*/*/pyproject.toml"))
    assert len(folders) == 2 * len(variants()), f"expected a client and models each: {folders}"
    for folder in folders:
        run([uv, "build", "--quiet", "--sdist", "--wheel", "--out-dir", str(dist), str(folder)])
    wheels = sorted(dist.glob("*.whl"))
    sdists = sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == len(sdists) == len(folders), f"expected a wheel and an sdist each: {dist}"
    for variant in variants():
        version = str(load_spec(variant)["info"]["version"])
        stem = "imagegen_" + variant.replace("-", "_")
        for kind in ("client", "models"):
            assert (dist / f"{stem}_{kind}-{version}-py3-none-any.whl").is_file()

    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
    run([uv, "pip", "install", "--quiet", "--python", str(python), *map(str, wheels), mypy_pin()])

    examples = tmp_path / "examples"
    examples.mkdir()
    for readme in sorted(GENERATED_DIR.glob("*/*/README.md")):
        blocks = PYTHON_BLOCK.findall(readme.read_text(encoding="utf-8"))
        assert blocks, f"{readme}: expected Python usage examples"
        for index, block in enumerate(blocks):
            where = f"{readme.parent.parent.name}_{readme.parent.name}_{index}".replace("-", "_")
            (examples / f"{where}.py").write_text(block, encoding="utf-8")
    # From a folder outside the repository: only the installed distributions can be imported.
    checked = run(
        [str(python), "-m", "mypy", "--strict", "--no-incremental", str(examples)],
        cwd=tmp_path,
    )
    count = len(list(examples.glob("*.py")))
    assert f"no issues found in {count} source files" in checked, checked
