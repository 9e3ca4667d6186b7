"""Long-running operations: what a method like ``batch_generate_content`` returns.

```py
op = client.models.batch_generate_content(model="gemini-2.5-flash", batch=...)
op.name, op.done, op.metadata  # as last seen
output = op.wait(timeout=600)  # polls with backoff; the typed response once done
op.refresh()  # one poll
op.result()  # the response; raises OperationError when it failed, OperationNotDoneError when not done
```
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import httpx
import pydantic

from ._calls import DEFAULT_MEDIA_TYPE, multipart_upload
from ._constants import RAW_RESPONSE_HEADER
from ._exceptions import (
    APIError,
    APITimeoutError,
    APIResponseValidationError,
    GeminiError,
    describe_validation_error,
)
from ._response import APIResponse
from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout
from ._utils import path_param

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = [
    "AsyncOperation",
    "Operation",
    "OperationError",
    "OperationNotDoneError",
    "OperationTimeoutError",
    "async_request_operation",
    "request_operation",
]

T = TypeVar("T")

DEFAULT_POLL_INTERVAL = 1.0  # seconds before the first poll
MAX_POLL_INTERVAL = 30.0
POLL_BACKOFF = 1.5

# google.rpc.Code names, by number.
_CODES = (
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
)


class OperationError(APIError):
    """A long-running operation that finished with an error: its ``google.rpc.Status``.

    ``code`` is the google.rpc code (``3``), ``status`` its name (``"INVALID_ARGUMENT"``),
    ``details`` the status details, ``operation_name`` the operation.
    """

    code: int | None
    operation_name: str

    def __init__(self, operation_name: str, error: Mapping[str, Any]) -> None:
        code = error.get("code")
        self.code = code if isinstance(code, int) and not isinstance(code, bool) else None
        details = error.get("details")
        super().__init__(
            f"operation {operation_name} failed: {error.get('message') or 'no message'}",
            body=dict(error),
            status=(
                _CODES[self.code]
                if self.code is not None and 0 <= self.code < len(_CODES)
                else None
            ),
            details=details if isinstance(details, list) else [],
        )
        self.operation_name = operation_name


class OperationNotDoneError(GeminiError):
    """``result()`` of an operation that has not finished: ``wait()`` for it, or ``refresh()``."""


class OperationTimeoutError(GeminiError, TimeoutError):
    """``wait(timeout=...)`` ran out before the operation finished; the operation goes on."""


def _object(response: httpx.Response) -> dict[str, Any]:
    try:
        data = json.loads(response.content)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise APIResponseValidationError(
            "response is not a JSON object (expected an operation)",
            response=response,
            body=response.text,
        )
    return data


def _convert(cls: type[T], value: Any, what: str, name: str) -> T:
    if issubclass(cls, pydantic.BaseModel):
        try:
            return cast(T, cls.model_validate(value if value is not None else {}))
        except pydantic.ValidationError as err:
            raise GeminiError(
                f"operation {name}: {what} is not a valid {cls.__name__}: {describe_validation_error(err)}"
            ) from None
    return cast(T, dict(value) if isinstance(value, Mapping) else {})


class _BaseOperation(Generic[T]):
    def __init__(
        self,
        raw: Mapping[str, Any],
        *,
        response_cls: type[T],
        metadata_cls: type[Any] | None = None,
    ) -> None:
        self._raw: dict[str, Any] = dict(raw)
        self._response_cls = response_cls
        self._metadata_cls = metadata_cls

    def _update(self, raw: Mapping[str, Any]) -> None:
        name = self.name
        self._raw = dict(raw)
        if not self._raw.get("name"):
            self._raw["name"] = name

    @property
    def raw(self) -> dict[str, Any]:
        """The operation as last received, as JSON."""
        return self._raw

    @property
    def name(self) -> str:
        """The operation's resource name, e.g. ``batches/123``."""
        name = self._raw.get("name")
        return name if isinstance(name, str) else ""

    @property
    def done(self) -> bool:
        """Whether it has finished (successfully or not), as last seen."""
        return self._raw.get("done") is True

    @property
    def metadata(self) -> Any:
        """Progress information as last seen: the declared metadata model (a dict when the API
        declares none or sends something else), or None."""
        value = self._raw.get("metadata")
        if value is None or self._metadata_cls is None:
            return value
        try:
            return _convert(self._metadata_cls, value, "metadata", self.name)
        except GeminiError:
            return value

    @property
    def error(self) -> OperationError | None:
        """The typed error when it finished with one, else None."""
        error = self._raw.get("error")
        if error is None:
            return None
        if not isinstance(error, Mapping):  # not a google.rpc.Status: still a failure
            error = {"message": str(error)[:500]}
        return OperationError(self.name, error)

    def result(self) -> T:
        """The response of the finished operation; raises its ``OperationError`` when it failed and
        ``OperationNotDoneError`` when it has not finished (as last seen)."""
        error = self.error
        if error is not None:
            raise error
        if not self.done:
            raise OperationNotDoneError(f"operation {self.name} has not finished: wait() for it")
        return _convert(self._response_cls, self._raw.get("response"), "response", self.name)

    def _poll_path(self) -> str:
        if not self.name:
            raise GeminiError("the operation has no name to poll")
        return path_param(self.name, name="name")

    def __repr__(self) -> str:
        state = "failed" if self.error is not None else "done" if self.done else "running"
        return f"{type(self).__name__}(name={self.name!r}, {state})"


