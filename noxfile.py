"""Every job of imagegen-spec: `nox -l` lists them, `nox -s NAME -- ARGS` runs one."""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
NODE_TOOLS = ROOT / "scripts" / "node"

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["conformance", "lint", "tests"]
nox.options.error_on_external_run = True


def install(session: nox.Session, *groups: str, project: bool = True) -> None:
    """Install the project (editable) and the named dependency groups from pyproject.toml."""
    requirements = [
        req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)
    ]
    if project:
        requirements += ["-e", "."]
    session.install(*requirements)


def generated_packages() -> list[str]:
    """The generated model and client packages (generated/<variant>/<kind>/<package>)."""
    return sorted(
        str(init.parent.relative_to(ROOT)) for init in ROOT.glob("generated/*/*/*/__init__.py")
    )


def install_node_tools(session: nox.Session) -> None:
    """Install the pinned Node tools (Redocly, Prism, openai SDK) from the lockfile, once."""
    modules = NODE_TOOLS / "node_modules"
    installed = [modules / ".bin" / "redocly", modules / ".bin" / "prism", modules / "openai"]
    if not all(path.exists() for path in installed):
        session.run(
            "npm", "ci", "--no-fund", "--no-audit", "--prefix", str(NODE_TOOLS), external=True
        )


@nox.session
def conformance(session: nox.Session) -> None:
    """Check the API's conformance: the embedded mock by default (`-- --help` for live mode)."""
    install(session, "conformance")
    session.run("python", "-m", "imagegen_spec.conformance", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Validate and lint the specs; ruff, mypy --strict and the layer contracts on the code."""
    install(session, "lint", "generate")
    install_node_tools(session)
    session.run("python", "-m", "imagegen_spec.lint", *session.posargs)
    session.run("actionlint")  # every workflow under .github/workflows
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("mypy", *generated_packages())
    session.run("lint-imports")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pytest arguments after --)."""
    install(session, "tests", "generate")
    install_node_tools(session)
    session.run("python", "-m", "imagegen_spec.generate", "--check")
    session.run("pytest", *session.posargs)


@nox.session
def mock(session: nox.Session) -> None:
    """Serve the mock server (`-- --host 127.0.0.1 --port 8000`, see `-- --help`)."""
    install(session)
    session.run("python", "-m", "imagegen_spec.mock", *session.posargs)


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate models and clients into generated/ (`-- --check` only checks them)."""
    install(session, "generate")
    session.run("python", "-m", "imagegen_spec.generate", *session.posargs)


@nox.session
def diff(session: nox.Session) -> None:
    """Report spec and generated-API changes since a git revision (`-- [BASE]`, see `-- --help`)."""
    install(session, "diff")
    session.run("python", "-m", "imagegen_spec.diff", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the docs site into site/; refresh the README's tables and docs/decisions.md."""
    install(session, "docs")
    install_node_tools(session)
    session.run("python", "-m", "imagegen_spec.provenance")
    session.run("python", "-m", "imagegen_spec.docs", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark the mock beside Prism and a bare app, generation, conformance and a soak run."""
    if shutil.which("wrk") is None:
        session.error(
            "wrk (the load generator) is missing: install it with `apt-get install -y wrk`"
        )
    install(session, "bench")
    install_node_tools(session)
    session.run("python", "-m", "imagegen_spec.bench", *session.posargs)
