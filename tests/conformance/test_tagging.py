"""The exchange log of gateway mode's client side (conformance/tagging.py)."""

from __future__ import annotations

import time
from pathlib import Path

import requests
from requests.structures import CaseInsensitiveDict

from imagegen_spec.conformance.gateway.exchanges import read_log
from imagegen_spec.conformance.tagging import ExchangeLog

STREAM = b'event: image_generation.completed\ndata: {"type": "image_generation.completed"}\n\n'


def test_an_event_stream_already_read_is_logged_at_once_with_its_body(tmp_path: Path) -> None:
    # As a probe is sent (no stream=True): requests has read the body before it is logged.
    response = requests.Response()
    response.status_code = 200
    response.headers = CaseInsensitiveDict({"content-type": "text/event-stream"})
    response._content = STREAM
    response._content_consumed = True
    request = requests.Request("POST", "http://127.0.0.1:9/v1/images", data=b"{}").prepare()
    log = ExchangeLog(tmp_path / "client.jsonl", "sk-secret", "<key>")

    log.write("imagegen-0000000000000001", False, request, time.time(), response)

    (exchange,) = read_log(log.path)
    assert exchange.response is not None, "expected the answer logged with the request"
    assert exchange.response.body == STREAM, exchange.response.body
