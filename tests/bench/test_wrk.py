from pathlib import Path

import pytest

from imagegen_spec.bench.scenarios import UNIQUE_MARKER, URL, URL_UNIQUE, Scenario, scenarios
from imagegen_spec.bench.wrk import WrkError, lua_script, lua_string, parse_wrk

SAMPLES = Path(__file__).parent / "samples"


def test_parses_a_report_with_error_responses() -> None:
    result = parse_wrk((SAMPLES / "wrk_invalid_mock.txt").read_text())
    assert result.requests == 6252, "the 'N requests in' line"
    assert result.seconds == pytest.approx(2.01)
    assert result.requests_per_second == pytest.approx(3108.37)
    assert result.p50_ms == pytest.approx(4.65), "the 50% line, in ms"
    assert result.p99_ms == pytest.approx(13.77), "the 99% line, in ms"
    assert result.non_2xx == 6252, "every invalid request got an error status"
    assert result.socket_errors == 0


def test_parses_microseconds_and_a_report_without_errors() -> None:
    result = parse_wrk((SAMPLES / "wrk_bare.txt").read_text())
    assert result.p50_ms == pytest.approx(0.209), "209.00us is 0.209 ms"
    assert result.p99_ms == pytest.approx(7.43)
    assert result.non_2xx == 0, "no Non-2xx line means none"


def test_counts_socket_errors() -> None:
    report = (
        (SAMPLES / "wrk_bare.txt")
        .read_text()
        .replace(
            "Requests/sec:", "  Socket errors: connect 1, read 2, write 0, timeout 4\nRequests/sec:"
        )
    )
    assert parse_wrk(report).socket_errors == 7, "connect + read + write + timeout"


def test_rejects_output_that_is_not_a_latency_report() -> None:
    with pytest.raises(WrkError, match="not a `wrk --latency` report"):
        parse_wrk("Running 2s test @ http://127.0.0.1:1/\nunable to connect")


def test_lua_strings_hold_any_text_verbatim() -> None:
    assert lua_string('{"a":"b"}') == '[[{"a":"b"}]]'
    assert lua_string("x]]y") == "[=[x]]y]=]", "a closing bracket in the text raises the level"
    assert lua_string("]]]=]") == "[==[]]]=]]==]"


def test_lua_script_sets_method_body_and_headers() -> None:
    scenario = Scenario(
        "url", "POST", "/images/generations", {"Authorization": "Bearer k"}, b'{"prompt":"p"}'
    )
    script = lua_script(scenario)
    assert "wrk.method = [[POST]]" in script
    assert 'wrk.body = [[{"prompt":"p"}]]' in script
    # `wrk.headers[[[` would open a long string: the key needs a space inside the brackets.
    assert "wrk.headers[ [[Authorization]] ] = [[Bearer k]]" in script
    assert "[[[" not in script


def test_a_unique_prompt_script_builds_each_body_in_lua() -> None:
    scenario = scenarios("dalle")[URL_UNIQUE]
    script = lua_script(scenario)
    assert "request = function()" in script and "head .. sent .. tail" in script, script
    assert UNIQUE_MARKER not in script.split("local head")[1], "the marker must be split out"
    fixed = lua_script(scenarios("dalle")[URL], per_request=True)
    assert "wrk.format(nil, nil, nil, wrk.body)" in fixed, fixed
