"""Transports: how a client sends one request. They send exactly what they are given, follow no
redirects and never retry: tokens, retries and waits are the core's.

- `UrllibTransport`: the standard library (the default; no third-party dependency);
- `HttpxTransport` / `AsyncHttpxTransport`: `httpx`, when it is installed;
- `RequestsTransport`: `requests`, when it is installed;
- `ThreadedTransport`: any blocking transport, run in a worker thread for `AsyncClient`.

A transport returns an `HttpResponse` for every status and raises `TransportFailure` when there
is no response. Its `kind` tells the core whether a retry is safe: `connect` (nothing was sent),
`timeout`, `io` (the connection broke), `body_too_large` or `other`.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import ssl
import urllib.error
import urllib.request
from typing import Any, List, Mapping, NamedTuple, Optional, Protocol, Tuple, Union

from airbyte_core._native import Request

__all__ = [
    "HttpResponse", "TransportFailure", "Transport", "AsyncTransport", "UrllibTransport",
    "HttpxTransport", "AsyncHttpxTransport", "RequestsTransport", "ThreadedTransport",
    "DEFAULT_MAX_BODY_BYTES",
]

#: The largest response body read (64 MiB); a larger one is a `body_too_large` failure.
DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024


class HttpResponse(NamedTuple):
    """A response as received: status, headers in order, body bytes."""

    status: int
    headers: List[Tuple[str, str]]
    body: bytes


class TransportFailure(Exception):
    """No response to a request. `kind`: `connect`, `timeout`, `io`, `body_too_large`, `other`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Transport(Protocol):
    """Sends one request and returns the whole response, blocking."""

    def send(self, request: Request, timeout: Optional[float]) -> HttpResponse: ...

    def close(self) -> None: ...


class AsyncTransport(Protocol):
    """Sends one request and returns the whole response, without blocking the event loop."""

    async def send(self, request: Request, timeout: Optional[float]) -> HttpResponse: ...

    async def aclose(self) -> None: ...


def _too_large(limit: int) -> TransportFailure:
    return TransportFailure("body_too_large", f"the response body is larger than {limit} bytes")


def _missing(package: str, error: ImportError) -> ImportError:
    return ImportError(f"this transport needs `{package}`: pip install {package} ({error})")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _urllib_failure(error: BaseException) -> TransportFailure:
    reason = getattr(error, "reason", error)
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return TransportFailure("timeout", f"timed out: {reason}")
    if isinstance(reason, (ConnectionRefusedError, socket.gaierror, ssl.SSLError)):
        return TransportFailure("connect", str(reason))
    if isinstance(reason, (ConnectionError, http.client.HTTPException, OSError)):
        return TransportFailure("io", str(reason) or type(reason).__name__)
    return TransportFailure("other", str(reason))


class UrllibTransport:
    """The standard library's `urllib.request`. Proxies come from the environment unless
    `proxies` (`{"https": "http://proxy:3128"}`) is given; `ssl_context` replaces the default
    certificate checks."""

    def __init__(
        self,
        *,
        proxies: Optional[Mapping[str, str]] = None,
        ssl_context: Optional[ssl.SSLContext] = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        handlers: List[Any] = [_NoRedirects(), urllib.request.ProxyHandler(
            dict(proxies) if proxies is not None else None)]
        if ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context))
        self._opener = urllib.request.build_opener(*handlers)
        self._max_body_bytes = max_body_bytes

    def send(self, request: Request, timeout: Optional[float]) -> HttpResponse:
        outgoing = urllib.request.Request(
            request.url, data=request.body, method=request.method, headers=dict(request.headers))
        try:
            response = self._opener.open(
                outgoing, timeout=timeout if timeout is not None else socket.getdefaulttimeout())
        except urllib.error.HTTPError as error:
            response = error
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise _urllib_failure(error) from error
        try:
            with response:
                body = response.read(self._max_body_bytes + 1)
        except (OSError, http.client.HTTPException) as error:
            raise _urllib_failure(error) from error
        if len(body) > self._max_body_bytes:
            raise _too_large(self._max_body_bytes)
        headers = list(response.headers.items()) if response.headers is not None else []
        return HttpResponse(response.status or 0, headers, body)

    def close(self) -> None:
        pass


def _httpx_failure(httpx: Any, error: Exception) -> TransportFailure:
    if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol)):
        return TransportFailure("connect", str(error) or type(error).__name__)
    if isinstance(error, httpx.TimeoutException):
        return TransportFailure("timeout", str(error) or type(error).__name__)
    if isinstance(error, httpx.TransportError):
        return TransportFailure("io", str(error) or type(error).__name__)
    return TransportFailure("other", str(error) or type(error).__name__)


def _httpx_timeout(httpx: Any, timeout: Optional[float]) -> Any:
    return httpx.USE_CLIENT_DEFAULT if timeout is None else timeout


