"""The mock's command line: starts on 127.0.0.1, serves, shuts down cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx
import pytest

from imagegen_spec.mock.__main__ import config_from_args, main, parse_args
from tests.mock.conftest import free_port


def test_serves_and_stops_cleanly() -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "imagegen_spec.mock",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--api-key",
            "k",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/dalle/v1/images/generations"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.post(
                    url, json={"prompt": "p"}, headers={"Authorization": "Bearer k"}
                )
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the mock did not start within 20 s"
                time.sleep(0.1)
        assert response.status_code == 200, response.text
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    # uvicorn shuts down gracefully, then re-raises the captured SIGTERM as its exit status.
    assert process.returncode in (0, -signal.SIGTERM), (
        f"unexpected exit {process.returncode}: {err}"
    )
    assert "Traceback" not in err, err
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/_mock/stats")
    assert f"serving dalle at http://127.0.0.1:{port}/dalle/v1" in out


def test_arguments_become_config() -> None:
    config = config_from_args(
        parse_args(
            [
                "--api-key",
                "k",
                "--blocked-term",
                "a",
                "--blocked-term",
                "b",
                "--url-ttl",
                "5",
                "--variant",
                "dalle",
            ]
        )
    )
    assert (config.api_key, config.blocked_terms, config.url_ttl_seconds, config.variants) == (
        "k",
        ("a", "b"),
        5.0,
        ("dalle",),
    )


def test_bad_arguments_are_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--failure-rate", "2"]) == 2
    assert "failure_rate" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse_args(["--variant", "nope"])
    with pytest.raises(SystemExit):
        parse_args(["--port", "99999"])
