"""Fixtures: the stand-in Airbyte server (`tests/standin`, started once per session and reset
before each test that uses it) and clients pointed at it."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Iterator, List, Optional

import pytest

import airbyte_core

WORKSPACE = Path(__file__).resolve().parents[2]
VECTORS = WORKSPACE / "tests" / "vectors"

CLIENT_ID = "standin-client"
CLIENT_SECRET = "standin-secret"
OK_CONNECTION = "c0000000-0000-4000-8000-000000000001"
FAILING_CONNECTION = "c0000000-0000-4000-8000-000000000002"
SLOW_CONNECTION = "c0000000-0000-4000-8000-000000000003"
ANALYTICS_WORKSPACE = "0b000000-0000-4000-8000-000000000001"


def standin_binary() -> Path:
    given = os.environ.get("AIRBYTE_STANDIN")
    if given:
        return Path(given)
    binary = WORKSPACE / "target" / "debug" / "airbyte-standin"
    if not binary.exists():
        subprocess.run(["cargo", "build", "--quiet", "-p", "airbyte-standin"], cwd=WORKSPACE,
                       check=True)
    return binary


class Standin:
    """A running stand-in server and its `/_standin` controls."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(standin_binary())], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith("listening on "), line
        self.base_url = line[len("listening on "):]
        self.public_root = f"{self.base_url}/api/public/v1"

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base_url}/_standin/{path}", data=data, method=method,
            headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def reset(self) -> None:
        """Seeded data back; jobs of the slow connection run until cancelled, so that tests
        that time out or cancel do not race with their end."""
        self.control("POST", "reset")
        self.control("POST", "config", {"slow_running_polls": 1_000_000})

    def faults(self, *faults: Any) -> None:
        self.control("POST", "faults", list(faults))

    def requests(self, path_prefix: str = "") -> List[Any]:
        log = self.control("GET", "requests")["requests"]
        return [r for r in log if r["path"].startswith(path_prefix)]

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture(scope="session")
def standin_server() -> Iterator[Standin]:
    server = Standin()
    yield server
    server.stop()


@pytest.fixture
def standin(standin_server: Standin) -> Standin:
    standin_server.reset()
    return standin_server


def make_client(standin: Standin, transport: Optional[Any] = None, **kwargs: Any) -> airbyte_core.Client:
    kwargs.setdefault("credentials", airbyte_core.ClientCredentials(CLIENT_ID, CLIENT_SECRET))
    return airbyte_core.Client(standin.base_url, transport=transport, **kwargs)


@pytest.fixture
def client(standin: Standin) -> Iterator[airbyte_core.Client]:
    with make_client(standin) as client:
        yield client
