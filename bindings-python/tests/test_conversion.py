"""Parsed responses are made as Python objects straight from the typed value: the same data as
`json.loads` of what the core writes back (types, key order and text exact), shared key and enum
strings, the garbage collector left as it was."""

from __future__ import annotations

import gc
import json

from airbyte_core import config_api, public_api

JOBS = (
    b'{"data":[{"jobId":1,"status":"succeeded","jobType":"sync","startTime":"2026-01-01T00:00:00Z",'
    b'"connectionId":"9a3a2b1c-0000-4000-8000-000000000001","bytesSynced":10,"rowsSynced":2,'
    b'"futureField":{"a":[1,2.5,null,true]}},'
    b'{"jobId":2,"status":"SUCCEEDED","jobType":"reset","startTime":"2026-01-01T00:01:00Z",'
    b'"connectionId":"9a3a2b1c-0000-4000-8000-000000000002"}],"next":"n"}'
)


def exact(value: object) -> str:
    """The JSON text of `value`, key order and number types included."""
    return json.dumps(value, ensure_ascii=False)


def test_the_result_is_plain_data_in_the_core_s_key_order() -> None:
    page = public_api.list_jobs().parse(200, [], JOBS)
    assert type(page) is dict and type(page["data"]) is list
    # The JSON text of both sides: it tells 1 from 1.0 and True and keeps key order, which `==`
    # on dicts does not.
    assert exact(page) == exact({
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
    })


def test_free_form_values_keep_their_type_order_and_text() -> None:
    body = (
        b'{"data":[{"jobId":3,"status":"running","jobType":"sync",'
        b'"startTime":"2026-01-01T00:00:00Z","connectionId":"9a3a2b1c-0000-4000-8000-000000000003",'
        b'"extra":{"z":1,"a":1.0,"m":true,"big":18446744073709551615,"low":-9223372036854775808,'
        b'"huge":1e300,"exp":2.5e-8,"escaped":"\\ud83d\\ude00 \\" \\u00e9",'
        b'"raw":"\xc3\xa9\xf0\x9f\x98\x80",'
        b'"empty":{},"none":[],"nested":[{"b":null,"a":[[]]}],'
        b'"' + b"k" * 80 + b'":"a long key"}}],"next":null}'
    )
    page = public_api.list_jobs().parse(200, [], body)
    extra = page["data"][0]["extra"]
    assert exact(extra) == exact({
        "z": 1, "a": 1.0, "m": True, "big": 18446744073709551615, "low": -9223372036854775808,
        "huge": 1e300, "exp": 2.5e-8, "escaped": "\U0001F600 \" \u00e9",
        "raw": "\u00e9\U0001F600",
        "empty": {}, "none": [], "nested": [{"b": None, "a": [[]]}], "k" * 80: "a long key",
    })
    assert type(extra["big"]) is int and type(extra["a"]) is float and type(extra["m"]) is bool


def test_many_distinct_keys_all_arrive() -> None:
    # More distinct keys than the converter caches: the rest are made one by one.
    keys = [f"key{n}" for n in range(1500)]
    free_form = "{" + ",".join(f'"{key}":{n}' for n, key in enumerate(keys)) + "}"
    body = (
        '{"data":[{"jobId":4,"status":"failed","jobType":"sync","startTime":"2026-01-01T00:00:00Z",'
        '"connectionId":"9a3a2b1c-0000-4000-8000-000000000004","extra":' + free_form + '}]}'
    ).encode()
    extra = public_api.list_jobs().parse(200, [], body)["data"][0]["extra"]
    assert list(extra) == keys
    assert list(extra.values()) == list(range(1500))


def test_keys_and_enum_values_are_shared_strings() -> None:
    first, second = public_api.list_jobs().parse(200, [], JOBS)["data"]
    assert next(iter(first)) is next(iter(second))  # "jobId", made once
    assert first["status"] is second["status"]


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
