"""Clients that send for you: `Client` (blocking) and `AsyncClient` (asyncio).

Both run the core's flows: tokens (client credentials exchanged, refreshed before expiry, one
replay after a 401), retries with backoff, every page of a list, and starting a job and waiting
for it. This module only carries requests to a transport and sleeps when told to.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from typing import (
    Any, AsyncIterator, Callable, Dict, Iterator, List, Optional, TypeVar, Union,
)

from airbyte_core import _native
from airbyte_core._native import ClientConfig, Task
from airbyte_core._operation import Operation, PagedOperation
from airbyte_core.errors import (
    InvalidInputError, JobCancelledError, JobError, JobFailedError, JobTimeoutError,
)
from airbyte_core.transports import (
    AsyncTransport, ThreadedTransport, Transport, TransportFailure, UrllibTransport,
)

__all__ = [
    "Client", "AsyncClient", "ClientCredentials", "BearerToken", "BasicAuth", "Credentials",
    "RetryPolicy", "JobProgress", "JobReport",
]

T = TypeVar("T")
Item = TypeVar("Item")

_log = logging.getLogger("airbyte_core.client")

#: How long an interrupted or cancelled flow may take to cancel its job on the server, seconds.
_WIND_DOWN = 30.0


class ClientCredentials:
    """An application's client id and secret, exchanged for short-lived access tokens.

    `token_url` is where: absolute, an absolute path on the public API's host, or a path
    relative to the public API root (`v1/applications/token`, as other clients write it, works
    too). By default `<public root>/applications/token`.
    """

    __slots__ = ("client_id", "client_secret", "token_url")

    def __init__(self, client_id: str, client_secret: str, token_url: Optional[str] = None) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url

    def __repr__(self) -> str:
        return (f"ClientCredentials(client_id={self.client_id!r}, client_secret=<redacted>, "
                f"token_url={self.token_url!r})")


class BearerToken:
    """An access token obtained elsewhere, sent as is."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "BearerToken(<redacted>)"


class BasicAuth:
    """HTTP Basic credentials, for deployments behind a proxy that asks for them."""

    __slots__ = ("username", "password")

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password=<redacted>)"


Credentials = Union[ClientCredentials, BearerToken, BasicAuth, None]


@dataclass(frozen=True)
class RetryPolicy:
    """When a call is repeated: statuses 408, 429 and 5xx (but 501) and lost connections, for
    operations that may be repeated; `Retry-After` is honoured up to `max_retry_after`."""

    max_attempts: int = 4
    initial_backoff: float = 0.5
    max_backoff: float = 30.0
    backoff_multiplier: float = 2.0
    jitter: float = 0.2
    max_elapsed: float = 120.0
    max_retry_after: float = 120.0

    @classmethod
    def none(cls) -> RetryPolicy:
        """Never retry."""
        return cls(max_attempts=1)


@dataclass(frozen=True)
class JobProgress:
    """The state of a job while it runs."""

    job_id: int
    status: str
    rows_synced: Optional[int] = None
    bytes_synced: Optional[int] = None

    @classmethod
    def _of(cls, data: Dict[str, Any]) -> JobProgress:
        return cls(data["job_id"], data["status"], data.get("rows_synced"), data.get("bytes_synced"))


