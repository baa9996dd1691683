"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from imagegen_spec.core.operation import Operation, operation
from imagegen_spec.core.specs import variants

FIXTURES = Path(__file__).parent / "fixtures"


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
