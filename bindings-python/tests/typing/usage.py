"""Checked with `mypy --strict` (tests/run-all): what the stubs promise to a user. Never run."""

from __future__ import annotations

from typing import Iterator, List, Optional

from airbyte_core import Client, ClientConfig, ClientCredentials, JobReport, Request, public_api
from airbyte_core.api.config_api import JobInfoRead
from airbyte_core.api.public_api import ConnectionResponse, JobResponse, JobStatusEnum


def typed(client: Client) -> None:
    job: JobResponse = client.send(public_api.get_job(42))
    status: JobStatusEnum = job["status"]
    rows: Optional[int] = job.get("rowsSynced")
    connections: Iterator[ConnectionResponse] = client.iterate(
        public_api.list_connections(workspace_ids=["w"]))
    pages: Iterator[List[ConnectionResponse]] = client.pages(public_api.list_connections())
    created = client.send(public_api.create_job({"connectionId": "c", "jobType": "sync"}))
    report: JobReport = client.run_job(created["connectionId"], timeout=60)
    request: Request = public_api.get_job(1).build(ClientConfig.cloud(), bearer_token="t")
    parsed: JobResponse = public_api.get_job(1).parse(200, request.headers, b"{}")
    info: JobInfoRead = client.call("config", "getJobInfo", {"body": {"id": 1}})
    del status, rows, connections, pages, report, parsed, info


def mistakes(client: Client) -> None:
    public_api.get_job("7")  # E: wrong argument type
    job = client.send(public_api.get_job(42))
    job["nope"]  # E: no such key
    public_api.create_job({"connectionId": "c"})  # E: missing key
    ClientCredentials("id")  # E: missing secret
