"""The sync and async API clients: request building, the retry loop and response parsing."""

from __future__ import annotations

import email.utils
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Generic, TypeVar, cast

import httpx
import pydantic

from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RAW_RESPONSE_HEADER,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    describe_validation_error,
    make_status_error,
    redact,
)
from ._pagination import AsyncPager, SyncPager
from ._response import APIResponse
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout

__all__ = ["AsyncAPIClient", "AsyncAPIResource", "SyncAPIClient", "SyncAPIResource"]

log = logging.getLogger("gemini_client")

T = TypeVar("T", bound="pydantic.BaseModel")
PageT = TypeVar("PageT", bound="pydantic.BaseModel")
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)
_SyncClientT = TypeVar("_SyncClientT", bound="SyncAPIClient")
_AsyncClientT = TypeVar("_AsyncClientT", bound="AsyncAPIClient")

_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"
_VERSION = re.compile(r"^[a-z0-9]+$")


def _parse(cast_to: type[T], response: httpx.Response) -> T:
    try:
        return cast_to.model_validate_json(response.content)
    except pydantic.ValidationError as err:
        raise APIResponseValidationError(
            f"response is not a valid {cast_to.__name__}: {describe_validation_error(err)}",
            response=response,
            body=response.text,
        ) from err


def _is_raw(options: RequestOptions) -> bool:
    headers = options.extra_headers
    return headers is not None and RAW_RESPONSE_HEADER in headers


def _seconds(value: str) -> float | None:
    """``"30s"``/``"1.5s"`` (a protobuf Duration) or ``"30"`` as seconds."""
    try:
        return float(value.removesuffix("s"))
    except ValueError:
        return None


def _retry_hint(headers: httpx.Headers, details: list[Any]) -> float | None:
    """The delay the server asks for: ``retry-after-ms``, ``Retry-After`` or ``RetryInfo``."""
    if (ms := headers.get("retry-after-ms")) is not None and (value := _seconds(ms)) is not None:
        return value / 1000
    if (retry_after := headers.get("retry-after")) is not None:
        if (value := _seconds(retry_after)) is not None:
            return value
        if (date := email.utils.parsedate_tz(retry_after)) is not None:
            return email.utils.mktime_tz(date) - time.time()
    for detail in details:
        if isinstance(detail, dict) and detail.get("@type") == _RETRY_INFO:
            delay = detail.get("retryDelay")
            if isinstance(delay, str):
                return _seconds(delay)
    return None


def _retry_delay(attempt: int, hint: float | None) -> float:
    """Seconds to wait before retry number ``attempt + 1``."""
    if hint is not None and hint >= 0:
        return min(hint, MAX_RETRY_AFTER)
    backoff = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())


