"""The blocking client against the stand-in server: calls, pages, tokens, retries, jobs."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

import airbyte_core
from airbyte_core import (
    BearerToken, Client, HttpResponse, JobProgress, RetryPolicy, config_api, public_api,
)
from airbyte_core.transports import UrllibTransport

from conftest import (
    ANALYTICS_WORKSPACE, CLIENT_SECRET, OK_CONNECTION, SLOW_CONNECTION, Standin, make_client,
)


def test_send_returns_plain_data(client: Client, standin: Standin) -> None:
    job = client.send(public_api.get_job(1))
    assert isinstance(job, dict)
    assert job["jobId"] == 1 and job["status"] == "succeeded"
    assert job["connectionId"] == OK_CONNECTION
    health = client.send(public_api.get_health_check())
    assert health is None
    workspace = client.send(config_api.get_workspace({"workspaceId": ANALYTICS_WORKSPACE}))
    assert workspace["name"] == "Analytics"


def test_iterating_follows_every_page_lazily(client: Client, standin: Standin) -> None:
    operation = public_api.list_connections(workspace_ids=[ANALYTICS_WORKSPACE])
    pages = list(client.pages(operation, page_size=4))
    assert [len(p) for p in pages] == [4, 4, 4, 3]
    names = [c["name"] for c in client.iterate(operation, page_size=4)]
    assert len(names) == 15 == len(set(names))
    listed = [r["path"] for r in standin.requests("/api/public/v1/connections")]
    assert any("offset=12" in p and "workspaceIds=" in p for p in listed)

    first = next(iter(client.iterate(operation, page_size=2)))
    assert first["workspaceId"] == ANALYTICS_WORKSPACE


def test_configuration_api_pages(client: Client, standin: Standin) -> None:
    jobs = list(client.iterate(
        config_api.list_jobs_for({"configTypes": ["sync"], "configId": OK_CONNECTION}),
        page_size=1))
    assert [j["job"]["id"] for j in jobs] == [3, 1]
    pagination = [r["body"] for r in standin.requests("/api/v1/jobs/list")]
    assert len(pagination) == 3 and '"rowOffset":2' in pagination[2]


def test_an_expired_token_is_refreshed_and_the_call_replayed(
    client: Client, standin: Standin
) -> None:
    client.send(public_api.get_job(1))
    standin.control("POST", "tokens/expire")
    assert client.send(public_api.get_job(1))["jobId"] == 1
    token_requests = standin.requests("/api/public/v1/applications/token")
    assert len(token_requests) == 2
    statuses = [r.get("status") for r in standin.requests("/api/public/v1/jobs/1")]
    assert len(statuses) == 3  # sent, refused with 401, replayed
    assert CLIENT_SECRET not in str(standin.requests())


def test_server_errors_are_retried(standin: Standin) -> None:
    standin.faults({"match": {"path_prefix": "/api/public/v1/jobs"}, "times": 2,
                    "kind": {"status": 503, "retry_after": "0"}})
    with make_client(standin) as client:
        assert client.send(public_api.get_job(1))["jobId"] == 1
    assert len(standin.requests("/api/public/v1/jobs/1")) == 3

    standin.faults({"match": {"path_prefix": "/api/public/v1/jobs"}, "times": 5,
                    "kind": {"status": 503}})
    with make_client(standin, retry=RetryPolicy.none()) as client:
        with pytest.raises(airbyte_core.ApiError) as caught:
            client.send(public_api.get_job(1))
    assert caught.value.status == 503


def test_run_job_reports_progress_and_success(client: Client, standin: Standin) -> None:
    seen: list = []
    report = client.run_job(OK_CONNECTION, poll_interval=0.01, on_progress=seen.append)
    assert report.succeeded and report.outcome == "succeeded"
    assert report.job_id >= 4 and report.status == "succeeded"
    assert report.rows_synced and report.rows_synced > 0
    assert [p.status for p in seen] == ["pending", "running", "running", "succeeded"]
    assert all(isinstance(p, JobProgress) and p.job_id == report.job_id for p in seen)


def test_run_job_on_the_configuration_api(client: Client, standin: Standin) -> None:
    report = client.run_job(OK_CONNECTION, api="config", poll_interval=0.01)
    assert report.outcome == "succeeded"
    assert standin.requests("/api/v1/connections/sync")


def test_wait_job_and_start_job(client: Client, standin: Standin) -> None:
    started = client.start_job(OK_CONNECTION)
    assert started.status == "pending"
    report = client.wait_job(started.job_id, poll_interval=0.01)
    assert report.job_id == started.job_id and report.succeeded


def test_attach_waits_for_the_running_job(client: Client, standin: Standin) -> None:
    started = client.start_job(SLOW_CONNECTION)
    with pytest.raises(airbyte_core.SyncAlreadyRunningError):
        client.start_job(SLOW_CONNECTION)
    report = client.run_job(SLOW_CONNECTION, attach=True, poll_interval=0.01, timeout=0.3,
                            check=False)
    assert report.attached and report.job_id == started.job_id
    assert report.outcome == "timed_out" and report.cancel_requested


def test_cancel_event_cancels_the_job_on_the_server(client: Client, standin: Standin) -> None:
    cancel = threading.Event()
    statuses: list = []

    def on_progress(progress: JobProgress) -> None:
        statuses.append(progress.status)
        if progress.status == "running":
            cancel.set()

    report = client.run_job(SLOW_CONNECTION, poll_interval=0.01, on_progress=on_progress,
                            cancel=cancel, check=False)
    assert report.outcome == "cancelled" and report.cancel_requested
    assert [r for r in standin.requests("/api/public/v1/jobs/") if r["method"] == "DELETE"]


def test_a_static_bearer_token_is_sent_as_is(standin: Standin) -> None:
    with Client(standin.base_url, credentials=BearerToken("not-a-valid-token")) as client:
        with pytest.raises(airbyte_core.ApiError) as caught:
            client.send(public_api.get_job(1))
    assert caught.value.status == 401
    assert standin.requests("/api/public/v1/applications/token") == []


def test_core_events_reach_python_logging(client: Client, standin: Standin,
                                          caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="airbyte_core"):
        client.send(public_api.get_job(1))
        standin.control("POST", "tokens/expire")
        client.send(public_api.get_job(1))
    names = {record.name for record in caplog.records}
    assert "airbyte_core.flow.call" in names, names
    assert "airbyte_core.client" in names
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "401: refreshing the token and replaying" in text
    assert CLIENT_SECRET not in text
    assert "Bearer" not in text


class InterruptingTransport(UrllibTransport):
    """Raises KeyboardInterrupt, as Ctrl-C would, while the second status request is out."""

    def __init__(self) -> None:
        super().__init__()
        self.status_requests = 0

    def send(self, request: Any, timeout: Any) -> HttpResponse:
        if request.method == "GET" and "/jobs/" in request.url:
            self.status_requests += 1
            if self.status_requests == 2:
                raise KeyboardInterrupt
        return super().send(request, timeout)


def test_an_interrupt_cancels_the_job_on_the_server(standin: Standin) -> None:
    with make_client(standin, transport=InterruptingTransport()) as client:
        with pytest.raises(KeyboardInterrupt):
            client.run_job(SLOW_CONNECTION, poll_interval=0.01)
    deletes = [r for r in standin.requests("/api/public/v1/jobs/") if r["method"] == "DELETE"]
    assert len(deletes) == 1
