"""End to end in a temporary git repository: the command, its report and its exit status."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import imagegen_spec
from imagegen_spec.core.specs import REPO_ROOT
from imagegen_spec.diff.__main__ import main
from imagegen_spec.diff.location import SEPARATOR

USER_FIELD = """        user:
          type: string
          description: |
            A unique identifier representing your end-user, which can help to monitor and detect
            abuse.
          examples: [user-1234]
"""
GENERATED_USER_FIELD = "    user: str | Unset = UNSET\n"
GENERATED_MODEL = "generated/dalle/client/imagegen_dalle_client/models/create_image_request.py"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commit as a test user, whatever the machine's git configuration says."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return completed.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", message)


def make_repo(root: Path, *, with_generated: bool) -> Path:
    """A git repository on `main` with one commit of spec/ (and of generated/ if asked)."""
    shutil.copytree(REPO_ROOT / "spec", root / "spec")
    if with_generated:
        if not (REPO_ROOT / GENERATED_MODEL).exists():
            pytest.skip("generated/ does not exist yet (nox -s generate)")
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(REPO_ROOT / "generated", root / "generated", ignore=ignore)
    git(root, "init", "--quiet", "--initial-branch", "main")
    commit_all(root, "specs")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the specs only."""
    return make_repo(tmp_path / "repo", with_generated=False)


@pytest.fixture
def generated_repo(tmp_path: Path) -> Path:
    """A repository with the specs and the generated packages."""
    return make_repo(tmp_path / "repo", with_generated=True)


def plant_breaking_edit(repo: Path) -> None:
    """Remove the dalle request's `user` field from the spec (and from its generated client)."""
    spec = repo / "spec" / "dalle.yaml"
    text = spec.read_text(encoding="utf-8")
    assert USER_FIELD in text, "the planted edit must apply to spec/dalle.yaml"
    text = text.replace(USER_FIELD, "").replace("                  user: user-1234\n", "")
    spec.write_text(text, encoding="utf-8")
    model = repo / GENERATED_MODEL
    if model.exists():
        generated = model.read_text(encoding="utf-8")
        assert GENERATED_USER_FIELD in generated, "the planted edit must apply to the client"
        model.write_text(generated.replace(GENERATED_USER_FIELD, ""), encoding="utf-8")


def set_version(repo: Path, old: str, new: str) -> None:
    """Change spec/dalle.yaml's info.version."""
    spec = repo / "spec" / "dalle.yaml"
    text = spec.read_text(encoding="utf-8")
    assert f"\n  version: {old}\n" in text, f"spec/dalle.yaml should be at {old}"
    spec.write_text(text.replace(f"\n  version: {old}\n", f"\n  version: {new}\n"), "utf-8")


def run(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main([*args, "--repo", str(repo)])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_clean_tree_reports_no_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(repo, capsys)
    assert status == 0, out
    assert "No change in any spec or generated API." in out, out
    assert "Changes from HEAD" in out, "a single-commit repo on main compares with HEAD"
    assert (repo / "reports" / "diff.md").is_file(), "the Markdown report is written"


def test_breaking_edit_fails_until_the_major_bump(
    generated_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = generated_repo
    plant_breaking_edit(repo)
    status, out = run(repo, capsys)
    assert status == 1, f"a breaking change without a major bump must fail:\n{out}"
    assert f"[breaks clients] property-removed: schema CreateImageRequest{SEPARATOR}user" in out, (
        out
    )
    assert "recommended bump: major" in out, out
    assert "FAIL" in out, out
    markdown = (repo / "reports" / "diff.md").read_text(encoding="utf-8")
    assert "`property-removed`" in markdown, markdown
    assert "breaks the generated API: imagegen_dalle_client" in out, out

    set_version(repo, "1.0.0", "1.1.0")
    status, out = run(repo, capsys)
    assert status == 1, f"a minor bump does not cover a breaking change:\n{out}"

    set_version(repo, "1.1.0", "2.0.0")
    status, out = run(repo, capsys)
    assert status == 0, f"the major bump makes it pass:\n{out}"
    assert "OK: every breaking change comes with a major info.version bump." in out, out


def test_description_edit_recommends_a_patch(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = repo / "spec" / "gpt-image.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("summary: Create Image\n", "summary: Create images\n"), "utf-8")
    status, out = run(repo, capsys)
    assert status == 0, out
    assert "recommended bump: patch" in out, out
    assert "[docs] doc-changed: summary" in out, out


def test_branch_compares_with_the_merge_base(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "checkout", "--quiet", "-b", "feature")
    plant_breaking_edit(repo)
    commit_all(repo, "drop user")
    status, out = run(repo, capsys)
    assert status == 1, out
    assert "the merge base with main" in out, out
    status, out = run(repo, capsys, "HEAD")
    assert status == 0, f"HEAD against a clean tree has no change:\n{out}"


def test_previous_commit_as_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plant_breaking_edit(repo)
    set_version(repo, "1.0.0", "2.0.0")
    commit_all(repo, "drop user, 2.0.0")
    status, out = run(repo, capsys, "HEAD~1")
    assert status == 0, out
    assert "property-removed" in out, out
    status, out = run(repo, capsys)
    assert "No change in any spec or generated API." in out, out


def test_new_spec_counts_as_added(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(repo / "spec" / "dalle.yaml", repo / "spec" / "dalle-copy.yaml")
    status, out = run(repo, capsys)
    assert status == 0, out
    assert "dalle-copy: added" in out, out


def test_removed_spec_is_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "spec" / "azure.yaml").unlink()
    status, out = run(repo, capsys)
    assert status == 0, out
    assert "azure: removed" in out, out
    assert "Removed, breaking its clients: azure." in out, out


def test_repo_without_commits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(REPO_ROOT / "spec", tmp_path / "spec")
    git(tmp_path, "init", "--quiet")
    status, out = run(tmp_path, capsys)
    assert status == 0, out
    assert "dalle: added" in out, out


def test_bad_revision_is_named(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(repo, capsys, "no-such-revision")
    assert status == 2, out
    assert "unknown revision 'no-such-revision'" in out, out
    assert "Traceback" not in out


def test_not_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(tmp_path, capsys)
    assert status == 2, out
    assert "is not inside a git work tree" in out, out


def test_unreadable_spec_is_named(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "spec" / "dalle.yaml").write_text("openapi: [unclosed\n", encoding="utf-8")
    status, out = run(repo, capsys)
    assert status == 2, out
    assert "spec/dalle.yaml in the working tree is not a readable OpenAPI document" in out, out


@pytest.mark.parametrize("where", ["under-a-file", "a-folder"])
def test_a_report_that_cannot_be_written_is_one_error_line(
    where: str, repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("a regular file\n", encoding="utf-8")
    report = tmp_path / "file" / "sub" / "diff.md" if where == "under-a-file" else tmp_path

    status = main(["--repo", str(repo), "--report", str(report)])

    captured = capsys.readouterr()
    assert status == 2, captured
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    assert f"cannot write the report to {report}" in captured.err, captured.err


def test_module_runs_from_the_repository(repo: Path) -> None:
    plant_breaking_edit(repo)
    scripts = str(Path(imagegen_spec.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": scripts}
    completed = subprocess.run(
        [sys.executable, "-m", "imagegen_spec.diff"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "recommended bump: major" in completed.stdout, completed.stdout