def _check_wait(timeout: float | None, poll_interval: float) -> None:
    if timeout is not None and not timeout >= 0:
        raise ValueError(f"timeout must be None or >= 0 seconds, got {timeout!r}")
    if not poll_interval > 0:
        raise ValueError(f"poll_interval must be > 0 seconds, got {poll_interval!r}")


def _poll_timeout(deadline: float | None) -> Timeout | NotGiven:
    """A poll may not outlast ``wait``'s own deadline (at least a moment, to be sent at all)."""
    if deadline is None:
        return NOT_GIVEN
    return max(deadline - time.monotonic(), 0.05)


def _next_interval(interval: float) -> float:
    return min(interval * POLL_BACKOFF, MAX_POLL_INTERVAL)


class Operation(_BaseOperation[T]):
    """A long-running operation of the sync client; ``T`` is its response once done."""

    def __init__(
        self,
        client: SyncAPIClient,
        raw: Mapping[str, Any],
        *,
        response_cls: type[T],
        metadata_cls: type[Any] | None = None,
    ) -> None:
        super().__init__(raw, response_cls=response_cls, metadata_cls=metadata_cls)
        self._client = client

    def refresh(self, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> Operation[T]:
        """Fetch the operation's current state (one ``GET``); returns itself."""
        response = self._client._send(
            "GET", self._poll_path(), None, None, RequestOptions(timeout=timeout)
        )
        self._update(_object(response))
        return self

    def wait(
        self, *, timeout: float | None = None, poll_interval: float = DEFAULT_POLL_INTERVAL
    ) -> T:
        """Poll until done, ``poll_interval`` seconds apart at first and 1.5 times longer each
        time (at most 30 s); then ``result()``. Raises ``OperationTimeoutError`` after ``timeout``
        seconds (None: no limit)."""
        _check_wait(timeout, poll_interval)
        deadline = None if timeout is None else time.monotonic() + timeout
        interval = poll_interval
        while not self.done:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise OperationTimeoutError(f"operation {self.name} not done after {timeout}s")
                self._client._sleep(min(interval, left))
            else:
                self._client._sleep(interval)
            try:
                self.refresh(timeout=_poll_timeout(deadline))
            except APITimeoutError as err:
                if deadline is not None and time.monotonic() >= deadline:
                    raise OperationTimeoutError(
                        f"operation {self.name} not done after {timeout}s"
                    ) from err
                raise
            interval = _next_interval(interval)
        return self.result()


class AsyncOperation(_BaseOperation[T]):
    """A long-running operation of the async client; ``T`` is its response once done."""

    def __init__(
        self,
        client: AsyncAPIClient,
        raw: Mapping[str, Any],
        *,
        response_cls: type[T],
        metadata_cls: type[Any] | None = None,
    ) -> None:
        super().__init__(raw, response_cls=response_cls, metadata_cls=metadata_cls)
        self._client = client

    async def refresh(self, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> AsyncOperation[T]:
        """Fetch the operation's current state (one ``GET``); returns itself."""
        response = await self._client._send(
            "GET", self._poll_path(), None, None, RequestOptions(timeout=timeout)
        )
        self._update(_object(response))
        return self

    async def wait(
        self, *, timeout: float | None = None, poll_interval: float = DEFAULT_POLL_INTERVAL
    ) -> T:
        """Poll until done, ``poll_interval`` seconds apart at first and 1.5 times longer each
        time (at most 30 s); then ``result()``. Raises ``OperationTimeoutError`` after ``timeout``
        seconds (None: no limit)."""
        _check_wait(timeout, poll_interval)
        deadline = None if timeout is None else time.monotonic() + timeout
        interval = poll_interval
        while not self.done:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise OperationTimeoutError(f"operation {self.name} not done after {timeout}s")
                await self._client._sleep(min(interval, left))
            else:
                await self._client._sleep(interval)
            try:
                await self.refresh(timeout=_poll_timeout(deadline))
            except APITimeoutError as err:
                if deadline is not None and time.monotonic() >= deadline:
                    raise OperationTimeoutError(
                        f"operation {self.name} not done after {timeout}s"
                    ) from err
                raise
            interval = _next_interval(interval)
        return self.result()


def _is_raw(options: RequestOptions) -> bool:
    return options.extra_headers is not None and RAW_RESPONSE_HEADER in options.extra_headers


def request_operation(
    client: SyncAPIClient,
    method: str,
    path: str,
    *,
    response_cls: type[T],
    metadata_cls: type[Any] | None = None,
    body: Mapping[str, object] | None = None,
    query: Mapping[str, object] | None = None,
    media: bytes | NotGiven = NOT_GIVEN,
    media_type: str = DEFAULT_MEDIA_TYPE,
    options: RequestOptions,
) -> Operation[T]:
    """Send a request that starts a long-running operation; the ``Operation`` it answers with.
    An upload method sends ``media`` with its body when given."""
    path, query, content = multipart_upload(
        client.base_url, client.api_version, path, query, body, media, media_type
    )
    response = client._send(
        method, path, None if content else body, query, options, content=content
    )
    op = Operation(client, _object(response), response_cls=response_cls, metadata_cls=metadata_cls)
    if _is_raw(options):
        return cast("Operation[T]", APIResponse(response, lambda: op))
    return op


async def async_request_operation(
    client: AsyncAPIClient,
    method: str,
    path: str,
    *,
    response_cls: type[T],
    metadata_cls: type[Any] | None = None,
    body: Mapping[str, object] | None = None,
    query: Mapping[str, object] | None = None,
    media: bytes | NotGiven = NOT_GIVEN,
    media_type: str = DEFAULT_MEDIA_TYPE,
    options: RequestOptions,
) -> AsyncOperation[T]:
    """The async twin of ``request_operation``."""
    path, query, content = multipart_upload(
        client.base_url, client.api_version, path, query, body, media, media_type
    )
    response = await client._send(
        method, path, None if content else body, query, options, content=content
    )
    op = AsyncOperation(
        client, _object(response), response_cls=response_cls, metadata_cls=metadata_cls
    )
    if _is_raw(options):
        return cast("AsyncOperation[T]", APIResponse(response, lambda: op))
    return op