class _BaseClient(Generic[_HttpxClientT]):
    """What the sync and async clients share: configuration and building requests (no I/O)."""

    _client: _HttpxClientT
    _owns_client: bool

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        auth_header: str,
        api_version: str = "",
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if api_version and not _VERSION.match(api_version):
            raise ValueError(f"invalid api_version {api_version!r}: expected e.g. 'v1beta'")
        self.api_key = api_key
        self.base_url = base_url.rstrip("/") + "/"
        self.api_version = api_version
        self.timeout = timeout
        self.max_retries = max_retries
        self._auth_header = auth_header
        self._default_headers = dict(default_headers or {})
        self._headers = {**self._default_headers, auth_header: api_key}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, max_retries={self.max_retries})"

    def _url(self, path: str) -> str:
        """``path`` under the API version (``models/x:generateContent``), or as it is when it is a
        full URL (an upload URL the client built; path parameters are percent-encoded, so a value
        given for one can never make a full URL)."""
        if path.startswith(("https://", "http://")):
            return path
        return self.base_url + (f"{self.api_version}/" if self.api_version else "") + path

    def _build_request(
        self,
        method: str,
        path: str,
        body: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        options: RequestOptions,
        content: tuple[bytes, str] | None = None,
    ) -> httpx.Request:
        """``content`` is a raw body and its content type, sent instead of JSON ``body``."""
        headers = self._headers
        if options.extra_headers:
            headers = {**headers, **options.extra_headers}
            headers.pop(RAW_RESPONSE_HEADER, None)
        if options.extra_query:
            query = {**(query or {}), **options.extra_query}
        if options.extra_body:
            body = {**(body or {}), **options.extra_body}
        params = {k: v for k, v in query.items() if v is not None} if query else None
        timeout = self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        if content is not None:
            return self._client.build_request(
                method,
                self._url(path),
                params=cast(Any, params),
                headers={**headers, "content-type": content[1]},
                content=content[0],
                timeout=timeout,
            )
        return self._client.build_request(
            method,
            self._url(path),
            params=cast(Any, params),
            headers=headers,
            json=body,
            timeout=timeout,
        )

    def _retry_or_raise(self, attempt: int, response: httpx.Response) -> float:
        """The delay before retrying an error ``response``; raises when it must not be retried."""
        error = make_status_error(response, secret=self.api_key)
        if attempt >= self.max_retries or response.status_code not in _RETRY_STATUSES:
            raise error
        return self._log_retry(
            attempt, _retry_delay(attempt, _retry_hint(response.headers, error.details)), error
        )

    def _retry_or_raise_transport(
        self, attempt: int, request: httpx.Request, err: httpx.TransportError
    ) -> float:
        """The delay before retrying after a transport error; raises when out of retries."""
        message = redact(f"{type(err).__name__}: {err}", self.api_key)
        error: APIConnectionError
        if isinstance(err, httpx.TimeoutException):
            error = APITimeoutError(message, request=request)
        else:
            error = APIConnectionError(message, request=request)
        if attempt >= self.max_retries:
            raise error from err
        return self._log_retry(attempt, _retry_delay(attempt, None), error)

    def _log_retry(self, attempt: int, delay: float, error: Exception) -> float:
        log.debug("retry %d of %d in %.2fs after: %s", attempt + 1, self.max_retries, delay, error)
        return delay

    def _log_response(self, request: httpx.Request, response: httpx.Response, attempt: int) -> None:
        if log.isEnabledFor(logging.DEBUG):
            url = redact(str(request.url), self.api_key)
            log.debug(
                "%s %s -> %d (attempt %d)", request.method, url, response.status_code, attempt + 1
            )


