"""Finding the browser: skip with one clear line on a machine without one, fail in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.conftest import CHROMIUM_VARIABLE, NO_CHROMIUM, find_chromium, require_chromium


@pytest.fixture
def no_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CHROMIUM_VARIABLE, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))


def test_the_variable_names_the_browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(tmp_path / "my-chromium"))
    assert find_chromium() == tmp_path / "my-chromium"


def test_a_chromium_on_path_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CHROMIUM_VARIABLE, raising=False)
    executable = tmp_path / "chromium-browser"
    executable.write_text("#!/bin/sh\n", encoding="utf-8")
    executable.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() == executable


@pytest.mark.usefixtures("no_chromium")
def test_without_a_browser_the_tests_skip_saying_how_to_enable_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install") as skipped:
        require_chromium()
    assert str(skipped.value) == NO_CHROMIUM and "\n" not in NO_CHROMIUM


@pytest.mark.usefixtures("no_chromium")
def test_without_a_browser_ci_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=CHROMIUM_VARIABLE):
        require_chromium()
