"""Airbyte's two HTTP APIs from Python, on the `airbyte-core` Rust core.

::

    from airbyte_core import Client, ClientCredentials, public_api

    with Client("http://localhost:8000",
                credentials=ClientCredentials("my-client", "my-secret")) as client:
        job = client.send(public_api.get_job(42))
        print(job["status"], job.get("rowsSynced"))
        for connection in client.iterate(public_api.list_connections()):
            print(connection["name"])
        report = client.run_job(connection["connectionId"], timeout=3600)

Every operation of the public API (`public_api`) and of the Configuration API (`config_api`) is a
typed function returning an `Operation`; results are plain dicts and lists, open enums are
strings. Build and parse without a client with `Operation.build` / `Operation.parse`.
Logs go to the `airbyte_core` logger.
"""

from airbyte_core import errors
from airbyte_core._native import DEFAULT_USER_AGENT, ClientConfig, Request, __version__
from airbyte_core._native import operation_info as _operation_info
from airbyte_core._native import operations as _operations
from airbyte_core._operation import Operation, PagedOperation, Redirect
from airbyte_core.api import config_api, public_api
from airbyte_core.client import (
    AsyncClient, BasicAuth, BearerToken, Client, ClientCredentials, Credentials, JobProgress,
    JobReport, RetryPolicy,
)
from airbyte_core.errors import (
    AirbyteError, ApiError, AuthenticationError, CallCancelledError, DecodeError,
    InvalidInputError, JobCancelledError, JobError, JobFailedError, JobTimeoutError,
    SyncAlreadyRunningError, TransportError,
)
from airbyte_core.transports import HttpResponse, TransportFailure

operations = _operations
operation_info = _operation_info

__all__ = [
    "AirbyteError", "ApiError", "AsyncClient", "AuthenticationError", "BasicAuth",
    "BearerToken", "CallCancelledError", "Client", "ClientConfig", "ClientCredentials",
    "Credentials", "DEFAULT_USER_AGENT", "DecodeError", "HttpResponse", "InvalidInputError",
    "JobCancelledError", "JobError", "JobFailedError", "JobProgress", "JobReport",
    "JobTimeoutError", "Operation", "PagedOperation", "Redirect", "Request", "RetryPolicy",
    "SyncAlreadyRunningError", "TransportError", "TransportFailure", "__version__",
    "config_api", "errors", "operation_info", "operations", "public_api",
]
