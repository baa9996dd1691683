"""Fixtures shared by the whole suite, and how its tests are spread over xdist's workers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]  # no py.typed

from imagegen_spec.core.operation import Operation, operation
from imagegen_spec.core.specs import variants

FIXTURES = Path(__file__).parent / "fixtures"


SHARED_FIXTURES = {
    # The built site (a session fixture, three Redocly runs) and the browser it is loaded in.
    "tests/docs/test_site.py": "site",
    "tests/docs/test_reference_markdown.py": "site",
    "tests/docs/test_browser.py": "site",
    "tests/docs/test_site_browser.py": "site",
}
"""Test files that share a costly session fixture: they run on one worker, which builds it once."""


class FileScheduling(LoadScopeScheduling):  # type: ignore[misc]  # xdist is untyped
    """xdist's `loadfile`, with the files of SHARED_FIXTURES joined into one unit of work.

    A worker takes one unit at a time, in collection order (`--no-loadscope-reorder`), which
    `pytest_collection_modifyitems` puts slow files first.
    """

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return SHARED_FIXTURES.get(path, path)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> FileScheduling:
    """Spread whole files (and the groups of SHARED_FIXTURES) over the workers."""
    return FileScheduling(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the files that hold slow tests first, each file's tests in their own order.

    The long Schemathesis, generator and browser files then start at once, and the many quick
    files fill in at the end; xdist's own order (most tests first) left the long files with few
    tests for last, one worker busy while the other idled.
    """
    slow: set[str] = {
        item.nodeid.split("::", 1)[0] for item in items if item.get_closest_marker("slow")
    }
    items.sort(key=lambda item: item.nodeid.split("::", 1)[0] not in slow)


@pytest.fixture(params=variants())
def variant(request: pytest.FixtureRequest) -> str:
    """Each variant in turn."""
    return str(request.param)


@pytest.fixture
def op(variant: str) -> Operation:
    """The operation of each variant in turn."""
    return operation(variant)


def load_fixture(relative: str) -> Any:
    """Load a JSON fixture file below tests/fixtures."""
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))
