"""The client object over a Python transport (the foreign trait), against the stand-in server:
tokens, retries, pagination, job runs, cancellation and error mapping all run in the core."""

import json
import threading

import pytest

import airbyte_core
from airbyte_core import ApiKind, ErrorKind, JobKind, JobOutcome
from conftest import CLIENT_SECRET, StdlibTransport

ANALYTICS = "0b000000-0000-4000-8000-000000000001"
MARKETING = "0b000000-0000-4000-8000-000000000002"
CONNECTION_OK = "c0000000-0000-4000-8000-000000000001"
CONNECTION_FAILING = "c0000000-0000-4000-8000-000000000002"
CONNECTION_SLOW = "c0000000-0000-4000-8000-000000000003"
FAST = airbyte_core.WaitSettings(poll_interval_ms=20)


class Recorder(airbyte_core.ProgressListener):
    def __init__(self, on_progress=None):
        self.seen = []
        self.hook = on_progress

    def on_progress(self, progress):
        self.seen.append((progress.status, progress.rows_synced))
        if self.hook:
            self.hook(progress)


def api_paths(standin, fragment):
    return [r["path"] for r in standin.requests() if fragment in r["path"]]


def test_lists_workspaces_with_client_credentials(standin):
    client = standin.client()
    workspaces = json.loads(client.call_json(ApiKind.PUBLIC, "listWorkspaces", "{}"))
    assert [w["workspaceId"] for w in workspaces["data"]] == [ANALYTICS, MARKETING]
    assert [w["name"] for w in workspaces["data"]] == ["Analytics", "Marketing"]
    log = standin.requests()
    assert [(r["method"], r["path"]) for r in log] == [
        ("POST", "/api/public/v1/applications/token"),
        ("GET", "/api/public/v1/workspaces"),
    ]
    assert log[1]["headers"]["authorization"] == "Bearer <redacted>"


def test_typed_results_from_the_final_response(standin):
    client = standin.client()
    response = client.call(ApiKind.PUBLIC, "getConnection", json.dumps({"connectionId": CONNECTION_OK}))
    assert response.status == 200
    connection = airbyte_core.parse_public_get_connection(response)
    assert isinstance(connection, airbyte_core.PublicConnectionResponse)
    assert connection.connection_id == CONNECTION_OK
    assert connection.workspace_id == ANALYTICS
    assert connection.status == airbyte_core.PublicConnectionStatusEnum.ACTIVE()

    config = airbyte_core.parse_config_get_connection(
        client.call(ApiKind.CONFIG, "getConnection", json.dumps({"body": {"connectionId": CONNECTION_OK}}))
    )
    assert isinstance(config, airbyte_core.ConfigConnectionRead)
    assert config.connection_id == CONNECTION_OK
    assert config.source_id == "50000000-0000-4000-8000-000000000001"


def test_list_all_walks_every_page(standin):
    client = standin.client()
    items = client.list_all(ApiKind.PUBLIC, "listConnections", "{}", page_size=10)
    ids = [json.loads(item)["connectionId"] for item in items]
    assert len(ids) == 25 and len(set(ids)) == 25
    assert ids[0] == CONNECTION_OK
    assert api_paths(standin, "/connections") == [
        "/api/public/v1/connections?limit=10",
        "/api/public/v1/connections?limit=10&offset=10",
        "/api/public/v1/connections?limit=10&offset=20",
        "/api/public/v1/connections?limit=10&offset=30",
    ]


def test_pages_arrive_at_the_listener_one_by_one(standin):
    pages = []

    class Pages(airbyte_core.PageListener):
        def on_page(self, items):
            pages.append([json.loads(item)["name"] for item in items])

    standin.client().for_each_page(
        ApiKind.CONFIG,
        "listSourcesForWorkspace",
        json.dumps({"body": {"workspaceId": ANALYTICS}}),
        Pages(),
        page_size=3,
    )
    assert pages == [
        ["Postgres (production)", "Stripe (revoked key)", "GitHub (airbytehq)"],
        ["HubSpot CRM"],
    ]
    bodies = [json.loads(r["body"]) for r in standin.requests() if r["path"] == "/api/v1/sources/list"]
    assert [b.get("pageSize") for b in bodies] == [3, 3]


def test_a_sync_runs_to_success_with_progress(standin):
    recorder = Recorder()
    report = standin.client().run_job(
        ApiKind.PUBLIC, CONNECTION_OK, JobKind.SYNC, settings=FAST, listener=recorder
    )
    assert report.outcome == JobOutcome.SUCCEEDED
    assert report.progress.job_id == 4
    assert report.progress.status == "succeeded"
    assert report.progress.rows_synced == 3750
    assert (report.attached, report.cancel_requested) == (False, False)
    assert [status for status, _ in recorder.seen] == ["pending", "running", "running", "succeeded"]
    assert recorder.seen[-1] == ("succeeded", 3750)


