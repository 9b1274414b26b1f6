"""The native module behind `airbyte_core` (Rust, `bindings-python/src`). Use the package."""

from typing import Any, Dict, List, Optional, Tuple

from typing_extensions import final

__all__ = [
    "DEFAULT_USER_AGENT", "__version__", "ClientConfig", "Engine", "Request", "Task", "build_request", "operation_info",
    "operations", "parse_response",
]

DEFAULT_USER_AGENT: str
__version__: str

@final
class ClientConfig:
    """The roots of both APIs and the `User-Agent` sent with every request."""

    @staticmethod
    def cloud() -> ClientConfig:
        """Airbyte Cloud: `https://api.airbyte.com/v1` and `https://cloud.airbyte.com/api/v1`."""
    @staticmethod
    def self_managed(host: str) -> ClientConfig:
        """A server at `host`: the public API at `<host>/api/public/v1`, the Configuration API
        at `<host>/api/v1`. Raises `InvalidInputError` for an unusable URL."""
    def with_public_root(self, root: str) -> ClientConfig:
        """The same with the public API root set explicitly (a proxy, a mock)."""
    def with_config_root(self, root: str) -> ClientConfig:
        """The same with the Configuration API root set explicitly."""
    def with_user_agent(self, user_agent: str) -> ClientConfig:
        """The same with another `User-Agent`."""
    @property
    def public_root(self) -> str: ...
    @property
    def config_root(self) -> str:
        """The Configuration API root without its `/v1` (the spec's paths start with it)."""
    @property
    def user_agent(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Request:
    """A request ready to send. `repr` hides the `Authorization` value and the body."""

    @property
    def operation(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def headers(self) -> List[Tuple[str, str]]: ...
    @property
    def body(self) -> Optional[bytes]: ...
    def header(self, name: str) -> Optional[str]:
        """The value of header `name`, matched case-insensitively."""

@final
class Task:
    """A flow in progress (a call, a walk over pages, a job run)."""

    def poll(self, now: Optional[float] = None) -> Tuple[Any, ...]:
        """The next step: `("send", Request, timeout)`, `("sleep", seconds)`,
        `("progress", dict)`, `("page", list)` or `("done", result)`. Raises when it failed."""
    def on_response(
        self, status: int, headers: List[Tuple[str, str]], body: bytes, now: Optional[float] = None
    ) -> None: ...
    def on_transport_error(self, kind: str, message: str, now: Optional[float] = None) -> None: ...
    def cancel(self) -> None: ...
    @property
    def done(self) -> bool: ...

@final
class Engine:
    """Configuration, credentials and policies shared by the flows of one client."""

    def __new__(
        cls,
        config: ClientConfig,
        *,
        bearer_token: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        token_url: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        max_attempts: int = 4,
        initial_backoff: float = 0.5,
        max_backoff: float = 30.0,
        backoff_multiplier: float = 2.0,
        jitter: float = 0.2,
        max_elapsed: float = 120.0,
        max_retry_after: float = 120.0,
        request_timeout: Optional[float] = ...,
    ) -> Engine:
        """`request_timeout` defaults to 30 seconds; `None` leaves it to the transport."""
    @property
    def config(self) -> ClientConfig: ...
    @property
    def token_url(self) -> str: ...
    def call(self, api_name: str, operation_id: str, input: Any) -> Task: ...
    def pages(
        self, api_name: str, operation_id: str, input: Any, page_size: Optional[int] = None
    ) -> Task: ...
    def run_job(
        self,
        api_name: str,
        connection_id: str,
        kind: str,
        attach: bool,
        poll_interval: float,
        timeout: Optional[float],
        cancel_on_timeout: bool,
    ) -> Task: ...
    def wait_job(
        self,
        api_name: str,
        job_id: int,
        poll_interval: float,
        timeout: Optional[float],
        cancel_on_timeout: bool,
    ) -> Task: ...

def build_request(
    api_name: str,
    operation_id: str,
    input: Any,
    config: ClientConfig,
    *,
    bearer_token: Optional[str] = None,
    username: Optional[str] = None,
    password: Optional[str] = None,
) -> Request:
    """The request of an operation, from input with parameters under their spec names."""

def parse_response(
    api_name: str, operation_id: str, status: int, headers: List[Tuple[str, str]], body: bytes
) -> Any:
    """The parsed result of a response, or `ApiError` / `DecodeError`."""

def operations(api_name: str) -> List[str]:
    """The ids of every operation of `"public"` or `"config"`, sorted."""

def operation_info(api_name: str, operation_id: str) -> Dict[str, Any]:
    """Method, path, tag, pagination, responses and more of an operation."""
