"""The Airflow plugin inside a real Apache Airflow installation: every DAG of `dags/` run with
`airflow dags test` (which runs `dag.test()`, triggers included) against the stand-in server.

Run with the Airflow virtualenv's Python (`tests/run-all` creates it); skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator

import importlib.util

import pytest

if importlib.util.find_spec("airflow") is None:
    pytest.skip("Apache Airflow is not installed here", allow_module_level=True)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from conftest import CLIENT_ID, CLIENT_SECRET, Standin  # noqa: E402

AIRFLOW = str(Path(sys.executable).with_name("airflow"))


@pytest.fixture(scope="module")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, str]]:
    home = tmp_path_factory.mktemp("airflow_home")
    shutil.copytree(HERE / "dags", home / "dags")
    standin = Standin()
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "STANDIN_URL": standin.base_url,
        "AIRFLOW_CONN_AIRBYTE_DEFAULT": json.dumps({
            "conn_type": "airbyte_core", "host": f"{standin.base_url}/api/public/v1/",
            "login": CLIENT_ID, "password": CLIENT_SECRET,
            "schema": "/api/public/v1/applications/token",
        }),
    })
    for command in (["db", "migrate"], ["dags", "reserialize"]):
        done = subprocess.run([AIRFLOW, *command], env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    env["STANDIN"] = "1"
    yield env
    standin.stop()


DAGS = ["airbyte_sync_success", "airbyte_job_failure", "airbyte_timeout_cancel",
        "airbyte_deferrable", "airbyte_deferrable_timeout", "airbyte_kill_cancel"]


@pytest.mark.parametrize("dag_id", DAGS)
def test_dag(airflow_env: Dict[str, str], dag_id: str) -> None:
    standin_url = airflow_env["STANDIN_URL"]
    server = Standin.__new__(Standin)  # the module's server, reached by its URL
    server.base_url = standin_url
    server.reset()
    done = subprocess.run([AIRFLOW, "dags", "test", dag_id], env=airflow_env,
                          capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "state=success" in output.replace("DagRunState.SUCCESS", "success") or \
        "state=success" in output, output[-6000:]
    assert CLIENT_SECRET not in output