def test_a_failed_sync_on_the_configuration_api_reports_the_failure(standin):
    report = standin.client().run_job(ApiKind.CONFIG, CONNECTION_FAILING, JobKind.SYNC, settings=FAST)
    assert report.outcome == JobOutcome.FAILED
    assert report.failure_summary == (
        "The source rejected the credentials: Invalid API Key provided (HTTP 401). Update the "
        "source's credentials and try again. (config_error, source)"
    )


def test_a_second_sync_is_already_running_unless_attached(standin):
    client = standin.client()
    started = json.loads(
        client.call_json(ApiKind.PUBLIC, "createJob", json.dumps({"body": {"connectionId": CONNECTION_SLOW, "jobType": "sync"}}))
    )
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        client.run_job(ApiKind.PUBLIC, CONNECTION_SLOW, JobKind.SYNC, settings=FAST)
    error = caught.value
    assert error.kind == ErrorKind.ALREADY_RUNNING
    assert error.status == 409
    assert error.details.connection_id == CONNECTION_SLOW
    # The job is only looked up when attaching.
    assert error.details.running_job_id is None
    assert error.details.problem_type == "https://reference.airbyte.com/reference/errors#try-again-later"

    cancel = airbyte_core.CancelHandle()
    recorder = Recorder(on_progress=lambda progress: cancel.cancel())
    report = client.run_job(
        ApiKind.PUBLIC, CONNECTION_SLOW, JobKind.SYNC, attach=True, settings=FAST,
        listener=recorder, cancel=cancel,
    )
    assert report.attached is True
    assert report.cancel_requested is True
    assert report.outcome == JobOutcome.CANCELLED
    assert report.progress.job_id == started["jobId"]
    deletes = [r for r in standin.requests() if r["method"] == "DELETE"]
    assert [d["path"] for d in deletes] == [f"/api/public/v1/jobs/{started['jobId']}"]


def test_a_deadline_cancels_the_job(standin):
    report = standin.client().run_job(
        ApiKind.PUBLIC, CONNECTION_SLOW, JobKind.SYNC,
        settings=airbyte_core.WaitSettings(poll_interval_ms=20, deadline_ms=0),
    )
    assert report.outcome == JobOutcome.TIMED_OUT
    assert report.cancel_requested is True


def test_cancelling_from_another_thread_stops_a_wait(standin):
    client = standin.client()
    job = json.loads(client.call_json(ApiKind.PUBLIC, "createJob", json.dumps({"body": {"connectionId": CONNECTION_SLOW, "jobType": "sync"}})))
    cancel = airbyte_core.CancelHandle()
    timer = threading.Timer(0.3, cancel.cancel)
    timer.start()
    report = client.wait_job(ApiKind.PUBLIC, job["jobId"], settings=airbyte_core.WaitSettings(poll_interval_ms=50), cancel=cancel)
    timer.join()
    assert cancel.is_cancelled()
    assert report.outcome == JobOutcome.CANCELLED
    assert report.cancel_requested is True


def test_cancelling_a_list_ends_with_a_cancelled_error(standin):
    cancel = airbyte_core.CancelHandle()
    cancel.cancel()
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        standin.client().list_all(ApiKind.PUBLIC, "listConnections", "{}", cancel=cancel)
    assert caught.value.kind == ErrorKind.CANCELLED


def test_retries_after_server_errors(standin):
    standin.add_faults([
        {"match": {"method": "GET", "path_prefix": "/api/public/v1/workspaces"}, "times": 2,
         "kind": {"status": 503, "retry_after": "0"}},
    ])
    client = standin.client(options=airbyte_core.ClientOptions(
        retry=airbyte_core.RetrySettings(initial_backoff_ms=10, jitter=0.0)))
    workspaces = json.loads(client.call_json(ApiKind.PUBLIC, "listWorkspaces", "{}"))
    assert len(workspaces["data"]) == 2
    faults = [r.get("fault") for r in standin.requests() if r["path"] == "/api/public/v1/workspaces"]
    assert len(faults) == 3 and faults[2] is None and faults[0] is not None


def test_an_expired_token_is_renewed_once(standin):
    client = standin.client()
    client.call_json(ApiKind.PUBLIC, "listWorkspaces", "{}")
    standin.control("POST", "/_standin/tokens/expire")
    client.call_json(ApiKind.PUBLIC, "listWorkspaces", "{}")
    paths = [r["path"] for r in standin.requests()]
    assert paths == [
        "/api/public/v1/applications/token",
        "/api/public/v1/workspaces",
        "/api/public/v1/workspaces",
        "/api/public/v1/applications/token",
        "/api/public/v1/workspaces",
    ]


