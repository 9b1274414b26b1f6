"""Parsed responses are made as Python objects straight from the typed value: the same data as
`json.loads` of what the core writes back, shared key and enum strings, the garbage collector
left as it was."""

from __future__ import annotations

import gc
import json
import sys

from airbyte_core import config_api, public_api

JOBS = (
    b'{"data":[{"jobId":1,"status":"succeeded","jobType":"sync","startTime":"2026-01-01T00:00:00Z",'
    b'"connectionId":"9a3a2b1c-0000-4000-8000-000000000001","bytesSynced":10,"rowsSynced":2,'
    b'"futureField":{"a":[1,2.5,null,true]}},'
    b'{"jobId":2,"status":"SUCCEEDED","jobType":"reset","startTime":"2026-01-01T00:01:00Z",'
    b'"connectionId":"9a3a2b1c-0000-4000-8000-000000000002"}],"next":"n"}'
)


def test_the_result_is_plain_data_in_the_core_s_key_order() -> None:
    page = public_api.list_jobs().parse(200, [], JOBS)
    assert type(page) is dict and type(page["data"]) is list
    assert page == {
        "next": "n",
        "data": [
            {"jobId": 1, "status": "succeeded", "jobType": "sync",
             "startTime": "2026-01-01T00:00:00Z",
             "connectionId": "9a3a2b1c-0000-4000-8000-000000000001", "bytesSynced": 10,
             "rowsSynced": 2, "futureField": {"a": [1, 2.5, None, True]}},
            # An enum value in another case is read as the value the spec lists.
            {"jobId": 2, "status": "succeeded", "jobType": "reset",
             "startTime": "2026-01-01T00:01:00Z",
             "connectionId": "9a3a2b1c-0000-4000-8000-000000000002"},
        ],
    }
    assert list(page) == ["next", "data"]
    assert list(page["data"][0]) == ["jobId", "status", "jobType", "startTime", "connectionId",
                                     "bytesSynced", "rowsSynced", "futureField"]
    assert json.dumps(page)  # plain data: serializable as it is


def test_keys_and_enum_values_are_shared_strings() -> None:
    first, second = public_api.list_jobs().parse(200, [], JOBS)["data"]
    assert next(iter(first)) is next(iter(second))  # "jobId", made once
    assert first["status"] is second["status"]
    # Keys are interned: a lookup with a literal finds them by identity.
    assert next(iter(first)) is sys.intern("jobId")


def test_the_garbage_collector_is_left_as_it_was() -> None:
    operation = config_api.list_source_definitions()
    body = b'{"sourceDefinitions":[]}'
    assert gc.isenabled()
    assert operation.parse(200, [], body) == {"sourceDefinitions": []}
    assert gc.isenabled()
    gc.disable()
    try:
        operation.parse(200, [], body)
        assert not gc.isenabled()
    finally:
        gc.enable()
