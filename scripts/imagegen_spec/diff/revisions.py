"""Reading the specs and the generated code at a git revision, and choosing the default one.

Only read-only git commands are used (`rev-parse`, `merge-base`, `ls-tree`, `show`, `archive`):
the working tree, the index and the worktree list are never touched, since other people may be
working in the same checkout.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from imagegen_spec.core.specs import SPEC_SUFFIX, spec_files, spec_variants
from imagegen_spec.shared.errors import UserError

SPEC_DIR = "spec"
GENERATED_DIR = "generated"
MAIN_BRANCH = "main"


class GitError(UserError):
    """A git command failed; the message says which and why."""


@dataclass(frozen=True)
class Base:
    """The revision the working tree is compared with (None: before the first commit)."""

    commit: str | None
    description: str


def git(repo: Path, *args: str) -> str:
    """Run a git command in a repository and return its standard output."""
    return _git_bytes(repo, *args).decode("utf-8")


def _git_bytes(repo: Path, *args: str) -> bytes:
    try:
        completed = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=False
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed") from error
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"`git {' '.join(args)}` failed: {message}")
    return completed.stdout


def repo_root(path: Path) -> Path:
    """The top folder of the git work tree that holds a path."""
    if not path.is_dir():
        raise GitError(f"{path} is not a folder")
    try:
        return Path(git(path, "rev-parse", "--show-toplevel").strip())
    except GitError as error:
        raise GitError(f"{path} is not inside a git work tree") from error


def _commit(repo: Path, revision: str) -> str | None:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()
    except GitError:
        return None


def resolve_base(repo: Path, revision: str | None) -> Base:
    """The commit to compare with: the one named, or the default.

    The default is the merge base with `main` when HEAD has commits `main` lacks (a branch), else
    HEAD itself, so a clean checkout of main reports no change and uncommitted edits are what is
    compared. Pass `HEAD~1` to check the last commit. Before the first commit every variant
    counts as added.
    """
    if revision is not None:
        commit = _commit(repo, revision)
        if commit is None:
            raise GitError(f"unknown revision {revision!r}: not a commit in {repo}")
        return Base(commit, revision)
    head = _commit(repo, "HEAD")
    if head is None:
        return Base(None, "nothing (no commit yet)")
    main = _commit(repo, MAIN_BRANCH)
    if main is not None:
        merge_base = git(repo, "merge-base", MAIN_BRANCH, "HEAD").strip()
        if merge_base != head:
            return Base(merge_base, f"the merge base with {MAIN_BRANCH}")
    return Base(head, "HEAD")


def spec_texts_at(repo: Path, base: Base) -> dict[str, str]:
    """The text of every `spec/<variant>.yaml` at a revision, by variant."""
    if base.commit is None:
        return {}
    listing = git(repo, "ls-tree", "--name-only", base.commit, f"{SPEC_DIR}/")
    names = [line.removeprefix(f"{SPEC_DIR}/") for line in listing.splitlines()]
    return {
        variant: git(repo, "show", f"{base.commit}:{SPEC_DIR}/{variant}{SPEC_SUFFIX}")
        for variant in spec_variants(names)
    }


def spec_texts_now(repo: Path) -> dict[str, str]:
    """The text of every `spec/<variant>.yaml` in the working tree, by variant."""
    files = spec_files(repo / SPEC_DIR)
    return {variant: path.read_text(encoding="utf-8") for variant, path in files.items()}


def export_generated(repo: Path, base: Base, destination: Path) -> Path | None:
    """Write `generated/` as it was at a revision below a folder; None if it did not exist."""
    if base.commit is None:
        return None
    if not git(repo, "ls-tree", "-d", base.commit, GENERATED_DIR).strip():
        return None
    archive = _git_bytes(repo, "archive", "--format=tar", base.commit, GENERATED_DIR)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination / GENERATED_DIR


def generated_now(repo: Path) -> Path | None:
    """The working tree's `generated/` folder, if there is one."""
    folder = repo / GENERATED_DIR
    return folder if folder.is_dir() else None
