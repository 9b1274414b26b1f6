"""Shared fixtures: the generated `airbyte_core` module, the stand-in server, and an HTTP
transport built on the standard library, handed to the client as the foreign trait."""

import http.client
import json
import os
import pathlib
import socket
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
GENERATED = pathlib.Path(
    os.environ.get("AIRBYTE_UNIFFI_PYTHON", ROOT / "bindings-uniffi" / "out" / "python")
)
STANDIN = pathlib.Path(
    os.environ.get("AIRBYTE_STANDIN", ROOT / "target" / "debug" / "airbyte-standin")
)
VECTORS = ROOT / "tests" / "vectors"

sys.path.insert(0, str(GENERATED))

import airbyte_core  # noqa: E402  (the generated module, found through the path above)

CLIENT_ID = "standin-client"
CLIENT_SECRET = "standin-secret"


class StdlibTransport(airbyte_core.HttpTransport):
    """Sends each request with `http.client`: no redirects followed, every status returned."""

    def __init__(self):
        self.sent = []

    def send(self, request):
        self.sent.append(request)
        url = urllib.parse.urlsplit(request.url)
        timeout = request.timeout_ms / 1000 if request.timeout_ms is not None else 30
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
        target = url.path + (f"?{url.query}" if url.query else "")
        try:
            connection.request(
                request.method,
                target,
                body=request.body,
                headers={h.name: h.value for h in request.headers},
            )
            response = connection.getresponse()
            body = response.read()
            headers = [airbyte_core.HttpHeader(name=n, value=v) for n, v in response.getheaders()]
            return airbyte_core.HttpResponse(status=response.status, headers=headers, body=body)
        except ConnectionRefusedError as error:
            raise airbyte_core.TransportFailure.Failed(
                kind=airbyte_core.TransportFailureKind.CONNECT, reason=str(error)
            )
        except socket.timeout as error:
            raise airbyte_core.TransportFailure.Failed(
                kind=airbyte_core.TransportFailureKind.TIMEOUT, reason=str(error)
            )
        except OSError as error:
            raise airbyte_core.TransportFailure.Failed(
                kind=airbyte_core.TransportFailureKind.IO, reason=str(error)
            )
        finally:
            connection.close()


class Standin:
    """A running stand-in server and its controls."""

    def __init__(self, base):
        self.base = base

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("content-type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return json.loads(text) if text else None

    def requests(self):
        return self.control("GET", "/_standin/requests")["requests"]

    def clear_requests(self):
        self.control("DELETE", "/_standin/requests")

    def add_faults(self, faults):
        self.control("POST", "/_standin/faults", faults)

    def client(self, credentials=None, options=None, transport=None):
        credentials = credentials or airbyte_core.Credentials.CLIENT_CREDENTIALS(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token_url=None
        )
        return airbyte_core.AirbyteClient(
            airbyte_core.ClientSettings(host=self.base),
            credentials,
            transport or StdlibTransport(),
            options,
        )


@pytest.fixture(scope="session")
def standin_server():
    assert STANDIN.exists(), f"build the stand-in first: cargo build -p airbyte-standin ({STANDIN})"
    process = subprocess.Popen(
        [str(STANDIN), "--port", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip()
    assert line.startswith("listening on "), line
    yield Standin(line.removeprefix("listening on "))
    process.stdin.close()
    process.wait(timeout=10)


@pytest.fixture
def standin(standin_server):
    """The stand-in, reset to its seeded state before each test."""
    standin_server.control("POST", "/_standin/reset")
    return standin_server
