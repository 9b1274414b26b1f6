"""Every error class, its attributes and its message; secrets never in repr, str or logs."""

from __future__ import annotations

import logging
import pickle
import socket

import pytest

import airbyte_core
from airbyte_core import (
    AirbyteError, ApiError, AuthenticationError, BasicAuth, BearerToken, CallCancelledError,
    Client, ClientConfig, ClientCredentials, DecodeError, InvalidInputError, JobCancelledError,
    JobFailedError, JobTimeoutError, SyncAlreadyRunningError, TransportError, public_api,
)

from conftest import FAILING_CONNECTION, OK_CONNECTION, SLOW_CONNECTION, Standin, make_client


def test_the_hierarchy_has_one_root() -> None:
    for error in (InvalidInputError, ApiError, SyncAlreadyRunningError, AuthenticationError,
                  DecodeError, TransportError, CallCancelledError, JobFailedError,
                  JobCancelledError, JobTimeoutError):
        assert issubclass(error, AirbyteError)
    assert issubclass(InvalidInputError, ValueError)
    assert issubclass(SyncAlreadyRunningError, ApiError)


def test_bad_input_names_the_place() -> None:
    config = ClientConfig.cloud()
    with pytest.raises(InvalidInputError) as caught:
        public_api.get_job("seven").build(config)  # type: ignore[arg-type]
    assert caught.value.path == "jobId" and caught.value.operation == "getJob"
    assert "getJob: invalid input at `jobId`" in str(caught.value)
    with pytest.raises(InvalidInputError) as caught:
        public_api.list_jobs(limit=1000).build(config)
    assert caught.value.path == "limit" and "maximum 100" in str(caught.value)
    with pytest.raises(InvalidInputError) as caught:
        public_api.create_job({"connectionId": "not-a-uuid", "jobType": "sync"}).build(config)
    assert caught.value.path == "body.connectionId"
    with pytest.raises(InvalidInputError, match="has no operation `nope`"):
        airbyte_core.Operation("public", "nope", {}).build(config)
    with pytest.raises(TypeError, match="`body.x`: a `object` cannot be sent as JSON"):
        airbyte_core.Operation("public", "createJob", {"body": {"x": object()}}).build(config)


def test_bad_urls_are_refused_without_echoing_credentials() -> None:
    with pytest.raises(InvalidInputError, match="has no scheme"):
        ClientConfig.self_managed("localhost:8000")
    with pytest.raises(InvalidInputError) as caught:
        ClientConfig.self_managed("http://admin:hunter2@host")
    assert "hunter2" not in str(caught.value)
    with pytest.raises(InvalidInputError, match="looks like a root of the Configuration API"):
        ClientConfig.cloud().with_public_root("http://h:8000/api/v1")
    with pytest.raises(InvalidInputError):
        Client("ftp://x")


def test_api_errors_carry_status_problem_and_raw_body(client: Client, standin: Standin) -> None:
    with pytest.raises(ApiError) as caught:
        client.send(public_api.get_job(999))
    error = caught.value
    assert error.status == 404 and error.kind == "problem"
    assert error.problem_type and error.title == "resource-not-found"
    assert error.operation == "getJob"
    assert b"resource-not-found" in error.body and error.text == error.body.decode()
    assert error.header("Content-Type") is not None
    assert str(error).startswith("getJob: HTTP 404: ")
    assert pickle.loads(pickle.dumps(error)).status == 404


def test_decode_errors_name_the_path() -> None:
    body = b'{"jobId": 1, "status": "running", "jobType": "sync", "startTime": 5,' \
           b' "connectionId": "9a3a2b1c-0000-4000-8000-000000000001"}'
    with pytest.raises(DecodeError) as caught:
        public_api.get_job(1).parse(200, [("content-type", "application/json")], body)
    error = caught.value
    assert error.path == "startTime" and error.schema == "JobResponse" and error.status == 200
    assert "does not match JobResponse at `startTime`" in str(error)
    with pytest.raises(DecodeError, match="not JSON"):
        public_api.get_job(1).parse(200, [], b"<html>")


def test_wrong_client_credentials(standin: Standin) -> None:
    credentials = ClientCredentials("standin-client", "wrong-secret")
    with make_client(standin, credentials=credentials) as client:
        with pytest.raises(AuthenticationError) as caught:
            client.send(public_api.get_job(1))
    error = caught.value
    assert error.failure == "token_request_failed" and error.status == 401
    assert "wrong-secret" not in str(error) and "wrong-secret" not in repr(error)


def test_no_response_is_a_transport_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = Client(f"http://127.0.0.1:{port}", retry=airbyte_core.RetryPolicy(
        max_attempts=2, initial_backoff=0.01))
    with pytest.raises(TransportError) as caught:
        client.send(public_api.get_job(1))
    assert caught.value.kind == "connect" and caught.value.operation == "getJob"


