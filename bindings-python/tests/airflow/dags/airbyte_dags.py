"""DAGs that exercise the Airflow plugin against the stand-in server. Each ends in success only
when its scenario behaved as it should: a last task checks the outcome, and runs whatever the
task before it did (`trigger_rule="all_done"`), so a failure that should not have happened, or a
success that should not have, fails the DAG run. The stand-in's slow connection runs its jobs
until they are cancelled (see the test)."""

from __future__ import annotations

import json
import os
import urllib.request
from datetime import datetime, timedelta

from airflow.sdk import DAG, task

from airbyte_core.airflow.hooks import AirbyteHook
from airbyte_core.airflow.operators import AirbyteTriggerSyncOperator
from airbyte_core.airflow.sensors import AirbyteJobSensor

OK = "c0000000-0000-4000-8000-000000000001"
FAILING = "c0000000-0000-4000-8000-000000000002"
SLOW = "c0000000-0000-4000-8000-000000000003"
START = datetime(2026, 1, 1)


def standin_requests() -> list:
    with urllib.request.urlopen(f"{os.environ['STANDIN_URL']}/_standin/requests") as response:
        return json.loads(response.read())["requests"]


with DAG("airbyte_sync_success", start_date=START, schedule=None, catchup=False):
    sync = AirbyteTriggerSyncOperator(task_id="sync", connection_id=OK, wait_seconds=0.05)

    @task
    def check_success(ti=None) -> None:
        job = ti.xcom_pull(task_ids="sync", key="job")
        assert job["outcome"] == "succeeded" and job["rows_synced"] > 0, job
        assert ti.xcom_pull(task_ids="sync") == job["job_id"]

    sync >> check_success()


with DAG("airbyte_job_failure", start_date=START, schedule=None, catchup=False):
    failing = AirbyteTriggerSyncOperator(task_id="sync", connection_id=FAILING, wait_seconds=0.05,
                                         retries=0)

    @task(trigger_rule="all_done")
    def check_failure(ti=None) -> None:
        job = ti.xcom_pull(task_ids="sync", key="job")
        assert job["outcome"] == "failed", job
        assert AirbyteHook().get_job_status(job["job_id"]) == "failed"

    failing >> check_failure()


with DAG("airbyte_timeout_cancel", start_date=START, schedule=None, catchup=False):
    slow = AirbyteTriggerSyncOperator(task_id="sync", connection_id=SLOW, wait_seconds=0.05,
                                      timeout=1, retries=0)

    @task(trigger_rule="all_done")
    def check_cancelled(ti=None) -> None:
        job = ti.xcom_pull(task_ids="sync", key="job")
        assert job["outcome"] == "timed_out", job
        assert AirbyteHook().get_job_status(job["job_id"]) == "cancelled"
        deletes = [r for r in standin_requests()
                   if r["method"] == "DELETE" and r["path"].endswith(f"/jobs/{job['job_id']}")]
        assert len(deletes) == 1, deletes

    slow >> check_cancelled()


with DAG("airbyte_deferrable", start_date=START, schedule=None, catchup=False):
    deferred = AirbyteTriggerSyncOperator(task_id="sync", connection_id=OK, deferrable=True,
                                          poll_interval=0.1)
    started = AirbyteTriggerSyncOperator(task_id="start", connection_id=OK, asynchronous=True,
                                         trigger_rule="all_done")
    sensor = AirbyteJobSensor(task_id="wait", airbyte_job_id=started.output, deferrable=True,
                              poke_interval=0.1, timeout=60)

    @task
    def check_deferred(ti=None) -> None:
        for task_id in ("sync", "start"):
            job_id = ti.xcom_pull(task_ids=task_id)
            assert AirbyteHook().get_job_status(job_id) == "succeeded", (task_id, job_id)

    deferred >> started >> sensor >> check_deferred()


with DAG("airbyte_deferrable_timeout", start_date=START, schedule=None, catchup=False):
    deferred_slow = AirbyteTriggerSyncOperator(
        task_id="sync", connection_id=SLOW, deferrable=True, poll_interval=0.1, timeout=1,
        execution_timeout=timedelta(seconds=30), retries=0)

    @task(trigger_rule="all_done")
    def check_deferred_cancelled() -> None:
        deletes = [r for r in standin_requests() if r["method"] == "DELETE"]
        assert len(deletes) == 1, deletes
        job_id = int(deletes[0]["path"].rsplit("/", 1)[1])
        assert AirbyteHook().get_job_status(job_id) == "cancelled"

    deferred_slow >> check_deferred_cancelled()


with DAG("airbyte_kill_cancel", start_date=START, schedule=None, catchup=False):
    killed = AirbyteTriggerSyncOperator(task_id="sync", connection_id=SLOW, wait_seconds=0.05,
                                        execution_timeout=timedelta(seconds=2), retries=0)

    @task(trigger_rule="all_done")
    def check_killed() -> None:
        deletes = [r for r in standin_requests() if r["method"] == "DELETE"]
        assert len(deletes) == 1, deletes
        job_id = int(deletes[0]["path"].rsplit("/", 1)[1])
        assert AirbyteHook().get_job_status(job_id) == "cancelled"

    killed >> check_killed()
