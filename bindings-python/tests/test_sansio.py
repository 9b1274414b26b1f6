"""Without a client: build a request, send it with any HTTP stack, parse the response."""

from __future__ import annotations

import httpx
import requests

from airbyte_core import ClientConfig, public_api

from conftest import Standin


def test_build_send_yourself_and_parse(standin: Standin) -> None:
    config = ClientConfig.self_managed(standin.base_url)
    token = httpx.post(f"{standin.public_root}/applications/token",
                       json={"client_id": "standin-client", "client_secret": "standin-secret"})
    operation = public_api.get_job(1)
    request = operation.build(config, bearer_token=token.json()["access_token"])
    assert (request.method, request.url) == ("GET", f"{standin.public_root}/jobs/1")

    with_httpx = httpx.request(request.method, request.url, headers=request.headers,
                               content=request.body)
    job = operation.parse(with_httpx.status_code, with_httpx.headers, with_httpx.content)
    assert job["jobId"] == 1

    with_requests = requests.request(request.method, request.url, headers=dict(request.headers))
    job = operation.parse(with_requests.status_code, with_requests.headers, with_requests.content)
    assert job["status"] == "succeeded"
    assert operation.parse(200, {"content-type": "application/json"}, with_httpx.content) == job