def test_a_broken_connection_on_a_sync_start_is_not_retried(standin: Standin) -> None:
    standin.faults({"match": {"method": "POST", "path_prefix": "/api/public/v1/jobs"},
                    "kind": {"close_connection": True}})
    with make_client(standin) as client:
        with pytest.raises(TransportError) as caught:
            client.run_job(OK_CONNECTION, poll_interval=0.01)
    assert caught.value.kind == "io"
    assert len([r for r in standin.requests("/api/public/v1/jobs") if r["method"] == "POST"]) == 1


def test_a_second_sync_is_typed(client: Client, standin: Standin) -> None:
    started = client.start_job(SLOW_CONNECTION)
    with pytest.raises(SyncAlreadyRunningError) as caught:
        client.run_job(SLOW_CONNECTION)
    error = caught.value
    assert error.connection_id == SLOW_CONNECTION and error.status == 409
    assert "already running" in str(error)
    client.send(public_api.cancel_job(started.job_id))


def test_job_outcomes_raise_their_errors(client: Client, standin: Standin) -> None:
    with pytest.raises(JobFailedError) as failed:
        client.run_job(FAILING_CONNECTION, poll_interval=0.01)
    assert failed.value.report.outcome == "failed"
    assert failed.value.job_id == failed.value.report.job_id
    assert f"job {failed.value.job_id} failed" in str(failed.value)

    with pytest.raises(JobFailedError) as failed:
        client.run_job(FAILING_CONNECTION, api="config", poll_interval=0.01)
    assert failed.value.report.failure_summary and "config_error" in str(failed.value)

    with pytest.raises(JobTimeoutError) as timed_out:
        client.run_job(SLOW_CONNECTION, poll_interval=0.01, timeout=0.2)
    report = timed_out.value.report
    assert report.outcome == "timed_out" and report.cancel_requested
    assert "was cancelled" in str(timed_out.value)
    cancels = [r for r in standin.requests("/api/public/v1/jobs/") if r["method"] == "DELETE"]
    assert cancels and cancels[-1]["path"].endswith(f"/jobs/{report.job_id}")

    started = client.start_job(OK_CONNECTION)
    client.send(public_api.cancel_job(started.job_id))
    with pytest.raises(JobCancelledError) as cancelled:
        client.wait_job(started.job_id, poll_interval=0.01)
    assert not cancelled.value.report.cancel_requested


def test_call_cancelled() -> None:
    from airbyte_core import _native

    engine = _native.Engine(ClientConfig.cloud())
    task = engine.call("public", "getJob", {"jobId": 1})
    task.cancel()
    with pytest.raises(CallCancelledError, match="cancelled by the caller"):
        task.poll()


def test_secrets_never_show(standin: Standin, caplog: pytest.LogCaptureFixture) -> None:
    secrets = ["standin-secret", "tok-123", "pa55word"]
    assert "standin-secret" not in repr(ClientCredentials("standin-client", "standin-secret"))
    assert "tok-123" not in repr(BearerToken("tok-123"))
    assert "pa55word" not in repr(BasicAuth("u", "pa55word"))
    request = public_api.get_job(1).build(ClientConfig.cloud(), bearer_token="tok-123")
    assert request.header("authorization") == "Bearer tok-123"
    assert "tok-123" not in repr(request) and "<redacted>" in repr(request)
    operation = public_api.create_source({"name": "s", "workspaceId": "w", "configuration":
                                          {"password": "pa55word"}})
    assert "pa55word" not in repr(operation)
    with caplog.at_level(logging.DEBUG, logger="airbyte_core"):
        with make_client(standin) as client:
            client.run_job(OK_CONNECTION, poll_interval=0.01)
            client.__repr__()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged and not any(secret in logged for secret in secrets)


def test_python_values_convert_to_json() -> None:
    import uuid

    config = ClientConfig.cloud()
    connection = uuid.UUID("9a3a2b1c-0000-4000-8000-000000000001")
    request = public_api.create_job({"connectionId": connection, "jobType": "sync"}).build(config)
    assert request.body == b'{"connectionId":"9a3a2b1c-0000-4000-8000-000000000001","jobType":"sync"}'
    request = public_api.list_jobs(workspace_ids=(str(connection),), limit=5).build(config)
    assert request.url.endswith("?limit=5&workspaceIds=9a3a2b1c-0000-4000-8000-000000000001")
    with pytest.raises(TypeError, match="does not fit in 64 bits"):
        public_api.get_job(2 ** 70).build(config)
    with pytest.raises(TypeError, match="not a finite number"):
        airbyte_core.Operation("public", "createJob", {"body": {"x": float("nan")}}).build(config)
