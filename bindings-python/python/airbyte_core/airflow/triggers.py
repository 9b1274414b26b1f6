"""`AirbyteSyncTrigger`: waits for a job in the triggerer, on the async client."""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator, Dict, Optional, Tuple

from airbyte_core.airflow._compat import BaseTrigger, TriggerEvent


class AirbyteSyncTrigger(BaseTrigger):
    """Polls job `job_id` every `poll_interval` seconds until it ends or the earlier of `end_time`
    and `execution_deadline` (Unix times) passes (`timeout`: the operator then cancels the job;
    a sensor fails). Events: `{"status": "success" | "error" | "cancelled" | "timeout",
    "message", "job_id"}`.
    The status mapping and retries of failed polls are the core's; nothing here blocks the loop.
    """

    def __init__(self, job_id: int, conn_id: str, end_time: float, poll_interval: float = 60,
                 execution_deadline: Optional[float] = None, api: str = "public") -> None:
        super().__init__()
        self.job_id = int(job_id)
        self.conn_id = conn_id
        self.end_time = float(end_time)
        self.poll_interval = float(poll_interval)
        self.execution_deadline = None if execution_deadline is None else float(execution_deadline)
        self.api = api

    def serialize(self) -> Tuple[str, Dict[str, Any]]:
        return ("airbyte_core.airflow.triggers.AirbyteSyncTrigger", {
            "job_id": self.job_id, "conn_id": self.conn_id, "end_time": self.end_time,
            "poll_interval": self.poll_interval,
            "execution_deadline": self.execution_deadline, "api": self.api,
        })

    async def _client(self) -> Any:
        from airbyte_core.airflow.hooks import AirbyteHook

        hook = AirbyteHook(airbyte_conn_id=self.conn_id, api=self.api)
        loop = asyncio.get_running_loop()
        # Reading the connection may block (a secrets backend, the API server): not on the loop.
        connection = await loop.run_in_executor(None, hook.get_connection, self.conn_id)
        return hook.get_async_client(connection)

    async def run(self) -> AsyncIterator[TriggerEvent]:
        job = {"job_id": self.job_id}
        deadline = self.end_time
        if self.execution_deadline is not None:
            deadline = min(deadline, self.execution_deadline)
        try:
            client = await self._client()
            async with client:
                report = await client.wait_job(
                    self.job_id, api=self.api, poll_interval=self.poll_interval,
                    timeout=max(0.0, deadline - time.time()), cancel_on_timeout=False,
                    check=False)
        except Exception as error:  # noqa: BLE001 - reported to the operator
            yield TriggerEvent({"status": "error", "message": str(error), **job})
            return
        if report.outcome == "succeeded":
            yield TriggerEvent({"status": "success",
                                "message": f"job {self.job_id} succeeded", **job})
        elif report.outcome == "cancelled":
            yield TriggerEvent({"status": "cancelled",
                                "message": f"job {self.job_id} was cancelled", **job})
        elif report.outcome == "failed":
            summary = f": {report.failure_summary}" if report.failure_summary else ""
            yield TriggerEvent({"status": "error",
                                "message": f"job {self.job_id} failed{summary}", **job})
        else:
            yield TriggerEvent({
                "status": "timeout", **job,
                "message": f"job {self.job_id} did not end in time (last status "
                           f"`{report.status or 'unknown'}`)",
            })