@dataclass(frozen=True)
class JobReport:
    """How a job ended: `outcome` is `succeeded`, `failed`, `cancelled` or `timed_out`."""

    outcome: str
    job_id: int
    status: str
    rows_synced: Optional[int]
    bytes_synced: Optional[int]
    failure_summary: Optional[str]
    cancel_requested: bool
    attached: bool
    elapsed: float

    @classmethod
    def _of(cls, data: Dict[str, Any]) -> JobReport:
        progress = data["progress"]
        return cls(
            outcome=data["outcome"], job_id=progress["job_id"], status=progress["status"],
            rows_synced=progress.get("rows_synced"), bytes_synced=progress.get("bytes_synced"),
            failure_summary=data.get("failure_summary"),
            cancel_requested=data["cancel_requested"], attached=data["attached"],
            elapsed=data["elapsed_ms"] / 1000.0,
        )

    @property
    def succeeded(self) -> bool:
        return self.outcome == "succeeded"

    def raise_for_outcome(self) -> JobReport:
        """Returns the report when the job succeeded; raises the matching `JobError` otherwise."""
        if self.outcome == "succeeded":
            return self
        job = f"job {self.job_id}"
        error: JobError
        if self.outcome == "failed":
            why = f": {self.failure_summary}" if self.failure_summary else ""
            error = JobFailedError(f"{job} failed{why}", report=self)
        elif self.outcome == "cancelled":
            error = JobCancelledError(f"{job} was cancelled", report=self)
        else:
            cancelled = " and was cancelled" if self.cancel_requested else ""
            error = JobTimeoutError(
                f"{job} did not end within {self.elapsed:.0f} s (last status "
                f"`{self.status or 'unknown'}`){cancelled}", report=self)
        raise error


ProgressCallback = Callable[[JobProgress], None]


def _config(config: Union[ClientConfig, str, None]) -> ClientConfig:
    if config is None:
        return ClientConfig.cloud()
    if isinstance(config, str):
        text = config.strip()
        return ClientConfig.cloud() if text.lower() == "cloud" else ClientConfig.self_managed(text)
    return config


def _engine(
    config: Union[ClientConfig, str, None],
    credentials: Credentials,
    retry: Optional[RetryPolicy],
    request_timeout: Optional[float],
) -> _native.Engine:
    kwargs: Dict[str, Any] = {}
    if isinstance(credentials, ClientCredentials):
        kwargs.update(client_id=credentials.client_id, client_secret=credentials.client_secret,
                      token_url=credentials.token_url)
    elif isinstance(credentials, BearerToken):
        kwargs["bearer_token"] = credentials.token
    elif isinstance(credentials, BasicAuth):
        kwargs.update(username=credentials.username, password=credentials.password)
    elif credentials is not None:
        raise InvalidInputError(
            f"credentials must be ClientCredentials, BearerToken, BasicAuth or None, not "
            f"{type(credentials).__name__}")
    policy = retry if retry is not None else RetryPolicy()
    return _native.Engine(
        _config(config), **kwargs, max_attempts=policy.max_attempts,
        initial_backoff=policy.initial_backoff, max_backoff=policy.max_backoff,
        backoff_multiplier=policy.backoff_multiplier, jitter=policy.jitter,
        max_elapsed=policy.max_elapsed, max_retry_after=policy.max_retry_after,
        request_timeout=request_timeout,
    )


def _report(data: Any, check: bool) -> JobReport:
    report = JobReport._of(data)
    return report.raise_for_outcome() if check else report


class _Base:
    def __init__(
        self,
        config: Union[ClientConfig, str, None],
        credentials: Credentials,
        retry: Optional[RetryPolicy],
        request_timeout: Optional[float],
    ) -> None:
        self.engine = _engine(config, credentials, retry, request_timeout)

    @property
    def config(self) -> ClientConfig:
        """The roots of both APIs and the `User-Agent`."""
        return self.engine.config

    def _call_task(self, operation: Operation[Any]) -> Task:
        return self.engine.call(operation.api, operation.id, operation.input)

    def _pages_task(self, operation: Operation[Any], page_size: Optional[int]) -> Task:
        return self.engine.pages(operation.api, operation.id, operation.input, page_size)

    def _job_task(self, api: str, connection_id: Optional[str], job_id: Optional[int],
                  kind: str, attach: bool, poll_interval: float, timeout: Optional[float],
                  cancel_on_timeout: bool) -> Task:
        if connection_id is not None:
            return self.engine.run_job(api, str(connection_id), kind, attach, poll_interval,
                                       timeout, cancel_on_timeout)
        assert job_id is not None
        return self.engine.wait_job(api, job_id, poll_interval, timeout, cancel_on_timeout)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(public_root={self.config.public_root!r})"


