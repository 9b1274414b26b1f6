"""`AirbyteHook`: an Airflow connection as an `airbyte_core` client."""

from __future__ import annotations

import json
import threading
from typing import Any, Dict, Mapping, Optional, Tuple, Union

from airbyte_core import (
    ApiError, AsyncClient, Client, ClientConfig, ClientCredentials, JobProgress, JobReport,
    public_api,
)
from airbyte_core.airflow._compat import BaseHook
from airbyte_core.transports import AsyncHttpxTransport, ThreadedTransport, UrllibTransport

#: Statuses after which a job does not change any more.
TERMINAL = ("succeeded", "failed", "cancelled")


def _proxies(extra: Mapping[str, Any]) -> Optional[Dict[str, str]]:
    proxies = extra.get("proxies")
    if not proxies:
        return None
    if isinstance(proxies, str):
        return {"http": proxies, "https": proxies}
    return {str(k): str(v) for k, v in dict(proxies).items()}


def client_config(host: Optional[str], port: Optional[int] = None) -> ClientConfig:
    """The roots for an Airflow connection's `host`: a public API root such as
    `https://api.airbyte.com/v1/` or `http://localhost:8000/api/public/v1/`, a Configuration API
    root, or a bare server URL."""
    text = (host or "").strip()
    if not text:
        return ClientConfig.cloud()
    if "://" not in text:
        text = f"http://{text}" + (f":{port}" if port else "")
    if "api.airbyte.com" in text.lower() or "cloud.airbyte.com" in text.lower():
        return ClientConfig.cloud()
    return ClientConfig.self_managed(text)


class AirbyteHook(BaseHook):
    """Talks to Airbyte through the Airflow connection `airbyte_conn_id`.

    Connection fields: `host` (server URL or public API root), `login` (client id, optional),
    `password` (client secret, optional), `schema` (token URL, default
    `<public root>/applications/token`; the legacy `v1/applications/token` works), extra
    `proxies` (a URL or `{scheme: url}`) and `request_timeout` (seconds, default 30). Without a
    client id and secret no token is requested. `api` picks the public API (default) or the
    Configuration API (`"config"`) for job calls.
    """

    conn_name_attr = "airbyte_conn_id"
    default_conn_name = "airbyte_default"
    conn_type = "airbyte_core"
    hook_name = "Airbyte (airbyte-core)"

    def __init__(self, airbyte_conn_id: str = default_conn_name, api: str = "public",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.airbyte_conn_id = airbyte_conn_id
        self.api = api

    @classmethod
    def get_ui_field_behaviour(cls) -> Dict[str, Any]:
        return {
            "hidden_fields": ["port"],
            "relabeling": {"host": "Server URL", "login": "Client ID (optional)",
                           "password": "Client Secret (optional)", "schema": "Token URL"},
            "placeholders": {"host": "https://api.airbyte.com/v1/",
                             "schema": "v1/applications/token"},
        }

    def _settings(self, connection: Any = None) -> Tuple[ClientConfig, Any, Dict[str, Any]]:
        connection = connection or self.get_connection(self.airbyte_conn_id)
        extra = connection.extra_dejson if hasattr(connection, "extra_dejson") else {}
        if isinstance(extra, str):
            extra = json.loads(extra or "{}")
        config = client_config(connection.host, connection.port).with_user_agent(
            "airbyte-core-airflow")
        credentials = None
        if connection.login and connection.password:
            credentials = ClientCredentials(connection.login, connection.password,
                                            connection.schema or None)
        return config, credentials, extra

    def get_client(self) -> Client:
        """A blocking client for the connection."""
        config, credentials, extra = self._settings()
        return Client(config, credentials=credentials,
                      transport=UrllibTransport(proxies=_proxies(extra)),
                      request_timeout=float(extra.get("request_timeout", 30)))

    def get_async_client(self, connection: Any = None) -> AsyncClient:
        """An asyncio client for the connection (httpx when installed, else a worker thread)."""
        config, credentials, extra = self._settings(connection)
        proxies = _proxies(extra)
        try:
            transport: Any = AsyncHttpxTransport(proxy=(proxies or {}).get("https"))
        except ImportError:
            transport = ThreadedTransport(UrllibTransport(proxies=proxies))
        return AsyncClient(config, credentials=credentials, transport=transport,
                           request_timeout=float(extra.get("request_timeout", 30)))

    def submit_job(self, connection_id: str, kind: str = "sync", attach: bool = False) -> JobProgress:
        """Starts a job on the connection and returns its id and first status."""
        with self.get_client() as client:
            return client.start_job(connection_id, kind=kind, api=self.api, attach=attach)

    def submit_sync_connection(self, connection_id: str) -> JobProgress:
        return self.submit_job(connection_id, "sync")

    def submit_reset_connection(self, connection_id: str) -> JobProgress:
        return self.submit_job(connection_id, "reset")

    def get_job_details(self, job_id: int) -> Dict[str, Any]:
        """The job as the public API describes it (`jobId`, `status`, `rowsSynced`, ...)."""
        with self.get_client() as client:
            return dict(client.send(public_api.get_job(int(job_id))))

    def get_job_status(self, job_id: int) -> str:
        return str(self.get_job_details(job_id)["status"])

    def cancel_job(self, job_id: int) -> Optional[Dict[str, Any]]:
        """Cancels a job; a job that has already ended (409) is not an error."""
        with self.get_client() as client:
            try:
                if self.api == "config":
                    return dict(client.call("config", "cancelJob", {"body": {"id": int(job_id)}}))
                return dict(client.send(public_api.cancel_job(int(job_id))))
            except ApiError as error:
                if error.status == 409:
                    self.log.info("job %s is not running any more: %s", job_id, error.reason)
                    return None
                raise

    def run_job(self, connection_id: str, *, kind: str = "sync", attach: bool = False,
                wait_seconds: float = 3, timeout: Optional[float] = 3600,
                cancel: Optional[threading.Event] = None,
                on_progress: Any = None) -> JobReport:
        """Starts a job and waits for it; see `Client.run_job`."""
        with self.get_client() as client:
            return client.run_job(connection_id, kind=kind, api=self.api, attach=attach,
                                  poll_interval=wait_seconds, timeout=timeout, cancel=cancel,
                                  on_progress=on_progress, check=False)

    def wait_for_job(self, job_id: Union[int, str], wait_seconds: float = 3,
                     timeout: Optional[float] = 3600,
                     cancel: Optional[threading.Event] = None) -> JobReport:
        """Waits for a job to end; the job is cancelled at the timeout. Raises `JobError`s."""
        with self.get_client() as client:
            return client.wait_job(int(job_id), api=self.api, poll_interval=wait_seconds,
                                   timeout=timeout, cancel=cancel)

    def test_connection(self) -> Tuple[bool, str]:
        try:
            with self.get_client() as client:
                client.call(self.api, "getHealthCheck", {})
            return True, "Connection successfully tested"
        except Exception as error:  # noqa: BLE001 - Airflow shows the message
            return False, str(error)
