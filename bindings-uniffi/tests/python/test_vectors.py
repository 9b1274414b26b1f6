"""The shared request/response vectors (tests/vectors, format in its README), run through the
binding: requests with `build_request`, responses with `parse_response` (JSON) and with each
operation's typed parse function, which must succeed and fail exactly when the JSON path does."""

import json
import pathlib

import pytest

import airbyte_core
from conftest import VECTORS


def vector_files():
    files = sorted(p for p in VECTORS.rglob("*.json"))
    assert files, f"no vectors under {VECTORS}"
    return files


def load(path):
    data = json.loads(path.read_text())
    assert data["format"] == "airbyte-core-vectors/1", path
    return data


def api_of(case):
    return {"config": airbyte_core.ApiKind.CONFIG, "public": airbyte_core.ApiKind.PUBLIC}[
        case["api"]
    ]


def settings_and_auth(spec):
    settings = airbyte_core.ClientSettings(
        host=spec["host"],
        public_root=spec.get("public_root"),
        config_root=spec.get("config_root"),
        user_agent=spec.get("user_agent"),
    )
    auth = spec.get("auth", "none")
    if auth == "none" or auth is None:
        return settings, airbyte_core.RequestAuth.NONE()
    if "bearer" in auth:
        return settings, airbyte_core.RequestAuth.BEARER(token=auth["bearer"])
    basic = auth["basic"]
    return settings, airbyte_core.RequestAuth.BASIC(
        username=basic["username"], password=basic["password"]
    )


def ordered(text):
    """JSON text parsed into lists of pairs, so that comparisons see the order of keys."""
    return json.loads(text, object_pairs_hook=lambda pairs: ("object", pairs))


def ordered_value(value):
    return ordered(json.dumps(value))


def check_request(default, case):
    settings, auth = settings_and_auth(case["client"]) if "client" in case else default
    expected = case["expected"]
    try:
        request = airbyte_core.build_request(
            settings, api_of(case), case["operation"], json.dumps(case["input"]), auth
        )
    except airbyte_core.AirbyteError as error:
        assert "build_error" in expected, f"build failed: {error}"
        assert error.kind == airbyte_core.ErrorKind.INVALID_INPUT
        assert error.details.path == expected["build_error"]["path"], error.message
        if "message" in expected["build_error"]:
            assert error.details.cause == expected["build_error"]["message"]
        return
    assert "build_error" not in expected, f"expected a build error, built {request.url}"
    assert request.method == expected["method"]
    assert request.url == expected["url"]
    assert [[h.name, h.value] for h in request.headers] == expected["headers"]
    if expected["body"] is None:
        assert request.body is None
    else:
        assert ordered(request.body.decode()) == ordered_value(expected["body"])
    assert request.operation == case["operation"]


def response_of(case):
    return airbyte_core.HttpResponse(
        status=case["status"],
        headers=[airbyte_core.HttpHeader(name=n, value=v) for n, v in case.get("headers", [])],
        body=case["body"].encode(),
    )


TYPED_PARSERS = {}


def typed_parser(api, operation):
    key = (api, operation)
    if key not in TYPED_PARSERS:
        summary = airbyte_core.find_operation(api, operation)
        TYPED_PARSERS[key] = getattr(airbyte_core, summary.typed_parser)
    return TYPED_PARSERS[key]


def check_response(case):
    api = api_of(case)
    expected = case["expected"]
    typed = typed_parser(api, case["operation"])
    try:
        text = airbyte_core.parse_response(api, case["operation"], response_of(case))
    except airbyte_core.AirbyteError as error:
        with pytest.raises(airbyte_core.AirbyteError) as typed_error:
            typed(response_of(case))
        assert typed_error.value.kind == error.kind
        assert typed_error.value.message == error.message
        if "decode_error" in expected:
            want = expected["decode_error"]
            assert error.kind == airbyte_core.ErrorKind.DECODE, error.message
            assert error.status == case["status"]
            assert error.details.path == want["path"], error.message
            if "message" in want:
                assert error.details.cause == want["message"]
        elif "api_error" in expected:
            want = expected["api_error"]
            assert error.kind == airbyte_core.ErrorKind.API, error.message
            actual = {
                "status": error.status,
                "kind": error.details.body_kind,
                "message": error.details.cause,
                "declared": error.details.declared,
                "problem_type": error.details.problem_type,
                "error_id": error.details.error_id,
                "validation_errors": [
                    {"property_path": v.property_path, "message": v.message}
                    for v in error.details.validation_errors
                ],
            }
            for key, value in want.items():
                assert actual[key] == value, f"api_error.{key}"
        else:
            raise AssertionError(f"parse failed: {error.message}")
        return
    assert "value" in expected, f"expected an error, parsed {text}"
    assert ordered(text) == ordered_value(expected["value"])
    typed(response_of(case))


@pytest.mark.parametrize("path", vector_files(), ids=lambda p: str(p.relative_to(VECTORS)))
def test_vector_file(path):
    data = load(path)
    default = settings_and_auth(data["client"]) if "client" in data else None
    requests = data.get("requests", [])
    responses = data.get("responses", [])
    assert requests or responses
    failures = []
    for index, case in enumerate(requests):
        try:
            check_request(default, case)
        except AssertionError as error:
            failures.append(f"requests[{index}] {case['operation']}: {error}")
    for index, case in enumerate(responses):
        try:
            check_response(case)
        except AssertionError as error:
            failures.append(f"responses[{index}] {case['operation']} {case['status']}: {error}")
    assert not failures, "\n".join(failures[:20])


def test_every_operation_has_a_generated_request_case_and_a_typed_parser():
    seen = set()
    for path in (VECTORS / "generated").rglob("*.json"):
        for case in load(path).get("requests", []):
            seen.add((case["api"], case["operation"]))
    for api, name in [(airbyte_core.ApiKind.CONFIG, "config"), (airbyte_core.ApiKind.PUBLIC, "public")]:
        operations = airbyte_core.list_operations(api)
        assert len(operations) == {"config": 459, "public": 92}[name]
        for operation in operations:
            assert (name, operation.id) in seen, operation.id
            assert callable(getattr(airbyte_core, operation.typed_parser))
