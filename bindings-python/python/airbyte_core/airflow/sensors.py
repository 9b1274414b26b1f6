"""`AirbyteJobSensor`: waits for an Airbyte job, poking or deferred."""

from __future__ import annotations

import time
from typing import Any, Dict, Sequence

from airbyte_core.airflow._compat import AirflowException, BaseSensorOperator
from airbyte_core.airflow.hooks import AirbyteHook
from airbyte_core.airflow.triggers import AirbyteSyncTrigger


class AirbyteJobSensor(BaseSensorOperator):
    """Waits for job `airbyte_job_id`: succeeds when it succeeded, fails when it failed or was
    cancelled, keeps waiting otherwise (`pending`, `queued`, `running`, `incomplete`, unknown)."""

    template_fields: Sequence[str] = ("airbyte_job_id", "airbyte_conn_id")

    def __init__(self, *, airbyte_job_id: int, airbyte_conn_id: str = "airbyte_default",
                 deferrable: bool = False, api_version: str = "v1", api: str = "public",
                 **kwargs: Any) -> None:
        if deferrable:
            kwargs.setdefault("poke_interval", 5)
            kwargs.setdefault("timeout", 60 * 60 * 24 * 7)
        super().__init__(**kwargs)
        self.airbyte_job_id = airbyte_job_id
        self.airbyte_conn_id = airbyte_conn_id
        self.deferrable = deferrable
        self.api_version = api_version
        self.api = api

    def _status(self) -> str:
        return AirbyteHook(self.airbyte_conn_id, api=self.api).get_job_status(
            int(self.airbyte_job_id))

    def poke(self, context: Dict[str, Any]) -> bool:
        status = self._status()
        if status == "failed":
            raise AirflowException(f"job {self.airbyte_job_id} failed")
        if status == "cancelled":
            raise AirflowException(f"job {self.airbyte_job_id} was cancelled")
        self.log.info("job %s: %s", self.airbyte_job_id, status)
        return status == "succeeded"

    def execute(self, context: Dict[str, Any]) -> Any:
        if not self.deferrable:
            return super().execute(context)
        if self.poke(context):
            return None
        self.defer(
            trigger=AirbyteSyncTrigger(job_id=int(self.airbyte_job_id),
                                       conn_id=self.airbyte_conn_id,
                                       end_time=time.time() + float(self.timeout),
                                       poll_interval=float(self.poke_interval), api=self.api),
            method_name="execute_complete",
        )

    def execute_complete(self, context: Dict[str, Any], event: Dict[str, Any]) -> None:
        if event.get("status") == "success":
            self.log.info("%s", event.get("message"))
            return None
        raise AirflowException(str(event.get("message", event)))
