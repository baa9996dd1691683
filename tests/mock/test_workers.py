"""Several worker processes on one port: any worker serves any URL until it expires."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.mock.conftest import assert_in_error_shape, free_port

URL_TTL_SECONDS = 12.0
"""Long enough for 40 fetches on a loaded machine; the test then waits it out."""
WORKER_REQUESTS = re.compile(r'^imagegen_mock_worker_requests\{pid="(\d+)"\} (\S+)$', re.MULTILINE)


@pytest.fixture(scope="module")
def two_workers() -> Iterator[str]:
    """`python -m imagegen_spec.mock --workers 2` on a free port; yields its origin."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "imagegen_spec.mock",
            "--port",
            str(port),
            "--workers",
            "2",
            "--url-ttl",
            str(URL_TTL_SECONDS),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(origin + "/_mock/stats")
                break
            except httpx.ConnectError:
                assert process.poll() is None, f"the mock exited: {process.communicate()}"
                assert time.monotonic() < deadline, "the workers did not start within 30 s"
                time.sleep(0.2)
        yield origin
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
        assert "Traceback" not in err, err


def fetch_on_new_connections(url: str, times: int) -> list[httpx.Response]:
    """GET a URL `times` times, each on a connection of its own, several at once."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: httpx.get(url), range(times)))


def requests_per_worker(origin: str) -> dict[str, float]:
    return {
        pid: float(n)
        for pid, n in WORKER_REQUESTS.findall(httpx.get(origin + "/_mock/metrics").text)
    }


@pytest.mark.slow
def test_a_url_from_one_worker_is_served_by_another_until_it_expires(two_workers: str) -> None:
    response = httpx.post(
        two_workers + "/dalle/v1/images/generations",
        json={"prompt": "a heron in the reeds", "size": "256x256"},
        headers={"Authorization": "Bearer k"},
    )
    assert response.status_code == 200, response.text
    minted = time.monotonic()
    url = response.json()["data"][0]["url"]
    fetched = fetch_on_new_connections(url, 40)
    elapsed = time.monotonic() - minted
    failed = [r.text for r in fetched if r.status_code != 200]
    assert not failed, f"expected every worker to serve it (after {elapsed:.1f} s): {failed[:1]}"
    assert len({r.content for r in fetched}) == 1, "expected identical bytes from every worker"
    served = requests_per_worker(two_workers)
    assert len(served) == 2 and all(count > 0 for count in served.values()), (
        f"expected both workers to have answered (one made the URL), got {served}"
    )
    time.sleep(max(0.0, minted + URL_TTL_SECONDS + 0.5 - time.monotonic()))
    expired = fetch_on_new_connections(url, 8)
    assert [r.status_code for r in expired] == [404] * 8, "expected no worker to serve it later"
    assert "expired" in expired[0].json()["error"]["message"], expired[0].text
    assert_in_error_shape("dalle", expired[0].json())


@pytest.mark.slow
def test_the_metrics_path_sums_over_workers(two_workers: str) -> None:
    before = httpx.get(two_workers + "/_mock/stats").json()["requests"]
    fetch = lambda _: httpx.post(  # noqa: E731
        two_workers + "/dalle/v1/images/generations",
        json={"prompt": "p", "n": 0},
        headers={"Authorization": "Bearer k"},
    )
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [r.status_code for r in pool.map(fetch, range(30))]
    assert statuses == [400] * 30
    after = httpx.get(two_workers + "/_mock/stats").json()["requests"]

    def count(rows: list[dict[str, Any]]) -> int:
        return sum(r["count"] for r in rows if r["variant"] == "dalle" and r["status"] == 400)

    assert count(after) - count(before) == 30, f"expected 30 more 400s summed, got {after}"