class HttpxTransport:
    """`httpx.Client`: give your own client (proxies, certificates, HTTP/2), or `proxy`."""

    def __init__(
        self,
        client: Any = None,
        *,
        proxy: Optional[str] = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        try:
            import httpx
        except ImportError as error:
            raise _missing("httpx", error) from error
        self._own = client is None
        self._client = client if client is not None else httpx.Client(proxy=proxy)
        self._max_body_bytes = max_body_bytes

    def send(self, request: Request, timeout: Optional[float]) -> HttpResponse:
        import httpx

        try:
            with self._client.stream(
                request.method, request.url, headers=request.headers, content=request.body,
                timeout=_httpx_timeout(httpx, timeout), follow_redirects=False,
            ) as response:
                chunks = []
                size = 0
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if size > self._max_body_bytes:
                        raise _too_large(self._max_body_bytes)
                    chunks.append(chunk)
                return HttpResponse(response.status_code, list(response.headers.multi_items()),
                                    b"".join(chunks))
        except httpx.HTTPError as error:
            raise _httpx_failure(httpx, error) from error

    def close(self) -> None:
        if self._own:
            self._client.close()


class AsyncHttpxTransport:
    """`httpx.AsyncClient`: give your own client, or `proxy`."""

    def __init__(
        self,
        client: Any = None,
        *,
        proxy: Optional[str] = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        try:
            import httpx
        except ImportError as error:
            raise _missing("httpx", error) from error
        self._own = client is None
        self._client = client if client is not None else httpx.AsyncClient(proxy=proxy)
        self._max_body_bytes = max_body_bytes

    async def send(self, request: Request, timeout: Optional[float]) -> HttpResponse:
        import httpx

        try:
            async with self._client.stream(
                request.method, request.url, headers=request.headers, content=request.body,
                timeout=_httpx_timeout(httpx, timeout), follow_redirects=False,
            ) as response:
                chunks = []
                size = 0
                async for chunk in response.aiter_raw():
                    size += len(chunk)
                    if size > self._max_body_bytes:
                        raise _too_large(self._max_body_bytes)
                    chunks.append(chunk)
                return HttpResponse(response.status_code, list(response.headers.multi_items()),
                                    b"".join(chunks))
        except httpx.HTTPError as error:
            raise _httpx_failure(httpx, error) from error

    async def aclose(self) -> None:
        if self._own:
            await self._client.aclose()


class RequestsTransport:
    """`requests.Session`: give your own session, or `proxies` (`{"https": "http://p:3128"}`)."""

    def __init__(
        self,
        session: Any = None,
        *,
        proxies: Optional[Mapping[str, str]] = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        try:
            import requests
        except ImportError as error:
            raise _missing("requests", error) from error
        self._own = session is None
        self._session = session if session is not None else requests.Session()
        if proxies is not None:
            self._session.proxies.update(proxies)
        self._max_body_bytes = max_body_bytes

    def send(self, request: Request, timeout: Optional[float]) -> HttpResponse:
        from requests import exceptions

        try:
            response = self._session.request(
                request.method, request.url, headers=dict(request.headers), data=request.body,
                timeout=timeout, allow_redirects=False, stream=True,
            )
            with response:
                chunks = []
                size = 0
                for chunk in response.raw.stream(65536, decode_content=False):
                    size += len(chunk)
                    if size > self._max_body_bytes:
                        raise _too_large(self._max_body_bytes)
                    chunks.append(chunk)
                headers = list(response.raw.headers.items())
                return HttpResponse(response.status_code, headers, b"".join(chunks))
        except exceptions.ConnectTimeout as error:
            raise TransportFailure("connect", str(error)) from error
        except exceptions.Timeout as error:
            raise TransportFailure("timeout", str(error)) from error
        except exceptions.ConnectionError as error:
            text = str(error)
            refused = any(s in text for s in ("NewConnectionError", "Failed to resolve",
                                               "Connection refused", "NameResolutionError"))
            raise TransportFailure("connect" if refused else "io", text) from error
        except exceptions.RequestException as error:
            raise TransportFailure("other", str(error)) from error
        except Exception as error:
            if type(error).__module__.startswith("urllib3"):
                raise TransportFailure("io", str(error)) from error
            raise

    def close(self) -> None:
        if self._own:
            self._session.close()


class ThreadedTransport:
    """Runs a blocking transport (by default `UrllibTransport`) in a worker thread, so that
    `AsyncClient` never blocks the event loop when `httpx` is not installed."""

    def __init__(self, transport: Optional[Transport] = None) -> None:
        self._transport: Transport = transport if transport is not None else UrllibTransport()

    async def send(self, request: Request, timeout: Optional[float]) -> HttpResponse:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._transport.send, request, timeout)

    async def aclose(self) -> None:
        self._transport.close()


AnyTransport = Union[Transport, AsyncTransport]
