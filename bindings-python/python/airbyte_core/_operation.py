"""Operation values: what the generated functions of `airbyte_core.api` return."""

from __future__ import annotations

from typing import (
    TYPE_CHECKING, Any, Dict, Generic, List, Literal, Mapping, Optional, Sequence, Tuple,
    TypedDict,
    TypeVar, Union, cast,
)

from airbyte_core import _native

if TYPE_CHECKING:
    from airbyte_core._native import ClientConfig, Request

T = TypeVar("T", covariant=True)
Item = TypeVar("Item", covariant=True)

__all__ = ["Operation", "PagedOperation", "Redirect", "Headers"]

#: Response headers: `(name, value)` pairs, or a mapping of names to values.
Headers = Union[Sequence[Tuple[str, str]], Mapping[str, str]]


def header_pairs(headers: Headers) -> List[Tuple[str, str]]:
    """Headers as a list of `(name, value)` pairs, repeated names kept where the source has them."""
    multi_items = getattr(headers, "multi_items", None)  # httpx keeps repeated headers here
    if callable(multi_items):
        return [(str(n), str(v)) for n, v in multi_items()]
    if isinstance(headers, Mapping):
        return [(str(n), str(v)) for n, v in headers.items()]
    return [(str(n), str(v)) for n, v in headers]


class Redirect(TypedDict):
    """The result of an operation that answers with a redirect."""

    status: int
    location: Optional[str]


class Operation(Generic[T]):
    """One call of one operation: its API, its id and its input.

    `input` holds the parameters under their spec names and the body under `"body"`. Send it
    with `Client.send` / `AsyncClient.send`, or build the request and parse the response
    yourself with `build` and `parse`.
    """

    __slots__ = ("api", "id", "input")

    def __init__(self, api: str, id: str, input: Dict[str, Any]) -> None:
        self.api = api
        self.id = id
        self.input = input

    def build(
        self,
        config: ClientConfig,
        *,
        bearer_token: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
    ) -> Request:
        """The request to send: method, URL, headers and body, with the given credentials."""
        return _native.build_request(
            self.api, self.id, self.input, config,
            bearer_token=bearer_token, username=username, password=password,
        )

    def parse(self, status: int, headers: Headers, body: bytes) -> T:
        """The parsed result of a response, or `ApiError` / `DecodeError`. `headers` are
        `(name, value)` pairs or a mapping (an `httpx` or `requests` response's headers too)."""
        return _native.parse_response(self.api, self.id, status, header_pairs(headers), bytes(body))

    def __repr__(self) -> str:
        # The input is left out: it may hold connector secrets.
        return f"{type(self).__name__}(api={self.api!r}, id={self.id!r})"


class PagedOperation(Operation[T], Generic[T, Item]):
    """An operation that pages; `Client.iterate` walks every page and yields `Item`s."""

    __slots__ = ()


def input_of(pairs: Tuple[Tuple[str, Any], ...]) -> Dict[str, Any]:
    """The input object of the arguments that were given (`None` means not given)."""
    return {name: value for name, value in pairs if value is not None}


class _Names(Dict[str, Any]):
    """Names a type expression may use: typing's and the module's own models."""

    def __init__(self, namespace: Dict[str, Any], table: Dict[str, Any]) -> None:
        super().__init__(Any=Any, Dict=Dict, List=List, Optional=Optional, Union=Union,
                         Literal=Literal, str=str, int=int, float=float, bool=bool,
                         Redirect=Redirect)
        self.namespace = namespace
        self.table = table

    def __missing__(self, name: str) -> Any:
        return model_type(self.namespace, self.table, name)


def model_type(namespace: Dict[str, Any], table: Dict[str, Any], name: str) -> Any:
    """Makes model `name` of a generated module on first use and keeps it there.

    At run time a model is a `TypedDict` that declares its keys only; the stubs carry the types.
    """
    entry = table.get(name)
    if entry is None:
        raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
    kind, data = entry
    value: Any
    if kind == "struct":
        value = cast(Any, TypedDict)(name, {key: Any for key in data}, total=False)
        value.__module__ = namespace["__name__"]
    elif kind == "enum":
        value = Union[Literal[data], str]
    else:
        value = eval(data, {"__builtins__": {}}, _Names(namespace, table))
    namespace[name] = value
    return value