class Client(_Base):
    """Sends requests with a blocking transport and runs the core's flows.

    `config` is a `ClientConfig`, a server URL (`http://localhost:8000`) or `"cloud"` (the
    default). With no `transport`, the standard library's is used.
    """

    def __init__(
        self,
        config: Union[ClientConfig, str, None] = None,
        *,
        credentials: Credentials = None,
        transport: Optional[Transport] = None,
        retry: Optional[RetryPolicy] = None,
        request_timeout: Optional[float] = 30.0,
    ) -> None:
        super().__init__(config, credentials, retry, request_timeout)
        self.transport: Transport = transport if transport is not None else UrllibTransport()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the transport."""
        self.transport.close()

    def _step(self, task: Task, step: Any, cancel: Optional[threading.Event]) -> None:
        if step[0] == "send":
            request = step[1]
            _log.debug("sending %s %s", request.method, request.url)
            try:
                response = self.transport.send(request, step[2])
            except TransportFailure as failure:
                _log.debug("%s %s: no response (%s)", request.method, request.url, failure.kind)
                task.on_transport_error(failure.kind, str(failure))
                return
            task.on_response(response.status, response.headers, response.body)
        elif step[0] == "sleep":
            if cancel is not None:
                cancel.wait(step[1])
            else:
                time.sleep(step[1])

    def _run(self, task: Task, on_progress: Optional[ProgressCallback] = None,
             cancel: Optional[threading.Event] = None) -> Any:
        cancelled = False
        in_flight = False
        try:
            while True:
                if cancel is not None and not cancelled and cancel.is_set():
                    cancelled = True
                    task.cancel()
                step = task.poll()
                if step[0] == "done":
                    return step[1]
                if step[0] == "progress":
                    if on_progress is not None:
                        on_progress(JobProgress._of(step[1]))
                else:
                    in_flight = step[0] == "send"
                    self._step(task, step, cancel)
                    in_flight = False
        except KeyboardInterrupt:
            if not task.done:
                self._wind_down(task, in_flight)
            raise

    def _wind_down(self, task: Task, in_flight: bool) -> None:
        """After an interrupt: cancel what runs on the server (a job), within `_WIND_DOWN`."""
        if in_flight:
            task.on_transport_error("io", "interrupted before the response came")
        task.cancel()
        until = time.monotonic() + _WIND_DOWN
        try:
            while time.monotonic() < until:
                step = task.poll()
                if step[0] == "done":
                    return
                if step[0] == "send":
                    self._step(task, step, None)
                elif step[0] == "sleep":
                    time.sleep(min(step[1], max(0.0, until - time.monotonic())))
        except Exception as error:  # noqa: BLE001 - the interrupt is what matters
            _log.debug("cancelling after an interrupt failed: %s", error)

    def send(self, operation: Operation[T]) -> T:
        """Sends `operation` (tokens and retries included) and returns the parsed result."""
        return self._run(self._call_task(operation))

    def call(self, api: str, operation_id: str, input: Optional[Dict[str, Any]] = None) -> Any:
        """Calls an operation by id (`"public"` or `"config"`), with input under spec names."""
        return self.send(Operation(api, operation_id, dict(input or {})))

    def pages(self, operation: PagedOperation[Any, Item], *,
              page_size: Optional[int] = None) -> Iterator[List[Item]]:
        """The items of every page of a list operation, one list per page, fetched lazily."""
        task = self._pages_task(operation, page_size)
        while True:
            step = task.poll()
            if step[0] == "done":
                return
            if step[0] == "page":
                if step[1]:  # a list may end with an empty page
                    yield step[1]
            else:
                self._step(task, step, None)

    def iterate(self, operation: PagedOperation[Any, Item], *,
                page_size: Optional[int] = None) -> Iterator[Item]:
        """Every item of a list operation, across pages, fetched lazily."""
        for page in self.pages(operation, page_size=page_size):
            yield from page

    def run_job(
        self,
        connection_id: str,
        *,
        kind: str = "sync",
        api: str = "public",
        attach: bool = False,
        poll_interval: float = 5.0,
        timeout: Optional[float] = 3600.0,
        cancel_on_timeout: bool = True,
        on_progress: Optional[ProgressCallback] = None,
        cancel: Optional[threading.Event] = None,
        check: bool = True,
    ) -> JobReport:
        """Starts a job (`sync`, `reset`, `refresh`, `clear`) and waits for it to end.

        With `attach`, a job already running for the connection is waited for instead of
        raising `SyncAlreadyRunningError`. At `timeout` (seconds, `None` for ever) the job is
        cancelled on the server unless `cancel_on_timeout` is false; setting `cancel` (or an
        interrupt) cancels it too. With `check`, a job that did not succeed raises the matching
        `JobError`; otherwise the report is returned whatever the outcome.
        """
        task = self._job_task(api, connection_id, None, kind, attach, poll_interval, timeout,
                              cancel_on_timeout)
        return _report(self._run(task, on_progress, cancel), check)

    def wait_job(
        self,
        job_id: int,
        *,
        api: str = "public",
        poll_interval: float = 5.0,
        timeout: Optional[float] = 3600.0,
        cancel_on_timeout: bool = True,
        on_progress: Optional[ProgressCallback] = None,
        cancel: Optional[threading.Event] = None,
        check: bool = True,
    ) -> JobReport:
        """Waits for an existing job to end; see `run_job`."""
        task = self._job_task(api, None, job_id, "sync", False, poll_interval, timeout,
                              cancel_on_timeout)
        return _report(self._run(task, on_progress, cancel), check)

    def start_job(self, connection_id: str, *, kind: str = "sync", api: str = "public",
                  attach: bool = False) -> JobProgress:
        """Starts a job and returns at once with its id and first status."""
        # A wait with no time and no cancel at its end stops right after the start (or the
        # attach), with the core's handling of "already running" and of both APIs.
        task = self._job_task(api, connection_id, None, kind, attach, 0.0, 0.0, False)
        report = JobReport._of(self._run(task))
        return JobProgress(report.job_id, report.status, report.rows_synced, report.bytes_synced)


class AsyncClient(_Base):
    """The asyncio twin of `Client`. With no `transport`, `httpx` is used when installed, else
    the standard library's transport in a worker thread; the event loop is never blocked."""

    def __init__(
        self,
        config: Union[ClientConfig, str, None] = None,
        *,
        credentials: Credentials = None,
        transport: Optional[AsyncTransport] = None,
        retry: Optional[RetryPolicy] = None,
        request_timeout: Optional[float] = 30.0,
    ) -> None:
        super().__init__(config, credentials, retry, request_timeout)
        if transport is None:
            try:
                from airbyte_core.transports import AsyncHttpxTransport

                transport = AsyncHttpxTransport()
            except ImportError:
                transport = ThreadedTransport()
        self.transport: AsyncTransport = transport

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the transport."""
        await self.transport.aclose()

    async def _step(self, task: Task, step: Any) -> None:
        if step[0] == "send":
            request = step[1]
            _log.debug("sending %s %s", request.method, request.url)
            try:
                response = await self.transport.send(request, step[2])
            except TransportFailure as failure:
                _log.debug("%s %s: no response (%s)", request.method, request.url, failure.kind)
                task.on_transport_error(failure.kind, str(failure))
                return
            task.on_response(response.status, response.headers, response.body)
        elif step[0] == "sleep":
            await asyncio.sleep(step[1])

    async def _run(self, task: Task, on_progress: Optional[ProgressCallback] = None) -> Any:
        in_flight = False
        try:
            while True:
                step = task.poll()
                if step[0] == "done":
                    return step[1]
                if step[0] == "progress":
                    if on_progress is not None:
                        on_progress(JobProgress._of(step[1]))
                else:
                    in_flight = step[0] == "send"
                    await self._step(task, step)
                    in_flight = False
        except asyncio.CancelledError:
            if not task.done:
                # Cancelled (a task timeout, a killed trigger): cancel a job on the server too.
                await self._wind_down(task, in_flight)
            raise

    async def _wind_down(self, task: Task, in_flight: bool) -> None:
        if in_flight:
            task.on_transport_error("io", "cancelled before the response came")
        task.cancel()
        until = time.monotonic() + _WIND_DOWN
        try:
            while time.monotonic() < until:
                step = task.poll()
                if step[0] == "done":
                    return
                if step[0] == "send":
                    await asyncio.wait_for(self._step(task, step), until - time.monotonic())
                elif step[0] == "sleep":
                    await asyncio.sleep(min(step[1], max(0.0, until - time.monotonic())))
        except (Exception, asyncio.CancelledError) as error:  # noqa: BLE001
            _log.debug("cancelling after a cancellation failed: %r", error)

    async def send(self, operation: Operation[T]) -> T:
        """Sends `operation` (tokens and retries included) and returns the parsed result."""
        return await self._run(self._call_task(operation))

    async def call(self, api: str, operation_id: str,
                   input: Optional[Dict[str, Any]] = None) -> Any:
        """Calls an operation by id (`"public"` or `"config"`), with input under spec names."""
        return await self.send(Operation(api, operation_id, dict(input or {})))

    async def pages(self, operation: PagedOperation[Any, Item], *,
                    page_size: Optional[int] = None) -> AsyncIterator[List[Item]]:
        """The items of every page of a list operation, one list per page, fetched lazily."""
        task = self._pages_task(operation, page_size)
        while True:
            step = task.poll()
            if step[0] == "done":
                return
            if step[0] == "page":
                if step[1]:  # a list may end with an empty page
                    yield step[1]
            else:
                await self._step(task, step)

    async def iterate(self, operation: PagedOperation[Any, Item], *,
                      page_size: Optional[int] = None) -> AsyncIterator[Item]:
        """Every item of a list operation, across pages, fetched lazily."""
        async for page in self.pages(operation, page_size=page_size):
            for item in page:
                yield item

    async def run_job(
        self,
        connection_id: str,
        *,
        kind: str = "sync",
        api: str = "public",
        attach: bool = False,
        poll_interval: float = 5.0,
        timeout: Optional[float] = 3600.0,
        cancel_on_timeout: bool = True,
        on_progress: Optional[ProgressCallback] = None,
        check: bool = True,
    ) -> JobReport:
        """Starts a job and waits for it to end; cancelling the awaiting task cancels the job
        on the server. See `Client.run_job`."""
        task = self._job_task(api, connection_id, None, kind, attach, poll_interval, timeout,
                              cancel_on_timeout)
        return _report(await self._run(task, on_progress), check)

    async def wait_job(
        self,
        job_id: int,
        *,
        api: str = "public",
        poll_interval: float = 5.0,
        timeout: Optional[float] = 3600.0,
        cancel_on_timeout: bool = True,
        on_progress: Optional[ProgressCallback] = None,
        check: bool = True,
    ) -> JobReport:
        """Waits for an existing job to end; see `Client.run_job`."""
        task = self._job_task(api, None, job_id, "sync", False, poll_interval, timeout,
                              cancel_on_timeout)
        return _report(await self._run(task, on_progress), check)

    async def start_job(self, connection_id: str, *, kind: str = "sync", api: str = "public",
                        attach: bool = False) -> JobProgress:
        """Starts a job and returns at once with its id and first status (see `Client`)."""
        task = self._job_task(api, connection_id, None, kind, attach, 0.0, 0.0, False)
        report = JobReport._of(await self._run(task))
        return JobProgress(report.job_id, report.status, report.rows_synced, report.bytes_synced)