def test_wrong_credentials_are_an_auth_error_without_the_secret(standin):
    wrong = airbyte_core.Credentials.CLIENT_CREDENTIALS(
        client_id="standin-client", client_secret="not-the-secret-xyz", token_url=None
    )
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        standin.client(credentials=wrong).call_json(ApiKind.PUBLIC, "listWorkspaces", "{}")
    error = caught.value
    assert error.kind == ErrorKind.AUTH
    assert error.status == 401
    assert "not-the-secret-xyz" not in str(error)
    assert "not-the-secret-xyz" not in error.message
    assert "not-the-secret-xyz" not in str(wrong)
    assert CLIENT_SECRET not in str(airbyte_core.Credentials.CLIENT_CREDENTIALS(
        client_id="id", client_secret=CLIENT_SECRET, token_url=None))


def test_requests_print_without_credentials(standin):
    transport = StdlibTransport()
    standin.client(transport=transport).call_json(ApiKind.PUBLIC, "listWorkspaces", "{}")
    token_request, call = transport.sent
    assert (token_request.operation, call.operation) == ("createAccessToken", "listWorkspaces")
    assert CLIENT_SECRET.encode() in token_request.body
    assert CLIENT_SECRET not in str(token_request)
    assert "<redacted>" in str(call) and "Bearer ey" not in str(call)


def test_api_errors_carry_status_and_details(standin):
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        standin.client().call_json(ApiKind.PUBLIC, "getJob", json.dumps({"jobId": 999}))
    error = caught.value
    assert (error.kind, error.status) == (ErrorKind.API, 404)
    assert error.details.body_kind == "problem"
    assert error.details.operation == "getJob"
    assert error.message.startswith("getJob: HTTP 404: ")


def test_transport_failures_are_retried_then_reported():
    transport = StdlibTransport()
    client = airbyte_core.AirbyteClient(
        airbyte_core.ClientSettings(host="http://127.0.0.1:9"),
        airbyte_core.Credentials.NONE(),
        transport,
        airbyte_core.ClientOptions(retry=airbyte_core.RetrySettings(max_attempts=2, initial_backoff_ms=1)),
    )
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        client.call_json(ApiKind.PUBLIC, "getHealthCheck", "{}")
    error = caught.value
    assert error.kind == ErrorKind.TRANSPORT
    assert error.details.transport_kind == "connect"
    assert len(transport.sent) == 2


def test_a_failing_listener_stops_the_flow(standin):
    class Broken(airbyte_core.ProgressListener):
        def on_progress(self, progress):
            raise RuntimeError("listener broke")

    with pytest.raises(airbyte_core.AirbyteError) as caught:
        standin.client().run_job(ApiKind.PUBLIC, CONNECTION_OK, JobKind.SYNC, settings=FAST, listener=Broken())
    assert caught.value.kind == ErrorKind.CALLBACK
    assert "listener broke" in caught.value.message


def test_bad_input_is_refused_before_anything_is_sent(standin):
    transport = StdlibTransport()
    client = standin.client(transport=transport)
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        client.call_json(ApiKind.PUBLIC, "getJob", "{not json")
    assert caught.value.kind == ErrorKind.INVALID_INPUT
    assert caught.value.details.path == "."
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        client.call_json(ApiKind.PUBLIC, "getJob", json.dumps({"jobId": "x"}))
    assert caught.value.details.path == "jobId"
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        client.call_json(ApiKind.PUBLIC, "noSuchOperation", "{}")
    assert caught.value.message == "the public Airbyte API has no operation `noSuchOperation`"
    assert transport.sent == []
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        airbyte_core.AirbyteClient(
            airbyte_core.ClientSettings(host="localhost:8000"),
            airbyte_core.Credentials.NONE(), transport, None)
    assert caught.value.kind == ErrorKind.INVALID_INPUT
    assert "has no scheme" in caught.value.message


def test_threads_share_one_client_and_one_token(standin):
    client = standin.client()
    results, errors = [], []

    def work():
        try:
            results.append(len(json.loads(client.call_json(ApiKind.PUBLIC, "listWorkspaces", "{}"))["data"]))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [2, 2, 2, 2]
    tokens = [r for r in standin.requests() if r["path"] == "/api/public/v1/applications/token"]
    assert len(tokens) == 1


def test_an_unexpected_exception_in_the_transport_is_a_transport_error():
    class Broken(airbyte_core.HttpTransport):
        calls = 0

        def send(self, request):
            Broken.calls += 1
            raise ValueError("socket library exploded")

    client = airbyte_core.AirbyteClient(
        airbyte_core.ClientSettings(host="http://127.0.0.1:9"),
        airbyte_core.Credentials.NONE(),
        Broken(),
        airbyte_core.ClientOptions(retry=airbyte_core.RetrySettings(max_attempts=1)),
    )
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        client.call_json(ApiKind.PUBLIC, "getHealthCheck", "{}")
    error = caught.value
    assert error.kind == ErrorKind.TRANSPORT
    assert error.details.transport_kind == "other"
    assert "socket library exploded" in error.message
    assert Broken.calls == 1
