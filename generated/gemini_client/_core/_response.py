"""Raw responses: the HTTP response of a call, with its parsed result on demand."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx

from ._constants import RAW_RESPONSE_HEADER

__all__ = ["APIResponse", "async_to_raw_response_wrapper", "to_raw_response_wrapper"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

_UNPARSED: Any = object()


class APIResponse(Generic[T]):
    """The HTTP response of one call; ``parse()`` gives what the method would have returned.

    For a streaming method ``parse()`` returns the (sync or async) stream; otherwise the body is
    already read, so ``parse()`` does no I/O in either the sync or the async client.
    """

    def __init__(self, http_response: httpx.Response, parser: Callable[[], T]) -> None:
        self.http_response = http_response
        self._parser = parser
        self._parsed: T = _UNPARSED

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        return self.http_response.request

    def parse(self) -> T:
        """The parsed result, computed once."""
        if self._parsed is _UNPARSED:
            self._parsed = self._parser()
        return self._parsed

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code} {self.http_response.reason_phrase}]>"


def _mark_raw(kwargs: dict[str, Any]) -> None:
    kwargs["extra_headers"] = {**(kwargs.get("extra_headers") or {}), RAW_RESPONSE_HEADER: "true"}


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """Wrap a resource method so that it returns the ``APIResponse`` instead of the result.

    The method must accept ``extra_headers``; the marker header it gets is stripped by the client.
    """

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        _mark_raw(kwargs)
        return cast("APIResponse[R]", func(*args, **kwargs))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[APIResponse[R]]]:
    """The async twin of ``to_raw_response_wrapper``."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        _mark_raw(kwargs)
        return cast("APIResponse[R]", await func(*args, **kwargs))

    return wrapped
