"""Breaking changes in the generated Python API of each variant, found by griffe.

`generated/<variant>/` holds the generated packages (models and client); which ones is read from
the tree, not assumed: every top-level package (a folder with `__init__.py` whose parent has none)
and every stand-alone module below it. griffe loads each statically, with no import, from the
BASE export and from the working tree, and `griffe.find_breaking_changes` lists what would
break code that uses it, the constructors of attrs and pydantic models included (their
`__init__`s are written in by `constructors.add_constructors`: names, kinds, defaults, and the
order of positional parameters). griffe does not compare annotations: a retyped field is
caught by the spec rules instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import griffe

from imagegen_spec.diff.constructors import add_constructors

SKIPPED_PARTS = frozenset({"__pycache__", "node_modules", "tests", "test", "build", "dist", "venv"})
NOT_MODULES = frozenset({"setup", "conftest", "noxfile"})


@dataclass(frozen=True)
class ApiBreak:
    """One change that breaks code using a generated package."""

    package: str
    explanation: str


@dataclass(frozen=True)
class ApiDiff:
    """What changed in one variant's generated packages."""

    variant: str
    compared: bool
    note: str
    breaks: tuple[ApiBreak, ...] = ()
    added: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def discover_packages(folder: Path) -> dict[str, Path]:
    """Top-level packages and modules below a folder: import name -> the folder to search."""
    found: dict[str, Path] = {}
    for init in sorted(folder.rglob("__init__.py")):
        package = init.parent
        if package == folder or _skipped(package.relative_to(folder)):
            continue
        if not (package.parent / "__init__.py").exists() and package.name.isidentifier():
            found.setdefault(package.name, package.parent)
    for module in sorted(folder.rglob("*.py")):
        name = module.stem
        if (
            module.name == "__init__.py"
            or (module.parent / "__init__.py").exists()
            or _skipped(module.relative_to(folder).parent)
            or not name.isidentifier()
            or name in NOT_MODULES
            or name.startswith("test")
        ):
            continue
        found.setdefault(name, module.parent)
    return found


def _skipped(relative: Path) -> bool:
    return any(part.startswith(".") or part in SKIPPED_PARTS for part in relative.parts)


def _load(name: str, search_path: Path) -> griffe.Object | griffe.Alias:
    loaded = griffe.load(
        name,
        search_paths=[search_path],
        try_relative_path=False,
        allow_inspection=False,
        resolve_aliases=True,
        resolve_external=False,
    )
    if isinstance(loaded, griffe.Module):
        add_constructors(loaded)  # the attrs and pydantic `__init__`s, so griffe compares them
    return loaded


def compare_packages(variant: str, old_folder: Path, new_folder: Path) -> ApiDiff:
    """Compare the packages of one variant's generated folder at BASE and now."""
    old_packages, new_packages = discover_packages(old_folder), discover_packages(new_folder)
    breaks: list[ApiBreak] = []
    problems: list[str] = []
    griffe_logger = logging.getLogger("griffe")
    level = griffe_logger.level
    griffe_logger.setLevel(logging.CRITICAL)  # griffe warns about every unresolved alias
    try:
        for name, old_path in old_packages.items():
            if name not in new_packages:
                breaks.append(ApiBreak(name, f"package `{name}` was removed"))
                continue
            try:
                old_api, new_api = _load(name, old_path), _load(name, new_packages[name])
                found = list(griffe.find_breaking_changes(old_api, new_api))
            except Exception as error:  # griffe raises many kinds; a package it cannot read
                problems.append(f"{name}: griffe could not compare it: {error}")
                continue
            breaks += [
                ApiBreak(
                    name,
                    breakage.explain(griffe.ExplanationStyle.MARKDOWN).removeprefix("- ")
                    + f" (in `{breakage.obj.path}`)",
                )
                for breakage in found
            ]
    finally:
        griffe_logger.setLevel(level)
    added = tuple(name for name in new_packages if name not in old_packages)
    compared = sorted(set(old_packages) & set(new_packages))
    note = f"compared {', '.join(compared)}" if compared else "no package on both sides"
    return ApiDiff(variant, True, note, tuple(breaks), added, tuple(problems))


def _folder(root: Path | None, variant: str) -> Path | None:
    folder = root / variant if root is not None else None
    return folder if folder is not None and folder.is_dir() else None


def compare_generated(
    old_root: Path | None, new_root: Path | None, variants: list[str]
) -> dict[str, ApiDiff]:
    """Compare `generated/<variant>/` at BASE (old_root) and now (new_root), per variant."""
    names = set(variants)
    for root in (old_root, new_root):
        if root is not None:
            names |= {path.name for path in root.iterdir() if path.is_dir()}
    result: dict[str, ApiDiff] = {}
    for variant in sorted(names):
        old_folder, new_folder = _folder(old_root, variant), _folder(new_root, variant)
        if old_folder is not None and new_folder is not None:
            result[variant] = compare_packages(variant, old_folder, new_folder)
            continue
        missing = [
            side for side, folder in (("at BASE", old_folder), ("now", new_folder)) if not folder
        ]
        note = f"no generated API to compare (none {' and none '.join(missing)})"
        result[variant] = ApiDiff(variant, False, note)
    return result
