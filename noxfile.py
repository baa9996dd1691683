"""Every job of imagegen-spec: `nox -l` lists them, `nox -s NAME -- ARGS` runs one."""

from __future__ import annotations

import os
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


def distribution_folders(variants: list[str]) -> list[Path]:
    """The generated distributions (generated/<variant>/<kind>/), of the named variants or all."""
    folders = sorted(path.parent for path in ROOT.glob("generated/*/*/pyproject.toml"))
    known = sorted({folder.parent.name for folder in folders})
    unknown = sorted(set(variants) - set(known))
    if unknown:
        raise ValueError(f"unknown variant {', '.join(unknown)}; known: {', '.join(known)}")
    return [folder for folder in folders if not variants or folder.parent.name in variants]


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
    session.run("imagegen", "conformance", *session.posargs)


# The real gateways of `nox -s gateways`, pinned (about 750 MB installed; CI does not run it).
LITELLM = ["litellm[proxy]==1.108.5", "prisma==0.15.0"]
PORTKEY = "@portkey-ai/gateway@1.15.2"


@nox.session
def gateways(session: nox.Session) -> None:
    """Run gateway mode against LiteLLM proxy and the Portkey gateway; write docs/gateways.md."""
    install(session, "conformance")
    session.install(*LITELLM)
    portkey = Path(session.virtualenv.location) / "portkey"
    start = portkey / "node_modules" / "@portkey-ai" / "gateway" / "build" / "start-server.js"
    if not start.exists():
        session.run_install(
            "npm",
            "install",
            "--no-fund",
            "--no-audit",
            "--prefix",
            str(portkey),
            PORTKEY,
            external=True,
        )
    session.run(
        "imagegen",
        "gateways",
        "--litellm",
        str(Path(session.bin) / "litellm"),
        "--portkey",
        str(start),
        *session.posargs,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Validate and lint the specs; ruff, mypy --strict and the layer contracts on the code."""
    install(session, "lint", "generate")
    install_node_tools(session)
    session.run("imagegen", "lint", *session.posargs)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("mypy", *generated_packages())
    session.run("actionlint", *sorted(str(p) for p in ROOT.glob(".github/workflows/*.y*ml")))
    session.run("lint-imports")


TEST_WORKERS_PER_CORE = 2


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pytest arguments after --)."""
    install(session, "tests", "generate")
    install_node_tools(session)
    session.run("imagegen", "generate", "--check")
    # Two workers per core (much of the suite waits on the Schemathesis, generator and browser
    # processes it starts: on 2 cores, 4 workers took 110 s where 2 took 122 s and 3 took 116 s),
    # a test file's tests on one worker (its module fixtures run once), the files with slow
    # tests first (tests/conftest.py); `-- -n 0` runs in one process.
    session.run(
        "pytest",
        *("-n", str(TEST_WORKERS_PER_CORE * (os.cpu_count() or 1))),
        *("--dist", "loadfile", "--no-loadscope-reorder"),
        *session.posargs,
        env=bytecode_cache(session),
    )


def bytecode_cache(session: nox.Session) -> dict[str, str | None]:
    """Let the session's Python processes keep compiled bytecode, in the session's venv only.

    The suite starts ~100 Python processes (Schemathesis runs, generators, the CLI); where the
    caller set PYTHONDONTWRITEBYTECODE, each one would compile every module it imports again.
    The cache lives in the venv (`pycache/`), so the source tree stays free of `__pycache__`.
    """
    return {
        "PYTHONDONTWRITEBYTECODE": None,
        "PYTHONPYCACHEPREFIX": str(Path(session.virtualenv.location) / "pycache"),
    }


@nox.session
def mock(session: nox.Session) -> None:
    """Serve the mock server (`-- --host 127.0.0.1 --port 8000`, see `-- --help`)."""
    install(session)
    session.run("imagegen", "mock", *session.posargs)


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate all that is made from the specs: generated/, README tables, docs/decisions.md.

    `-- --check` changes nothing and fails if any is stale (what `nox -s tests` checks).
    """
    install(session, "generate", "docs")
    session.run("imagegen", "generate", *session.posargs)
    check = "--check" in session.posargs
    readme = "--check-readme" if check else "--readme-only"
    session.run("imagegen", "docs", readme)
    session.run("imagegen", "provenance", *(["--check"] if check else []))


@nox.session
def build(session: nox.Session) -> None:
    """Build each generated wheel and sdist into dist/<variant>/; `twine check --strict` them.

    `-- VARIANT ...` builds only those variants (the release workflow builds one per job).
    """
    install(session, "build", project=False)
    try:
        folders = distribution_folders(list(session.posargs))
    except ValueError as error:
        session.error(str(error))
    dist = ROOT / "dist"
    for variant in sorted({folder.parent.name for folder in folders}):
        shutil.rmtree(dist / variant, ignore_errors=True)
    for folder in folders:
        out = dist / folder.parent.name
        session.run("python", "-m", "build", "--installer", "uv", "--outdir", str(out), str(folder))
    built = sorted(str(path) for path in dist.glob("*/*") if path.suffix in (".whl", ".gz"))
    session.run("twine", "check", "--strict", *built)


@nox.session
def diff(session: nox.Session) -> None:
    """Report spec and generated-API changes since a git revision (`-- [BASE]`, see `-- --help`)."""
    install(session, "diff")
    session.run("imagegen", "diff", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the docs site into site/; refresh the README's tables and docs/decisions.md."""
    install(session, "docs")
    install_node_tools(session)
    session.run("imagegen", "provenance")
    session.run("imagegen", "docs", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark the mock beside Prism and a bare app, generation, conformance and a soak run."""
    if shutil.which("wrk") is None:
        session.error(
            "wrk (the load generator) is missing: install it with `apt-get install -y wrk`"
        )
    install(session, "bench")
    install_node_tools(session)
    session.run("imagegen", "bench", *session.posargs)
