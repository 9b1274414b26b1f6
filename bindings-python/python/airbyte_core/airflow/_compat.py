"""Airflow 3's task SDK names, with the Airflow 2 ones as a fallback."""

from __future__ import annotations

try:  # Airflow 3
    from airflow.sdk import BaseHook, BaseOperator, BaseSensorOperator
    from airflow.sdk.exceptions import AirflowException
except ImportError:  # Airflow 2
    from airflow.exceptions import AirflowException  # type: ignore[no-redef,unused-ignore]
    from airflow.hooks.base import BaseHook  # type: ignore[no-redef,unused-ignore]
    from airflow.models import BaseOperator  # type: ignore[no-redef,unused-ignore]
    from airflow.sensors.base import BaseSensorOperator  # type: ignore[no-redef,unused-ignore]

from airflow.triggers.base import BaseTrigger, TriggerEvent

__all__ = ["AirflowException", "BaseHook", "BaseOperator", "BaseSensorOperator", "BaseTrigger",
           "TriggerEvent"]
