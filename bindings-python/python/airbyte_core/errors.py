"""The exceptions of `airbyte_core`, all rooted in `AirbyteError`.

::

    AirbyteError
    ├── InvalidInputError (also a ValueError): bad arguments, URLs or credentials; nothing was sent
    ├── ApiError: the server answered with an error status
    │   └── SyncAlreadyRunningError: a job could not start because one is running
    ├── AuthenticationError: no token could be had, or the server refused a fresh one
    ├── DecodeError: a success status with a body that does not match the spec
    ├── TransportError: no response (connection refused, timeout, broken connection)
    ├── CallCancelledError: the caller cancelled the call
    └── JobError: a job ended other than succeeded
        ├── JobFailedError
        ├── JobCancelledError
        └── JobTimeoutError: the wait timed out (the job was cancelled unless told otherwise)

Messages name what was wrong (`getJob: HTTP 404: Job 7 not found`); credentials and tokens
never appear in them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

if TYPE_CHECKING:
    from airbyte_core.client import JobReport

__all__ = [
    "AirbyteError", "InvalidInputError", "ApiError", "SyncAlreadyRunningError",
    "AuthenticationError", "DecodeError", "TransportError", "CallCancelledError", "JobError",
    "JobFailedError", "JobCancelledError", "JobTimeoutError",
]


class AirbyteError(Exception):
    """The root of every error `airbyte_core` raises."""

    message: str
    operation: Optional[str] = None

    def __init__(self, message: str, **attributes: Any) -> None:
        super().__init__(message)
        self.message = message
        for name, value in attributes.items():
            setattr(self, name, value)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: type, message: str, attributes: Dict[str, Any]) -> AirbyteError:
    error: AirbyteError = cls(message)
    error.__dict__.update(attributes)
    return error


class InvalidInputError(AirbyteError, ValueError):
    """The input breaks a rule of the spec, or a URL or credential is unusable; nothing was sent.

    `path` says where: a parameter's spec name or a JSON path such as `body.pagination.pageSize`.
    """

    path: Optional[str] = None


class _ResponseAttributes:
    status: Optional[int] = None
    headers: List[Tuple[str, str]] = []
    body: bytes = b""

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced)."""
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> Optional[str]:
        """A response header, matched case-insensitively."""
        name = name.lower()
        return next((v for n, v in self.headers if n.lower() == name), None)


class ApiError(_ResponseAttributes, AirbyteError):
    """The server answered with an error status.

    `status`, `reason` (the server's message on one line), `kind` (the shape of the body:
    `problem`, `known_exception`, `error_id`, `auth_layer`, `other_json`, `html`, `text`,
    `empty`), `problem_type` / `title` / `detail` / `data` of a problem body, `error_id`,
    `validation_errors`, `declared` (whether the spec lists the status), `headers` and the raw
    `body`.
    """

    status: int = 0
    reason: str = ""
    kind: str = "empty"
    problem_type: Optional[str] = None
    title: Optional[str] = None
    detail: Optional[str] = None
    documentation_url: Optional[str] = None
    data: Any = None
    error_id: Optional[str] = None
    validation_errors: List[Dict[str, Any]] = []
    declared: bool = False


class SyncAlreadyRunningError(ApiError):
    """A sync (or reset, refresh, clear) could not start: a job is running for `connection_id`.

    Start it with `attach=True` to wait for the running job instead.
    """

    connection_id: str = ""
    running_job_id: Optional[int] = None


class AuthenticationError(_ResponseAttributes, AirbyteError):
    """No usable token, or the server refused a fresh one.

    `failure` is `token_request_failed`, `invalid_token_response` or `unauthorized`; the response
    attributes are set when there was a response.
    """

    failure: str = ""
    reason: str = ""
    kind: Optional[str] = None
    problem_type: Optional[str] = None
    error_id: Optional[str] = None


class DecodeError(_ResponseAttributes, AirbyteError):
    """A success status whose body does not match the spec.

    `schema` is what it was decoded as, `path` where it failed (`data[3].status`), `reason` why.
    """

    schema: Optional[str] = None
    path: str = ""
    reason: str = ""


class TransportError(AirbyteError):
    """No response, after any retries: `kind` is `connect`, `timeout`, `io`, `body_too_large` or
    `other`."""

    kind: str = "other"


class CallCancelledError(AirbyteError):
    """The call was cancelled by the caller."""


class JobError(AirbyteError):
    """A job did not succeed; `report` says how it ended."""

    report: JobReport

    @property
    def job_id(self) -> int:
        return self.report.job_id


class JobFailedError(JobError):
    """The job failed; `report.failure_summary` says why when the API tells."""


class JobCancelledError(JobError):
    """The job was cancelled (by this wait or by someone else)."""


class JobTimeoutError(JobError):
    """The wait timed out; the job was cancelled on the server unless told otherwise."""
