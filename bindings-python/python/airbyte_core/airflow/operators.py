"""`AirbyteTriggerSyncOperator`: starts a sync (or reset, refresh, clear) and waits for it."""

from __future__ import annotations

import threading
import time
from typing import Any, Dict, Optional, Sequence

from airbyte_core import JobProgress, JobReport
from airbyte_core.airflow._compat import AirflowException, BaseOperator
from airbyte_core.airflow.hooks import TERMINAL, AirbyteHook
from airbyte_core.airflow.triggers import AirbyteSyncTrigger


def _fail_for(report: JobReport) -> None:
    try:
        report.raise_for_outcome()
    except Exception as error:
        raise AirflowException(str(error)) from error


class AirbyteTriggerSyncOperator(BaseOperator):
    """Starts a job on Airbyte connection `connection_id` and returns its id.

    - blocking (default): waits, polling every `wait_seconds`, up to `timeout` seconds (then the
      job is cancelled and the task fails);
    - `asynchronous=True`: returns the job id at once, for `AirbyteJobSensor`;
    - `deferrable=True`: waits in the triggerer (`AirbyteSyncTrigger`, polling every
      `poll_interval`); at `execution_timeout` the job is cancelled.

    `job_type` is `sync`, `reset`, `refresh` or `clear`; with `attach`, a job already running
    for the connection is waited for instead of failing. Killing the task cancels the job.
    XComs: the job id as return value, and `job` (status, rows and bytes synced, duration).
    """

    template_fields: Sequence[str] = ("connection_id",)
    ui_color = "#6C5AF6"

    def __init__(
        self,
        *,
        connection_id: str,
        airbyte_conn_id: str = "airbyte_default",
        asynchronous: bool = False,
        deferrable: bool = False,
        api_version: str = "v1",
        wait_seconds: float = 3,
        timeout: Optional[float] = 3600,
        poll_interval: float = 60,
        job_type: str = "sync",
        attach: bool = False,
        api: str = "public",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.connection_id = connection_id
        self.airbyte_conn_id = airbyte_conn_id
        self.asynchronous = asynchronous
        self.deferrable = deferrable
        self.api_version = api_version
        self.wait_seconds = wait_seconds
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.job_type = job_type
        self.attach = attach
        self.api = api
        self.job_id: Optional[int] = None
        self._cancel = threading.Event()

    def _hook(self) -> AirbyteHook:
        return AirbyteHook(airbyte_conn_id=self.airbyte_conn_id, api=self.api)

    def _publish(self, context: Dict[str, Any], report: JobReport) -> None:
        ti = context.get("ti")
        if ti is not None:
            ti.xcom_push(key="job", value={
                "job_id": report.job_id, "status": report.status, "outcome": report.outcome,
                "rows_synced": report.rows_synced, "bytes_synced": report.bytes_synced,
                "duration": report.elapsed,
            })

    def execute(self, context: Dict[str, Any]) -> int:
        hook = self._hook()
        if self.asynchronous or self.deferrable:
            started = hook.submit_job(self.connection_id, self.job_type, self.attach)
            self.job_id = started.job_id
            self.log.info("started job %s (%s)", started.job_id, started.status)
            if self.asynchronous:
                return started.job_id
            if started.status in TERMINAL:
                if started.status != "succeeded":
                    raise AirflowException(f"job {started.job_id} {started.status}")
                return started.job_id
            now = time.time()
            execution_timeout = self.execution_timeout
            self.defer(
                trigger=AirbyteSyncTrigger(
                    job_id=started.job_id, conn_id=self.airbyte_conn_id,
                    end_time=now + (self.timeout if self.timeout is not None else 10 ** 9),
                    poll_interval=self.poll_interval, api=self.api,
                    execution_deadline=(now + execution_timeout.total_seconds()
                                        if execution_timeout else None)),
                method_name="execute_complete",
            )

        def on_progress(progress: JobProgress) -> None:
            self.job_id = progress.job_id
            self.log.info("job %s: %s (rows %s)", progress.job_id, progress.status,
                          progress.rows_synced)

        report = hook.run_job(self.connection_id, kind=self.job_type, attach=self.attach,
                              wait_seconds=self.wait_seconds, timeout=self.timeout,
                              cancel=self._cancel, on_progress=on_progress)
        self.job_id = report.job_id
        self._publish(context, report)
        _fail_for(report)
        return report.job_id

    def execute_complete(self, context: Dict[str, Any], event: Dict[str, Any]) -> int:
        job_id = int(event["job_id"])
        status = event.get("status")
        if status == "success":
            self.log.info("%s", event.get("message"))
            return job_id
        if status == "timeout":
            self._hook().cancel_job(job_id)
        raise AirflowException(str(event.get("message", f"job {job_id}: {status}")))

    def on_kill(self) -> None:
        self._cancel.set()
        if self.job_id is not None:
            self.log.info("cancelling job %s", self.job_id)
            try:
                self._hook().cancel_job(self.job_id)
            except Exception as error:  # noqa: BLE001 - killing goes on regardless
                self.log.warning("could not cancel job %s: %s", self.job_id, error)
