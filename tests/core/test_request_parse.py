"""`core.request.parse_json`: orjson's fast path gives exactly what the standard library does."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest

from imagegen_spec.core.request import InvalidJSON, parse_json


def refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


BODIES = [
    b'{"prompt": "a heron"}',
    b'{"prompt":"p","n":1,"size":"1024x1024","style":null,"ok":true,"no":false}',
    b'  {"a": [1, 2.5, -0, -0.0, 1E5, 1e-5, 0.1e-400]}\n',
    b'{"a": 1, "a": 2}',
    b'"just a string"',
    b"[]",
    b"42",
    # Integers beyond 64 bits: orjson would read them as floats.
    b'{"n": 18446744073709551615}',
    b'{"n": 18446744073709551616}',
    b'{"n": -9223372036854775809}',
    b'{"n": 123456789012345678901234567890}',
    b'{"n": 1' + b"0" * 400 + b"}",
    b'{"n": 1.2345678901234567890123}',
    b'{"n": 1e400}',
    b'{"n": -1e400}',
    # Strings the standard library takes and orjson refuses.
    b'{"prompt": "\\ud800"}',
    b'{"prompt": "\\udc00 lone low"}',
    b'{"prompt": "\xed\xa0\x80"}',
    b'{"prompt": "caf\xc3\xa9 \\u00e9 \xf0\x9f\x90\xa6"}',
    '{"prompt": "utf-16"}'.encode("utf-16-le"),
    '{"prompt": "utf-16 bom"}'.encode("utf-16"),
    '{"prompt": "utf-32"}'.encode("utf-32-be"),
    b"[" * 1_100 + b"]" * 1_100,
    b'\xef\xbb\xbf{"prompt": "a UTF-8 BOM"}',
]
INVALID = [
    b"",
    b"{",
    b'{"a": 1} x',
    b'{"a": NaN}',
    b'{"a": Infinity}',
    b'{"a": -Infinity}',
    b'{"a": "\x01"}',
    b'{"a": "\xff"}',
    b"{'a': 1}",
    b'{"n": ' + b"9" * 5_000 + b"}",
]


def stdlib(raw: bytes) -> Any:
    """What the standard library gives for a body (NaN and Infinity refused)."""
    return json.loads(raw, parse_constant=refuse_constant)


def same(left: Any, right: Any) -> bool:
    """Equal values of equal types all the way down (1 and 1.0 differ; NaN-free)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, float) and math.isinf(left):
        return bool(left == right)
    return bool(left == right)


@pytest.mark.parametrize("raw", BODIES, ids=lambda raw: repr(raw[:40]))
def test_a_body_parses_to_the_standard_librarys_value(raw: bytes) -> None:
    try:
        expected = stdlib(raw)
    except RecursionError:
        with pytest.raises(RecursionError):
            parse_json(raw)
        return
    found = parse_json(raw)
    assert same(found, expected), f"expected {expected!r:.80} (stdlib), got {found!r:.80}"


@pytest.mark.parametrize("raw", INVALID, ids=lambda raw: repr(raw[:40]))
def test_a_body_the_standard_library_refuses_is_refused_with_its_reason(raw: bytes) -> None:
    try:
        stdlib(raw)
    except ValueError as error:
        expected = str(error)
    else:
        pytest.fail(f"the standard library parsed {raw[:40]!r}")
    # InvalidJSON, or the standard library's ValueError for an integer beyond its digit limit.
    with pytest.raises(ValueError, match="^" + re.escape(expected) + "$"):
        parse_json(raw)


def test_the_error_message_is_the_standard_librarys() -> None:
    with pytest.raises(InvalidJSON) as refused:
        parse_json(b'{"prompt": "p",}')
    assert str(refused.value) == (
        "Expecting property name enclosed in double quotes: line 1 column 16 (char 15)"
    )
