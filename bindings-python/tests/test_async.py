"""The asyncio client: the same flows, never blocking the event loop; cancellation of the
awaiting task cancels a job on the server."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from airbyte_core import AsyncClient, ClientCredentials, JobFailedError, public_api
from airbyte_core.transports import AsyncHttpxTransport, ThreadedTransport

from conftest import (
    ANALYTICS_WORKSPACE, CLIENT_ID, CLIENT_SECRET, FAILING_CONNECTION, OK_CONNECTION,
    SLOW_CONNECTION, Standin,
)

TRANSPORTS = [pytest.param(AsyncHttpxTransport, id="httpx"),
              pytest.param(ThreadedTransport, id="threaded-urllib")]


def client_for(standin: Standin, transport: Any) -> AsyncClient:
    return AsyncClient(standin.base_url, credentials=ClientCredentials(CLIENT_ID, CLIENT_SECRET),
                       transport=transport())


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_async_calls_pages_and_jobs(standin: Standin, transport: Any) -> None:
    async def main() -> None:
        async with client_for(standin, transport) as client:
            job = await client.send(public_api.get_job(1))
            assert job["status"] == "succeeded"
            names = [c["name"] async for c in client.iterate(
                public_api.list_connections(workspace_ids=[ANALYTICS_WORKSPACE]), page_size=4)]
            assert len(names) == 15
            report = await client.run_job(OK_CONNECTION, poll_interval=0.01)
            assert report.succeeded
            with pytest.raises(JobFailedError):
                await client.run_job(FAILING_CONNECTION, poll_interval=0.01)

    asyncio.run(main())


def test_the_event_loop_keeps_running_while_waiting(standin: Standin) -> None:
    async def main() -> int:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.005)

        background = asyncio.ensure_future(ticker())
        async with client_for(standin, AsyncHttpxTransport) as client:
            await client.run_job(OK_CONNECTION, poll_interval=0.05)
        background.cancel()
        return ticks

    assert asyncio.run(main()) >= 10


def test_cancelling_the_awaiting_task_cancels_the_job(standin: Standin) -> None:
    async def main() -> None:
        async with client_for(standin, AsyncHttpxTransport) as client:
            waiting = asyncio.ensure_future(client.run_job(SLOW_CONNECTION, poll_interval=0.01))
            await asyncio.sleep(0.3)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting

    asyncio.run(main())
    cancels = [r for r in standin.requests("/api/public/v1/jobs/") if r["method"] == "DELETE"]
    assert len(cancels) == 1


def test_cancelling_while_a_request_hangs_still_cancels_the_job(standin: Standin) -> None:
    async def main() -> float:
        async with client_for(standin, AsyncHttpxTransport) as client:
            started = await client.start_job(SLOW_CONNECTION)
            standin.faults({"match": {"method": "GET", "path_prefix": "/api/public/v1/jobs/"},
                            "kind": {"delay_ms": 3000}})
            waiting = asyncio.ensure_future(client.wait_job(started.job_id, poll_interval=0.01))
            await asyncio.sleep(0.3)  # the first status request is out and hangs
            began = time.monotonic()
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            return time.monotonic() - began

    assert asyncio.run(main()) < 2.5
    cancels = [r for r in standin.requests("/api/public/v1/jobs/") if r["method"] == "DELETE"]
    assert len(cancels) == 1
