"""Each transport against the stand-in: statuses come back as responses, redirects are not
followed, failures are classified, large bodies are refused."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from airbyte_core import ClientConfig, Operation, public_api
from airbyte_core.transports import (
    HttpxTransport, RequestsTransport, TransportFailure, UrllibTransport,
)

from conftest import Standin, make_client

TRANSPORTS = [pytest.param(UrllibTransport, id="urllib"), pytest.param(HttpxTransport, id="httpx"),
              pytest.param(RequestsTransport, id="requests")]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_statuses_and_bodies(standin: Standin, transport: Any) -> None:
    sender = transport()
    config = ClientConfig.self_managed(standin.base_url)
    ok = sender.send(public_api.get_health_check().build(config), 5.0)
    assert ok.status == 200
    missing = sender.send(Operation("public", "getJob", {"jobId": 12345}).build(config), 5.0)
    assert missing.status == 401 and b"Unauthorized" in missing.body
    assert any(name.lower() == "content-type" for name, _ in missing.headers)
    sender.close()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_whole_flow_through_each_transport(standin: Standin, transport: Any) -> None:
    with make_client(standin, transport=transport()) as client:
        report = client.run_job("c0000000-0000-4000-8000-000000000001", poll_interval=0.01)
    assert report.succeeded


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_failures_are_classified(standin: Standin, transport: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    request = public_api.get_health_check().build(ClientConfig.self_managed(
        f"http://127.0.0.1:{port}"))
    with pytest.raises(TransportFailure) as refused:
        transport().send(request, 2.0)
    assert refused.value.kind == "connect"

    config = ClientConfig.self_managed(standin.base_url)
    standin.faults({"kind": {"delay_ms": 1500}})
    with pytest.raises(TransportFailure) as slow:
        transport().send(public_api.get_health_check().build(config), 0.3)
    assert slow.value.kind == "timeout"

    with pytest.raises(TransportFailure) as large:
        transport(max_body_bytes=10).send(
            Operation("public", "getJob", {"jobId": 1}).build(config), 5.0)
    assert large.value.kind == "body_too_large"