class SyncAPIClient(_BaseClient[httpx.Client]):
    """The synchronous client: one ``httpx.Client``, reused for every request."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        auth_header: str,
        api_version: str = "",
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            auth_header=auth_header,
            api_version=api_version,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        self._owns_client = http_client is None
        self._client = http_client if http_client is not None else httpx.Client(timeout=timeout)
        self._sleep: Callable[[float], None] = time.sleep

    def with_options(
        self: _SyncClientT,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> _SyncClientT:
        """A copy with some settings replaced, sharing this client's connection pool.

        Subclasses get a copy of their own type; their ``__init__`` is not called again.
        """
        new = object.__new__(type(self))
        SyncAPIClient.__init__(
            new,
            api_key=self.api_key if api_key is None else api_key,
            base_url=self.base_url if base_url is None else base_url,
            auth_header=self._auth_header,
            api_version=self.api_version,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            default_headers=self._default_headers if default_headers is None else default_headers,
            http_client=self._client,
        )
        new._sleep = self._sleep
        return new

    def close(self) -> None:
        """Close the connection pool (unless it was passed in as ``http_client``)."""
        if self._owns_client:
            self._client.close()

    def __enter__(self: _SyncClientT) -> _SyncClientT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _send(
        self,
        method: str,
        path: str,
        body: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        options: RequestOptions,
        *,
        stream: bool = False,
        content: tuple[bytes, str] | None = None,
    ) -> httpx.Response:
        """Send with retries; returns a 2xx response (its body unread when ``stream``)."""
        request = self._build_request(method, path, body, query, options, content)
        attempt = 0
        while True:
            try:
                response = self._client.send(request, stream=stream)
                if stream and not response.is_success:
                    response.read()  # the error body; reading it to the end closes the response
            except httpx.TransportError as err:
                delay = self._retry_or_raise_transport(attempt, request, err)
            else:
                self._log_response(request, response, attempt)
                if response.is_success:
                    return response
                delay = self._retry_or_raise(attempt, response)
            self._sleep(delay)
            attempt += 1

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        options: RequestOptions,
        content: tuple[bytes, str] | None = None,
    ) -> T:
        """Send a request and parse its JSON body as ``cast_to``."""
        response = self._send(method, path, body, query, options, content=content)
        if _is_raw(options):
            return cast(T, APIResponse(response, lambda: _parse(cast_to, response)))
        return _parse(cast_to, response)

    def stream(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        options: RequestOptions,
    ) -> Stream[T]:
        """Send a request with ``alt=sse`` and stream its events as ``cast_to`` chunks."""
        response = self._send(
            method, path, body, {**(query or {}), "alt": "sse"}, options, stream=True
        )
        stream = Stream(cast_to=cast_to, response=response, secret=self.api_key)
        if _is_raw(options):
            return cast("Stream[T]", APIResponse(response, lambda: stream))
        return stream

    def paginate(
        self,
        method: str,
        path: str,
        *,
        page_cls: type[PageT],
        items: str,
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        options: RequestOptions,
        page_token: str = "pageToken",
        next_page_token: str = "nextPageToken",
    ) -> SyncPager[PageT, Any]:
        """A lazy pager over the ``items`` of every page; nothing is sent until it is iterated."""

        def fetch(token: str | None) -> PageT:
            page_query = query if token is None else {**(query or {}), page_token: token}
            return _parse(page_cls, self._send(method, path, body, page_query, options))

        return SyncPager(fetch, page_cls=page_cls, items=items, next_page_token=next_page_token)


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """The asynchronous client: one ``httpx.AsyncClient``, reused for every request."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        auth_header: str,
        api_version: str = "",
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            auth_header=auth_header,
            api_version=api_version,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        self._owns_client = http_client is None
        self._client = (
            http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)
        )
        import asyncio  # only the async client needs it: kept out of import time

        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def with_options(
        self: _AsyncClientT,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> _AsyncClientT:
        """A copy with some settings replaced, sharing this client's connection pool.

        Subclasses get a copy of their own type; their ``__init__`` is not called again.
        """
        new = object.__new__(type(self))
        AsyncAPIClient.__init__(
            new,
            api_key=self.api_key if api_key is None else api_key,
            base_url=self.base_url if base_url is None else base_url,
            auth_header=self._auth_header,
            api_version=self.api_version,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            default_headers=self._default_headers if default_headers is None else default_headers,
            http_client=self._client,
        )
        new._sleep = self._sleep
        return new

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in as ``http_client``)."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self: _AsyncClientT) -> _AsyncClientT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _send(
        self,
        method: str,
        path: str,
        body: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        options: RequestOptions,
        *,
        stream: bool = False,
        content: tuple[bytes, str] | None = None,
    ) -> httpx.Response:
        """Send with retries; returns a 2xx response (its body unread when ``stream``)."""
        request = self._build_request(method, path, body, query, options, content)
        attempt = 0
        while True:
            try:
                response = await self._client.send(request, stream=stream)
                if stream and not response.is_success:
                    await response.aread()  # the error body; reading it to the end closes the response
            except httpx.TransportError as err:
                delay = self._retry_or_raise_transport(attempt, request, err)
            else:
                self._log_response(request, response, attempt)
                if response.is_success:
                    return response
                delay = self._retry_or_raise(attempt, response)
            await self._sleep(delay)
            attempt += 1

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        options: RequestOptions,
        content: tuple[bytes, str] | None = None,
    ) -> T:
        """Send a request and parse its JSON body as ``cast_to``."""
        response = await self._send(method, path, body, query, options, content=content)
        if _is_raw(options):
            return cast(T, APIResponse(response, lambda: _parse(cast_to, response)))
        return _parse(cast_to, response)

    async def stream(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        options: RequestOptions,
    ) -> AsyncStream[T]:
        """Send a request with ``alt=sse`` and stream its events as ``cast_to`` chunks."""
        response = await self._send(
            method, path, body, {**(query or {}), "alt": "sse"}, options, stream=True
        )
        stream = AsyncStream(cast_to=cast_to, response=response, secret=self.api_key)
        if _is_raw(options):
            return cast("AsyncStream[T]", APIResponse(response, lambda: stream))
        return stream

    def paginate(
        self,
        method: str,
        path: str,
        *,
        page_cls: type[PageT],
        items: str,
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        options: RequestOptions,
        page_token: str = "pageToken",
        next_page_token: str = "nextPageToken",
    ) -> AsyncPager[PageT, Any]:
        """A lazy pager over the ``items`` of every page; nothing is sent until it is iterated."""

        async def fetch(token: str | None) -> PageT:
            page_query = query if token is None else {**(query or {}), page_token: token}
            return _parse(page_cls, await self._send(method, path, body, page_query, options))

        return AsyncPager(fetch, page_cls=page_cls, items=items, next_page_token=next_page_token)


class SyncAPIResource:
    """Base of the generated sync resources."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    """Base of the generated async resources."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
