"""The shared request/response vectors of `tests/vectors` (the ones the Rust tests run), through
the Python API: `Operation.build` and `Operation.parse`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

from airbyte_core import ApiError, ClientConfig, DecodeError, InvalidInputError, Operation

from conftest import VECTORS

FILES = sorted(VECTORS.rglob("*.json"))


def file_id(path: Path) -> str:
    return str(path.relative_to(VECTORS))


def config_of(spec: Dict[str, Any]) -> "tuple[ClientConfig, Dict[str, Any]]":
    config = ClientConfig.self_managed(spec["host"])
    if "public_root" in spec:
        config = config.with_public_root(spec["public_root"])
    if "config_root" in spec:
        config = config.with_config_root(spec["config_root"])
    if "user_agent" in spec:
        config = config.with_user_agent(spec["user_agent"])
    auth = spec.get("auth", "none")
    credentials: Dict[str, Any] = {}
    if isinstance(auth, dict) and "bearer" in auth:
        credentials["bearer_token"] = auth["bearer"]
    elif isinstance(auth, dict) and "basic" in auth:
        credentials["username"] = auth["basic"]["username"]
        credentials["password"] = auth["basic"]["password"]
    return config, credentials


def ordered(value: Any) -> str:
    """JSON text keeping key order, so that order differences count."""
    return json.dumps(value, ensure_ascii=False)


def check_request(default: Any, case: Dict[str, Any]) -> None:
    config, credentials = config_of(case["client"]) if "client" in case else default
    operation = Operation(case["api"], case["operation"], case["input"])
    expected = case["expected"]
    if "build_error" in expected:
        with pytest.raises(InvalidInputError) as caught:
            operation.build(config, **credentials)
        assert caught.value.path == expected["build_error"]["path"], caught.value
        if "message" in expected["build_error"]:
            assert str(caught.value).endswith(expected["build_error"]["message"])
        return
    request = operation.build(config, **credentials)
    assert request.method == expected["method"]
    assert request.url == expected["url"]
    assert [list(h) for h in request.headers] == expected["headers"]
    if expected["body"] is None:
        assert request.body is None
    else:
        assert request.body is not None
        assert ordered(json.loads(request.body)) == ordered(expected["body"])


def check_response(case: Dict[str, Any]) -> None:
    operation = Operation(case["api"], case["operation"], {})
    headers = [tuple(h) for h in case.get("headers", [])]
    body = case["body"].encode()
    expected = case["expected"]
    if "value" in expected:
        value = operation.parse(case["status"], headers, body)
        if isinstance(value, bytes):
            assert list(value) == expected["value"]
        else:
            assert ordered(value) == ordered(expected["value"])
    elif "decode_error" in expected:
        with pytest.raises(DecodeError) as caught:
            operation.parse(case["status"], headers, body)
        assert caught.value.path == expected["decode_error"]["path"]
        if "message" in expected["decode_error"]:
            assert caught.value.reason == expected["decode_error"]["message"]
    else:
        with pytest.raises(ApiError) as raised:
            operation.parse(case["status"], headers, body)
        error = raised.value
        actual = {
            "status": error.status, "kind": error.kind, "message": error.reason,
            "declared": error.declared, "problem_type": error.problem_type,
            "error_id": error.error_id,
            "validation_errors": [
                {"property_path": v["property_path"], "message": v["message"]}
                for v in error.validation_errors
            ],
        }
        for key, want in expected["api_error"].items():
            assert actual[key] == want, f"api_error.{key}"


@pytest.mark.parametrize("path", FILES, ids=file_id)
def test_vector_file(path: Path) -> None:
    data = json.loads(path.read_text())
    assert data["format"] == "airbyte-core-vectors/1"
    default = config_of(data["client"])
    failures: List[str] = []
    for index, case in enumerate(data.get("requests", [])):
        try:
            check_request(default, case)
        except AssertionError as error:
            failures.append(f"requests[{index}] {case['operation']}: {error}")
    for index, case in enumerate(data.get("responses", [])):
        try:
            check_response(case)
        except (AssertionError, pytest.fail.Exception) as error:
            failures.append(f"responses[{index}] {case['operation']}: {error}")
    assert not failures, "\n".join(failures[:20])


def test_the_vectors_cover_every_operation() -> None:
    import airbyte_core

    seen: Dict[str, set] = {"public": set(), "config": set()}
    for path in FILES:
        for case in json.loads(path.read_text()).get("requests", []):
            seen[case["api"]].add(case["operation"])
    for api in ("public", "config"):
        assert seen[api] >= set(airbyte_core.operations(api))
