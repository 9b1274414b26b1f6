"""Sans-IO use from Python: build request records, parse response records into JSON or typed
records, and what records print (never a secret)."""

import json

import pytest

import airbyte_core
from airbyte_core import ApiKind, ErrorKind

SETTINGS = airbyte_core.ClientSettings(host="http://localhost:8000")
BEARER = airbyte_core.RequestAuth.BEARER(token="tok-123")


def response(status, body, headers=()):
    return airbyte_core.HttpResponse(
        status=status,
        headers=[airbyte_core.HttpHeader(name=n, value=v) for n, v in headers],
        body=body.encode() if isinstance(body, str) else body,
    )


def test_build_a_public_request():
    request = airbyte_core.build_request(
        SETTINGS, ApiKind.PUBLIC, "createJob",
        json.dumps({"body": {"connectionId": "c0000000-0000-4000-8000-000000000001", "jobType": "sync"}}),
        BEARER,
    )
    assert (request.method, request.url) == ("POST", "http://localhost:8000/api/public/v1/jobs")
    assert [(h.name, h.value) for h in request.headers] == [
        ("accept", "application/json"),
        ("content-type", "application/json"),
        ("user-agent", "airbyte-core/0.1.0"),
        ("authorization", "Bearer tok-123"),
    ]
    assert json.loads(request.body) == {
        "connectionId": "c0000000-0000-4000-8000-000000000001", "jobType": "sync"}
    assert request.timeout_ms is None
    printed = str(request)
    assert "tok-123" not in printed and "tok-123" not in repr(request)
    assert "<redacted>" in printed and "<87 bytes>" not in printed
    assert str(request.headers[3]) == "authorization: <redacted>"
    assert str(request.headers[0]) == "accept: application/json"
    assert "tok-123" not in str(BEARER) and "tok-123" not in repr(BEARER)


def test_roots_and_user_agent_come_from_the_settings():
    settings = airbyte_core.ClientSettings(
        public_root="https://proxy.example/public", config_root="https://proxy.example/cfg/api",
        user_agent="my-app/2",
    )
    request = airbyte_core.build_request(
        settings, ApiKind.CONFIG, "getJobInfo", json.dumps({"body": {"id": 7}}),
        airbyte_core.RequestAuth.NONE(),
    )
    assert request.url == "https://proxy.example/cfg/api/v1/jobs/get"
    assert ("user-agent", "my-app/2") in [(h.name, h.value) for h in request.headers]
    cloud = airbyte_core.build_request(
        airbyte_core.ClientSettings(), ApiKind.PUBLIC, "getJob", '{"jobId": 1}',
        airbyte_core.RequestAuth.NONE(),
    )
    assert cloud.url == "https://api.airbyte.com/v1/jobs/1"


def test_typed_records_keep_unknown_values():
    body = json.dumps({
        "jobId": 42, "status": "paused", "jobType": "sync", "startTime": "2026-01-01T00:00Z",
        "connectionId": "9a3a2b1c-0000-4000-8000-000000000001", "rowsSynced": 1200,
        "shard": {"n": 3},
    })
    job = airbyte_core.parse_public_get_job(response(200, body))
    assert job.job_id == 42
    assert job.status == airbyte_core.PublicJobStatusEnum.OTHER(value="paused")
    assert job.job_type == airbyte_core.PublicJobTypeEnum.SYNC()
    assert job.rows_synced == 1200
    assert job.bytes_synced is None
    assert job.extra == {"shard": '{"n":3}'}
    assert json.loads(airbyte_core.parse_response(ApiKind.PUBLIC, "getJob", response(200, body))) == \
        json.loads(body)


def test_sensitive_fields_and_unknown_values_are_hidden_when_printed():
    body = json.dumps({
        "sourceId": "50000000-0000-4000-8000-000000000001", "name": "pg", "sourceType": "postgres",
        "definitionId": "5d000000-0000-4000-8000-000000000001",
        "workspaceId": "0b000000-0000-4000-8000-000000000001",
        "configuration": {"host": "db", "password": "hunter2"}, "createdAt": 1700000000,
        "apiKey": "also-secret",
    })
    source = airbyte_core.parse_public_get_source(response(200, body))
    assert source.configuration == '{"host":"db","password":"hunter2"}'
    assert airbyte_core.json_read(source.configuration, "/host").string_value == "db"
    assert source.extra == {"apiKey": '"also-secret"'}
    assert str(source) == (
        'PublicSourceResponse { source_id: "50000000-0000-4000-8000-000000000001", name: "pg", '
        'source_type: "postgres", definition_id: "5d000000-0000-4000-8000-000000000001", '
        'workspace_id: "0b000000-0000-4000-8000-000000000001", configuration: <redacted>, '
        'created_at: 1700000000, resource_allocation: None, extra: ["apiKey"] }'
    )


def test_error_statuses_and_bad_bodies_become_typed_errors():
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        airbyte_core.parse_public_get_job(response(
            409, '{"type":"error:connection/locked","title":"connection-locked","detail":"locked"}',
            [("content-type", "application/json")]))
    error = caught.value
    assert (error.kind, error.status) == (ErrorKind.API, 409)
    assert error.details.problem_type == "error:connection/locked"
    assert error.details.cause == "locked"
    assert error.message == "getJob: HTTP 409: locked (problem error:connection/locked)"

    with pytest.raises(airbyte_core.AirbyteError) as caught:
        airbyte_core.parse_public_get_job(response(200, '{"jobId": "x"}'))
    error = caught.value
    assert error.kind == ErrorKind.DECODE
    assert error.details.path == "jobId"
    assert error.details.schema == "JobResponse"

    with pytest.raises(airbyte_core.AirbyteError) as caught:
        airbyte_core.parse_public_get_job(response(502, "<html><title>Bad Gateway</title></html>"))
    assert caught.value.details.body_kind == "html"
    assert caught.value.details.cause == "HTML page: Bad Gateway"


def test_operations_are_listed_with_their_typed_parser():
    summary = airbyte_core.find_operation(ApiKind.CONFIG, "listSourcesForWorkspace")
    assert (summary.method, summary.path, summary.paginated) == ("POST", "/v1/sources/list", True)
    assert summary.typed_parser == "parse_config_list_sources_for_workspace"
    assert airbyte_core.find_operation(ApiKind.PUBLIC, "nope") is None
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        airbyte_core.parse_response(ApiKind.PUBLIC, "nope", response(200, "{}"))
    assert caught.value.kind == ErrorKind.INVALID_INPUT


def test_json_read_reads_values_by_pointer():
    text = '{"streams":[{"name":"users","cursor":["updated_at"]}],"port":5432,"ssl":true}'
    node = airbyte_core.json_read(text, "/streams/0")
    assert node.kind == airbyte_core.JsonKind.OBJECT
    assert node.keys == ["name", "cursor"]
    assert airbyte_core.json_read(text, "/streams/0/cursor/0").string_value == "updated_at"
    assert airbyte_core.json_read(text, "/port").integer_value == 5432
    assert airbyte_core.json_read(text, "/ssl").bool_value is True
    assert airbyte_core.json_read(text, "/missing") is None
    assert "updated_at" not in str(node)
    with pytest.raises(airbyte_core.AirbyteError) as caught:
        airbyte_core.json_read("{", "")
    assert caught.value.details.path == "text"
