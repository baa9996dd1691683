"""Several worker processes on one port: any worker serves any URL until it expires.

Deterministic: the tests do not hope that the kernel spreads connections over the workers.
They open new connections until each worker has one (`/_mock/stats` names the worker that
answered, and a kept-alive connection stays with its worker), then use those.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.mock.conftest import assert_in_error_shape, free_port

URL_TTL_SECONDS = 1.5
"""Long enough to fetch a URL on the other worker just after it was made, short to wait out."""
FIND_WORKER_SECONDS = 30.0
WORKER_REQUESTS = re.compile(r'^imagegen_mock_worker_requests\{pid="(\d+)"\} (\S+)$', re.MULTILINE)
OPERATION = "/dalle/v1/images/generations"
AUTH = {"Authorization": "Bearer k"}
SSL_CONTEXT = httpx.create_ssl_context()
"""httpx's default context, made once: each new client would load the CA bundle again."""


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
                with httpx.Client(verify=SSL_CONTEXT) as probe:
                    probe.get(origin + "/_mock/stats")
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


def worker_of(client: httpx.Client) -> int:
    """The pid of the worker a client's (kept-alive) connection is served by."""
    return int(client.get("/_mock/stats").json()["worker"])


@pytest.fixture
def one_client_per_worker(two_workers: str) -> Iterator[dict[int, httpx.Client]]:
    """One client per worker, each on a single kept-alive connection to that worker.

    New connections are opened until both workers have answered one (the kernel decides which
    worker accepts a connection, so this retries rather than hopes): a new client each, on one
    shared SSL context, so a retry costs a connection rather than a CA bundle load.
    """
    found: dict[int, httpx.Client] = {}
    deadline = time.monotonic() + FIND_WORKER_SECONDS
    try:
        while len(found) < 2:
            assert time.monotonic() < deadline, f"expected 2 workers, found only {list(found)}"
            limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
            client = httpx.Client(base_url=two_workers, limits=limits, verify=SSL_CONTEXT)
            pid = worker_of(client)
            if pid in found:
                client.close()
            else:
                found[pid] = client
        yield found
    finally:
        for client in found.values():
            client.close()


@pytest.mark.slow
def test_a_url_from_one_worker_is_served_by_another_until_it_expires(
    one_client_per_worker: dict[int, httpx.Client],
) -> None:
    (maker_pid, maker), (other_pid, other) = one_client_per_worker.items()
    response = maker.post(
        OPERATION, json={"prompt": "a heron in the reeds", "size": "256x256"}, headers=AUTH
    )
    assert response.status_code == 200, response.text
    minted = time.monotonic()
    url = response.json()["data"][0]["url"]
    served = other.get(url)
    assert time.monotonic() - minted < URL_TTL_SECONDS, "the machine was too slow to test this"
    assert served.status_code == 200, f"expected worker {other_pid} to serve it: {served.text}"
    assert served.content == maker.get(url).content, "expected identical bytes from each worker"
    assert worker_of(maker) == maker_pid and worker_of(other) == other_pid, "connections moved"
    time.sleep(max(0.0, minted + URL_TTL_SECONDS + 0.2 - time.monotonic()))
    expired = [client.get(url) for client in (other, maker)]
    assert [r.status_code for r in expired] == [404, 404], "expected no worker to serve it later"
    assert "expired" in expired[0].json()["error"]["message"], expired[0].text
    assert_in_error_shape("dalle", expired[0].json())


@pytest.mark.slow
def test_the_metrics_path_sums_over_workers(
    one_client_per_worker: dict[int, httpx.Client],
) -> None:
    (first_pid, first), (second_pid, second) = one_client_per_worker.items()
    before = first.get("/_mock/stats").json()["requests"]
    sent = {first_pid: 10, second_pid: 20}
    for pid, client in one_client_per_worker.items():
        statuses = [
            client.post(OPERATION, json={"prompt": "p", "n": 0}, headers=AUTH).status_code
            for _ in range(sent[pid])
        ]
        assert statuses == [400] * sent[pid]
    assert worker_of(first) == first_pid and worker_of(second) == second_pid, "connections moved"

    def count(rows: list[dict[str, Any]]) -> int:
        return sum(r["count"] for r in rows if r["variant"] == "dalle" and r["status"] == 400)

    for client in (first, second):
        after = client.get("/_mock/stats").json()["requests"]
        assert count(after) - count(before) == 30, f"expected 30 more 400s summed, got {after}"
    per_worker = {
        int(pid): float(n) for pid, n in WORKER_REQUESTS.findall(first.get("/_mock/metrics").text)
    }
    assert set(per_worker) == {first_pid, second_pid}, f"expected both workers: {per_worker}"
    assert per_worker[second_pid] >= 20, f"expected worker {second_pid}'s 20: {per_worker}"
