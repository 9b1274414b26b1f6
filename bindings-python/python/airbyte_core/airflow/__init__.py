"""An Apache Airflow plugin on `airbyte_core` (install the `airflow` extra).

- `AirbyteHook` (`hooks`): an Airflow connection (host, login = client id, password = client
  secret, schema = token URL, `extra.proxies`) turned into a `Client` / `AsyncClient`;
- `AirbyteTriggerSyncOperator` (`operators`): starts a sync (or reset, refresh, clear) and
  waits for it, blocking, asynchronously (returns the job id), or deferred;
- `AirbyteJobSensor` (`sensors`): waits for a job, poking or deferred;
- `AirbyteSyncTrigger` (`triggers`): the deferred wait, on the async client.

Statuses map alike everywhere: `succeeded` succeeds; `failed` fails; `cancelled` fails as
cancelled; `pending`, `queued`, `running`, `incomplete` and unknown values keep waiting. A
timed-out or killed task cancels its job on the server.
"""

from __future__ import annotations

from typing import Any, Dict


def get_provider_info() -> Dict[str, Any]:
    """Registers the connection type with Airflow's providers manager."""
    return {
        "package-name": "airbyte-core",
        "name": "Airbyte (airbyte-core)",
        "description": "Airbyte syncs from Airflow on the airbyte-core client.",
        "versions": ["0.1.0"],
        "connection-types": [
            {"hook-class-name": "airbyte_core.airflow.hooks.AirbyteHook",
             "connection-type": "airbyte_core"},
        ],
    }
