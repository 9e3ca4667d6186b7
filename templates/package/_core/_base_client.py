"""The sync and async API clients: request building, the retry loop and response parsing."""

from __future__ import annotations

import dataclasses
import email.utils
import functools
import logging
import math
import random
import re
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import httpx

from ._constants import (
    CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    INITIAL_RETRY_DELAY,
    MAX_CONNECTIONS,
    MAX_RESPONSE_SIZE,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RAW_RESPONSE_HEADER,
    RETRY_STATUSES,
    SDK_VERSION,
)
from ._body import ACCEPT_ENCODING, aread_body, read_body
from ._deadline import (
    DEADLINE,
    AsyncDeadlineTransport,
    DeadlineTransport,
    clamp_phases,
    enforce,
    time_left,
    tls_context,
)
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    ArgumentError,
    ClientClosedError,
    GeminiError,
    bounded,
    describe_validation_error,
    error_body,
    make_status_error,
    redact,
    sanitized,
    secret_forms,
)
from ._httpx_paths import RequestTemplate, lean_cookies
from ._origin import ORIGIN, guard, origin
from ._pagination import AsyncPager, SyncPager
from ._response import APIResponse
from ._streaming import AsyncStream, Stream
from ._telemetry import CURRENT, Call, observe_async_stream, observe_stream, start_call, tracing
from ._types import NOT_GIVEN, NotGiven, RequestOptions, Timeout
from ._utils import check_path
from ._utils import validate_json as _validate_json

if TYPE_CHECKING:
    import pydantic
    import asyncio

__all__ = ["AsyncAPIClient", "AsyncAPIResource", "SyncAPIClient", "SyncAPIResource"]

log = logging.getLogger("gemini_client")
body_log = logging.getLogger("gemini_client.bodies")
"""Request and response bodies at DEBUG (the key redacted, at most BODY_LOG_LIMIT characters
each); a streamed body is not logged (its chunks are the caller's)."""
BODY_LOG_LIMIT = 16_384


def _body_text(message: httpx.Request | httpx.Response, secrets: tuple[str, ...]) -> str:
    try:
        data = message.content
    except (httpx.RequestNotRead, httpx.ResponseNotRead):
        return "(streamed, not logged)"
    text = data[:BODY_LOG_LIMIT].decode("utf-8", "replace")
    more = f" ... ({len(data)} bytes in all)" if len(data) > BODY_LOG_LIMIT else ""
    return redact(text, secrets) + more


T = TypeVar("T", bound="pydantic.BaseModel")
PageT = TypeVar("PageT", bound="pydantic.BaseModel")
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)
_SyncClientT = TypeVar("_SyncClientT", bound="SyncAPIClient")
_AsyncClientT = TypeVar("_AsyncClientT", bound="AsyncAPIClient")

_RETRY_STATUSES = RETRY_STATUSES
_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"
_VERSION = re.compile(r"^[a-z0-9]+$")
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_UNSENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
)
"""Failures before the whole request reached the server: it cannot have been processed."""
_UNANSWERED = (httpx.ReadError, httpx.ReadTimeout, httpx.RemoteProtocolError)
"""Failures after the request was sent: the server may have processed (and billed) it."""
_STALE = "Server disconnected without sending a response"
"""httpcore's error when a kept-alive connection was closed by the server as it was reused (a
reset shows as ``ReadError``)."""
_LIMITS = httpx.Limits(
    max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS, keepalive_expiry=5.0
)
"""The pool of a client's own httpx client. Every connection may be kept alive: connections stay
warm, and httpcore's pool (what a proxy from the environment sends through) with fewer keep-alive
slots than connections closes a released connection while other threads use the pool, the race
behind ``ReadError: Bad file descriptor`` (encode/httpcore#1110)."""
_SDK_HEADERS = {
    "user-agent": f"gemini-codegen/{SDK_VERSION}",
    "x-goog-api-client": f"gemini-codegen/{SDK_VERSION} gl-python/"
    + ".".join(map(str, sys.version_info[:3])),
}


def _parse(cast_to: type[T], response: httpx.Response, secrets: tuple[str, ...]) -> T:
    import pydantic  # loaded with the models by now; kept out of `import gemini_client`

    if (body := error_body(response.content)) is not None:  # a 2xx that is only an error
        raise make_status_error(response, body=body, secret=secrets)
    try:
        return _validate_json(cast_to, response.content)
    except pydantic.ValidationError as err:  # raised outside: its text shows the input
        message = f"response is not a valid {cast_to.__name__}: {describe_validation_error(err)}"
    body = redact(response.text, secrets)
    raise APIResponseValidationError(message, response=response, body=body)


def _sse_request(
    body: Mapping[str, object] | None,
    query: Mapping[str, object] | None,
    options: RequestOptions,
    flag: str,
) -> tuple[Mapping[str, object] | None, Mapping[str, object], RequestOptions]:
    """The body, query and options of a request asking for server-sent events (see ``stream``)."""
    if not flag:
        return body, {**(query or {}), "alt": "sse"}, options
    headers = {"Accept": "text/event-stream", **(options.extra_headers or {})}
    options = dataclasses.replace(options, extra_headers=headers)
    if body is not None:
        return {**body, flag: True}, query or {}, options
    return body, {**(query or {}), flag: "true"}, options


def _is_raw(options: RequestOptions) -> bool:
    headers = options.extra_headers
    return headers is not None and RAW_RESPONSE_HEADER in headers


def _seconds(value: str) -> float | None:
    """``"30s"``/``"1.5s"`` (a protobuf Duration) or ``"30"`` as seconds."""
    try:
        seconds = float(value.strip().removesuffix("s"))
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) else None


def _retry_hint(headers: httpx.Headers, details: list[Any]) -> float | None:
    """The delay the server asks for: ``retry-after-ms``, ``Retry-After`` or ``RetryInfo``."""
    hint: float | None = None
    if (ms := headers.get("retry-after-ms")) is not None and (value := _seconds(ms)) is not None:
        hint = value / 1000
    elif (retry_after := headers.get("retry-after")) is not None:
        if (hint := _seconds(retry_after)) is None:
            hint = _date_delay(retry_after)
    else:
        for detail in details:
            if isinstance(detail, dict) and detail.get("@type") == _RETRY_INFO:
                delay = detail.get("retryDelay")
                hint = _seconds(delay) if isinstance(delay, str) else None
                break
    return None if hint is None else max(hint, 0.0)


def _date_delay(value: str) -> float | None:
    """Seconds until an HTTP date, ``None`` when ``value`` is not one (or an absurd one)."""
    try:
        date = email.utils.parsedate_tz(value)
        return None if date is None else email.utils.mktime_tz(date) - time.time()
    except (ValueError, OverflowError, OSError):
        return None


def _stale_keepalive(err: Exception) -> bool:
    """Whether ``err`` is a kept-alive connection that the server had closed (or reset) when it
    was reused: not one byte of the answer arrived, the race every long-lived client meets.
    Looked up only after a failure: the httpcore connection that raised is in the traceback,
    counting its requests, with its HTTP/1.1 state still waiting for the answer."""
    if not isinstance(err, (httpx.RemoteProtocolError, httpx.ReadError)):
        return False
    if isinstance(err, httpx.RemoteProtocolError) and _STALE not in str(err):
        return False
    cause = err.__cause__ or err.__context__
    tb = cause.__traceback__ if cause is not None else err.__traceback__
    while tb is not None:
        connection = tb.tb_frame.f_locals.get("self")
        count = getattr(connection, "_request_count", None)
        state = getattr(connection, "_h11_state", None)
        if isinstance(count, int) and state is not None:
            import h11

            return (
                count > 1 and state.their_state is h11.SEND_RESPONSE and not state.trailing_data[0]
            )
        tb = tb.tb_next
    return False


def _check_size_limit(value: object) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        return value
    raise ArgumentError(f"max_response_size: expected bytes > 0 or None, got {value!r}")


def _backoff(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt + 1`` when the server gives no hint."""
    backoff = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())


def _check_timeout(timeout: object, name: str = "timeout") -> Timeout:
    """``timeout`` when it is a positive number, an ``httpx.Timeout`` or ``None``."""
    if timeout is None:
        return None
    if isinstance(timeout, httpx.Timeout):
        phases = timeout.as_dict().values()
        if all(value is None or value > 0 for value in phases):
            return timeout
    elif isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0:
        return float(timeout) if math.isfinite(timeout) else None
    raise ArgumentError(
        f"{name}: expected seconds > 0, an httpx.Timeout with positive values or None, "
        f"got {timeout!r}"
    )


def _check_base_url(base_url: str) -> str:
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError) as err:
        raise ArgumentError(f"base_url: {err}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ArgumentError(f"base_url: expected an http:// or https:// URL, got {base_url!r}")
    if url.query or url.fragment:
        raise ArgumentError(f"base_url: must not have a query or a fragment, got {base_url!r}")
    return base_url.rstrip("/") + "/"


def _check_api_key(api_key: str) -> str:
    """``api_key`` without surrounding whitespace; raises (without showing it) when unusable."""
    if not isinstance(api_key, str):
        raise ArgumentError(f"api_key: expected a string, got {type(api_key).__name__}")
    api_key = api_key.strip()
    if not api_key:
        raise ArgumentError("api_key: empty")
    for i, char in enumerate(api_key):
        if not (char.isascii() and char.isprintable()):
            kind = "a control character" if char.isascii() else "a non-ASCII character"
            raise ArgumentError(f"api_key: {kind} at position {i} (the key is not shown)")
    return api_key


def _merge_headers(headers: dict[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``headers`` updated by ``extra``; a caller's ``User-Agent`` or ``x-goog-api-client`` is
    kept in front of the client's own, as Google's SDKs do."""
    merged = dict(headers)
    for name, value in extra.items():
        key = name.lower()
        sdk = _SDK_HEADERS.get(key)
        merged[key] = value if sdk is None or sdk in value else f"{value} {sdk}"
    return merged


def _httpx_timeout(timeout: Timeout) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    return httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))


class _BaseClient(Generic[_HttpxClientT]):
    """What the sync and async clients share: configuration, building requests and deciding
    whether to retry (no I/O)."""

    def _httpx(self) -> _HttpxClientT:
        """The httpx client that sends this client's requests."""
        raise NotImplementedError

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
        retry_after_send: bool = False,
        max_response_size: int | None = MAX_RESPONSE_SIZE,
    ) -> None:
        if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
            raise ArgumentError(f"max_retries: expected an integer >= 0, got {max_retries!r}")
        self.api_key = _check_api_key(api_key)
        self.base_url = _check_base_url(base_url)
        if api_version and not _VERSION.match(api_version):
            raise ArgumentError(f"api_version: expected e.g. 'v1beta', got {api_version!r}")
        self.api_version = api_version
        self.timeout = _check_timeout(timeout)
        self._phases = _httpx_timeout(self.timeout)
        self.max_retries = max_retries
        self.retry_after_send = retry_after_send
        """Also retry a non-idempotent call (POST) whose request was sent but whose answer was
        lost (read timeout, reset); the server may then process, and bill, it twice."""
        self._auth_header = auth_header
        self._default_headers = dict(default_headers or {})
        self._headers = _merge_headers(
            {**_SDK_HEADERS, "accept-encoding": ACCEPT_ENCODING, auth_header.lower(): self.api_key},
            self._default_headers,
        )
        self._call_headers = self._headers
        """What each request adds to its httpx client's own headers (see ``_set_call_headers``)."""
        self._secrets = secret_forms(self.api_key)
        self.max_response_size = _check_size_limit(max_response_size)
        """The most bytes of a body held in memory or inflated from a compressed one (see
        ``MAX_RESPONSE_SIZE``); ``None`` for no cap."""
        self._origin = origin(httpx.URL(self.base_url))
        self._guard = {ORIGIN: (self._origin, auth_header.lower())}
        self._tracing = tracing()  # OpenTelemetry installed: a span per call (_telemetry.py)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, max_retries={self.max_retries})"

    def _set_call_headers(self, own_pool: bool) -> None:
        """Headers per request: all of this client's; or, when the httpx client is one the client
        made (holding the constant SDK headers, ``_POOL_HEADERS``), only those that differ from
        its, so that httpx does not merge the same headers into every request again. And those
        of a plain call (no extra headers, the client's timeout), merged with the httpx client's
        once (``RequestTemplate``)."""
        self._own_pool = own_pool
        if not own_pool:
            self._call_headers = self._headers
        else:
            pooled = self._httpx().headers
            self._call_headers = {k: v for k, v in self._headers.items() if pooled.get(k) != v}
        self._plain = _with_server_timeout(self._call_headers, self._guard, self.timeout)
        self._template = RequestTemplate(self._plain[0])

    def _options(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: Timeout | NotGiven,
        max_retries: int | None,
        headers: Mapping[str, str],
        retry_after_send: bool | None,
    ) -> dict[str, Any]:
        """The settings of a ``with_options`` copy."""
        return {
            "api_key": self.api_key if api_key is None else api_key,
            "base_url": self.base_url if base_url is None else base_url,
            "auth_header": self._auth_header,
            "api_version": self.api_version,
            "timeout": self.timeout if isinstance(timeout, NotGiven) else timeout,
            "max_retries": self.max_retries if max_retries is None else max_retries,
            "default_headers": {**self._default_headers, **headers},
            "retry_after_send": (
                self.retry_after_send if retry_after_send is None else retry_after_send
            ),
            "max_response_size": self.max_response_size,
        }

    def _url(self, path: str, api_version: str = "") -> str:
        """``path`` under the API version (``models/x:generateContent``): ``api_version`` when the
        method is pinned to one, else the client's; or ``path`` as it is when it is a full URL (an
        upload URL the client built; path parameters are percent-encoded, so a value given for one
        can never make a full URL)."""
        if path.startswith(("https://", "http://")):
            return path
        check_path(path)
        version = api_version or self.api_version
        return self.base_url + (f"{version}/" if version else "") + path

    def _build_request(
        self,
        method: str,
        path: str,
        body: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        options: RequestOptions,
        content: tuple[bytes, str] | None = None,
    ) -> tuple[httpx.Request, float | None]:
        """The request and its deadline (a ``time.monotonic()`` value, or ``None``); ``content``
        is a raw body and its content type, sent instead of JSON ``body``."""
        url = self._url(path, options.api_version)
        if isinstance(options.timeout, NotGiven):
            timeout, phases = self.timeout, self._phases
        else:
            timeout = _check_timeout(options.timeout)
            phases = _httpx_timeout(timeout)
        deadline = time.monotonic() + timeout if isinstance(timeout, float) else None
        try:
            if options.extra_query:
                query = {**(query or {}), **options.extra_query}
            if options.extra_body:
                body = {**(body or {}), **options.extra_body}
            params = {k: v for k, v in query.items() if v is not None} if query else None
            client = self._httpx()
            request = None
            if timeout is self.timeout and content is None and not options.extra_headers:
                request = self._template.build(
                    client,
                    method,
                    url,
                    params=params,
                    json=body,
                    timeout=phases.as_dict(),
                    extensions=self._plain[1],
                )
            if request is None:
                headers = self._call_headers
                if options.extra_headers:
                    headers = _merge_headers(headers, options.extra_headers)
                    headers.pop(RAW_RESPONSE_HEADER, None)
                if content is not None:
                    headers = {**headers, "content-type": content[1]}
                headers, extensions = _with_server_timeout(headers, self._guard, timeout)
                request = client.build_request(
                    method,
                    url,
                    params=cast(Any, params),
                    headers=headers,
                    json=body if content is None else None,
                    content=None if content is None else content[0],
                    timeout=phases,
                    extensions=extensions,
                )
        except (TypeError, ValueError) as err:  # a header that is not ASCII, a body not JSON
            problem = redact(f"{type(err).__name__}: {err}", self._secrets)
        else:
            if origin(request.url) != self._origin:
                raise ArgumentError(
                    f"path: {redact(str(request.url))[:200]!r} is not on the API's origin "
                    f"{self.base_url!r}; the API key is sent there only"
                )
            return request, deadline
        raise ArgumentError(f"extra_headers/extra_query/extra_body: {bounded(problem, 200)}")

    def _answer_failure(
        self,
        attempt: int,
        response: httpx.Response,
        deadline: float | None,
    ) -> float | None:
        """``None`` for a usable 2xx ``response``, else the delay before retrying it; raises when
        it must not be retried."""
        self._log_response(response.request, response, attempt)
        if response.is_success:
            if response.is_stream_consumed and (body := error_body(response.content)) is not None:
                return self._status_failure(attempt, response, deadline, body)
            return None
        return self._status_failure(attempt, response, deadline)

    def _status_failure(
        self, attempt: int, response: httpx.Response, deadline: float | None, body: object = None
    ) -> float:
        """The delay before retrying an error ``response`` (or a 2xx whose decoded ``body`` is an
        error); raises when it must not be retried."""
        error = make_status_error(response, body=body, secret=self._secrets)
        error.retry_after = _retry_hint(response.headers, error.details)
        if error.status_code not in _RETRY_STATUSES:
            raise error
        return self._next_delay(attempt, error, error.retry_after, deadline)

    def _transport_failure(
        self,
        attempt: int,
        request: httpx.Request,
        err: httpx.TransportError,
        deadline: float | None,
        replayable: bool = False,
    ) -> float:
        """The delay before retrying after a transport error; raises when it must not be retried.
        ``replayable``: sending ``request`` twice does no harm (a resumable upload's steps)."""
        error = self._connection_error(request, err, deadline, attempt)
        if _stale_keepalive(err):  # not the server's load: retried at once, on a new connection
            if attempt >= self.max_retries:
                raise error
            return 0.0
        retry = isinstance(err, _UNSENT) or (
            isinstance(err, _UNANSWERED)
            and (replayable or self.retry_after_send or request.method in _IDEMPOTENT)
        )
        if not retry or isinstance(error, APITimeoutError) and _expired(deadline):
            raise error
        return self._next_delay(attempt, error, None, deadline)

    def _connection_error(
        self, request: httpx.Request, err: Exception, deadline: float | None, attempt: int
    ) -> APIConnectionError:
        error: APIConnectionError
        if isinstance(err, httpx.TimeoutException) and _expired(deadline):
            error = APITimeoutError(
                f"the call's deadline passed during attempt {attempt + 1}", request=request
            )
        else:
            cls = APITimeoutError if isinstance(err, httpx.TimeoutException) else APIConnectionError
            error = cls(redact(f"{type(err).__name__}: {err}", self._secrets), request=request)
        error.__cause__ = sanitized(err, self._secrets)
        return error

    def _redirect_loop(self, request: httpx.Request, err: httpx.TooManyRedirects) -> APIError:
        error = APIConnectionError(
            redact(f"too many redirects: {err}", self._secrets), request=request
        )
        error.__cause__ = sanitized(err, self._secrets)
        return error

    def _next_delay(
        self, attempt: int, error: APIError, hint: float | None, deadline: float | None
    ) -> float:
        """The delay before the next attempt; raises ``error`` when none may follow."""
        if attempt >= self.max_retries:
            raise error
        if hint is not None and hint > MAX_RETRY_AFTER:
            raise error
        delay = _backoff(attempt) if hint is None else hint
        left = time_left(deadline)
        if left is not None and delay >= left:
            raise error
        log.debug("retry %d of %d in %.2fs after: %s", attempt + 1, self.max_retries, delay, error)
        if self._tracing and (call := CURRENT.get()) is not None:
            call.retry(attempt, delay, error)
        return delay

    def _call(
        self, method: str, path: str, body: Mapping[str, object] | None, *, nested: bool = False
    ) -> Call | None:
        """The span of a call when tracing; ``nested``: only if no call is being traced already
        (the send loop under ``request``/``stream`` is part of their span)."""
        if not self._tracing or (nested and CURRENT.get() is not None):
            return None
        return start_call(self.base_url, method, path, body)

    def _log_response(self, request: httpx.Request, response: httpx.Response, attempt: int) -> None:
        if log.isEnabledFor(logging.DEBUG):
            url = redact(str(request.url), self._secrets)
            log.debug(
                "%s %s -> %d (attempt %d)", request.method, url, response.status_code, attempt + 1
            )
            if body_log.isEnabledFor(logging.DEBUG):
                body_log.debug("request body: %s", _body_text(request, self._secrets))
                body_log.debug("response body: %s", _body_text(response, self._secrets))


_SERVER_TIMEOUT = "gemini_client.server_timeout"
"""The request extension holding the ``X-Server-Timeout`` value its headers carry."""


def _server_timeout(left: float) -> str:
    return str(max(1, math.ceil(left)))


def _with_server_timeout(
    headers: dict[str, str], extensions: dict[str, Any], timeout: Timeout
) -> tuple[dict[str, str], dict[str, Any]]:
    """``headers`` and ``extensions`` of a request sent with ``timeout``: a total (seconds) is
    told to the server as ``X-Server-Timeout`` (see ``_tell_server``)."""
    if not isinstance(timeout, float):
        return headers, extensions
    value = _server_timeout(timeout)
    return {**headers, "x-server-timeout": value}, {**extensions, _SERVER_TIMEOUT: value}


def _tell_server(request: httpx.Request, deadline: float | None) -> None:
    """Send the time left as ``X-Server-Timeout`` (seconds), as google-genai does, so that the
    API stops working on a call the client will have given up on. The header is rewritten only
    when its value changes (httpx's headers are a list: every write scans it)."""
    left = time_left(deadline)
    if left is not None:
        value = _server_timeout(left)
        if request.extensions.get(_SERVER_TIMEOUT) != value:
            request.headers["x-server-timeout"] = value
            request.extensions[_SERVER_TIMEOUT] = value
        clamp_phases(request, deadline)


_POOL_HEADERS = {**_SDK_HEADERS, "accept-encoding": ACCEPT_ENCODING}
"""The headers of every request, set once on the client's own httpx clients (never the key: a
header of the httpx client would go wherever it sends)."""


def _own_client() -> httpx.Client:
    """The client's own httpx client: every socket operation held to the call's deadline, unless
    an environment proxy is configured (httpx honours it only with its own transport)."""
    import urllib.request

    if urllib.request.getproxies():
        return httpx.Client(limits=_LIMITS, headers=_POOL_HEADERS, verify=tls_context())
    return httpx.Client(transport=DeadlineTransport(limits=_LIMITS), headers=_POOL_HEADERS)


def _own_async_client() -> httpx.AsyncClient:
    """The async twin of ``_own_client``."""
    import urllib.request

    if urllib.request.getproxies():
        return httpx.AsyncClient(limits=_LIMITS, headers=_POOL_HEADERS, verify=tls_context())
    return httpx.AsyncClient(
        transport=AsyncDeadlineTransport(limits=_LIMITS), headers=_POOL_HEADERS
    )


def _expired(deadline: float | None) -> bool:
    left = time_left(deadline)
    return left is not None and left <= 0.01


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
        retry_after_send: bool = False,
        max_response_size: int | None = MAX_RESPONSE_SIZE,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            auth_header=auth_header,
            api_version=api_version,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            retry_after_send=retry_after_send,
            max_response_size=max_response_size,
        )
        self._owns_client = http_client is None
        self._client = http_client if http_client is not None else _own_client()
        guard(self._client)
        lean_cookies(self._client)
        self._set_call_headers(self._owns_client)
        self._sleep: Callable[[float], None] = time.sleep

    def _httpx(self) -> httpx.Client:
        return self._client

    def with_options(
        self: _SyncClientT,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        retry_after_send: bool | None = None,
        max_response_size: int | None | NotGiven = NOT_GIVEN,
    ) -> _SyncClientT:
        """A copy with some settings replaced, sharing this client's connection pool.

        ``default_headers`` and ``extra_headers`` are merged into this client's headers.
        Subclasses get a copy of their own type; their ``__init__`` is not called again.
        """
        new = object.__new__(type(self))
        headers = {**(default_headers or {}), **(extra_headers or {})}
        options = self._options(api_key, base_url, timeout, max_retries, headers, retry_after_send)
        if not isinstance(max_response_size, NotGiven):
            options["max_response_size"] = max_response_size
        SyncAPIClient.__init__(new, **options, http_client=self._client)
        new._owns_client = False
        new._set_call_headers(self._own_pool)
        new._sleep = self._sleep
        return new

    copy = with_options

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
        call = self._call(method, path, body, nested=True)
        if call is None:
            return self._send_timed(
                method, path, body, query, options, stream=stream, content=content
            )[0]
        token = CURRENT.set(call)
        try:
            response = self._send_timed(
                method, path, body, query, options, stream=stream, content=content
            )[0]
        except BaseException as err:
            call.end(error=err)
            raise
        finally:
            CURRENT.reset(token)
        call.end()
        return response

    def _send_timed(
        self,
        method: str,
        path: str,
        body: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        options: RequestOptions,
        *,
        stream: bool = False,
        content: tuple[bytes, str] | None = None,
    ) -> tuple[httpx.Response, float | None]:
        """``_send``, also returning the call's deadline (for reading a stream within it)."""
        request, deadline = self._build_request(method, path, body, query, options, content)
        attempt = 0
        while True:
            if self._client.is_closed:
                raise ClientClosedError("the client is closed: create a new one")
            failure: httpx.TransportError | None = None
            _tell_server(request, deadline)
            token = DEADLINE.set(deadline)
            try:
                response = self._client.send(request, stream=True)
                enforce(self._client, response, deadline)
                try:
                    if not stream or not response.is_success:
                        read_body(response, self.max_response_size)
                except BaseException:
                    response.close()
                    raise
            except httpx.TransportError as err:
                failure = err
            except httpx.TooManyRedirects as err:
                raise self._redirect_loop(request, err) from None
            finally:
                DEADLINE.reset(token)
            delay: float | None
            if failure is not None:
                delay = self._transport_failure(attempt, request, failure, deadline)
            elif (delay := self._answer_failure(attempt, response, deadline)) is None:
                return response, deadline
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
        call = self._call(method, path, body)
        token = None if call is None else CURRENT.set(call)
        try:
            # the span (if any) is this call's: no nested one for the send loop
            response = self._send_timed(method, path, body, query, options, content=content)[0]
            if _is_raw(options):
                parse = functools.partial(_parse, cast_to, response, self._secrets)
                result = cast(T, APIResponse(response, parse))
            else:
                result = _parse(cast_to, response, self._secrets)
        except BaseException as err:
            if call is not None:
                call.end(error=err)
            raise
        finally:
            if token is not None:
                CURRENT.reset(token)
        if call is not None:
            call.end(result)
        return result

    def stream(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        options: RequestOptions,
        flag: str = "",
    ) -> Stream[T]:
        """Send a request asking for server-sent events and stream them as ``cast_to`` chunks.

        The request asks with ``alt=sse``; with ``flag``, with that body field (query parameter
        when there is no body) set to true instead, as the Interactions API wants.
        """
        body, query, options = _sse_request(body, query, options, flag)
        call = self._call(method, path, body)
        token = None if call is None else CURRENT.set(call)
        try:
            response, deadline = self._send_timed(method, path, body, query, options, stream=True)
        except BaseException as err:
            if call is not None:
                call.end(error=err)
            raise
        finally:
            if token is not None:
                CURRENT.reset(token)
        stream = Stream(
            cast_to=cast_to,
            response=response,
            secret=self._secrets,
            deadline=deadline,
            limit=self.max_response_size,
        )
        if call is not None:  # the span ends with the stream
            stream._iterator = observe_stream(call, stream._iterator)
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
            response = self._send(method, path, body, page_query, options)
            return _parse(page_cls, response, self._secrets)

        return SyncPager(fetch, page_cls=page_cls, items=items, next_page_token=next_page_token)


class _LoopBoundClient:
    """The ``httpx.AsyncClient`` of an ``AsyncAPIClient`` and its copies.

    Its connections belong to the event loop that opened them, so when a call runs in another loop
    (a second ``asyncio.run()``, a new notebook cell loop) a client the ``AsyncAPIClient`` made is
    replaced by a fresh one; one passed in as ``http_client`` raises a clear error instead.
    """

    def __init__(self, client: httpx.AsyncClient | None) -> None:
        self.owned = client is None
        self.client = _own_async_client() if client is None else client
        guard(self.client)
        lean_cookies(self.client)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    def get(self) -> httpx.AsyncClient:
        import asyncio

        loop = asyncio.get_running_loop()
        if self.closed or self.client.is_closed:
            raise ClientClosedError("the client is closed: create a new one")
        if self.loop is not loop:
            if self.loop is not None:
                if not self.owned:
                    raise GeminiError(
                        "the http_client passed to this AsyncClient was used in another event "
                        "loop; create both inside the event loop (the asyncio.run) that uses them"
                    )
                self.client = _own_async_client()  # the old one's connections died with its loop
                guard(self.client)
                lean_cookies(self.client)
            self.loop = loop
        return self.client


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """The asynchronous client: one ``httpx.AsyncClient`` per event loop, reused for every request."""

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
        retry_after_send: bool = False,
        max_response_size: int | None = MAX_RESPONSE_SIZE,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            auth_header=auth_header,
            api_version=api_version,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            retry_after_send=retry_after_send,
            max_response_size=max_response_size,
        )
        self._http = _LoopBoundClient(http_client)
        self._owns_client = self._http.owned
        self._set_call_headers(self._owns_client)
        import asyncio  # only the async client needs it: kept out of import time

        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    @property
    def _client(self) -> httpx.AsyncClient:
        return self._http.client

    def _httpx(self) -> httpx.AsyncClient:
        return self._http.client

    def with_options(
        self: _AsyncClientT,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        retry_after_send: bool | None = None,
        max_response_size: int | None | NotGiven = NOT_GIVEN,
    ) -> _AsyncClientT:
        """A copy with some settings replaced, sharing this client's connection pool.

        ``default_headers`` and ``extra_headers`` are merged into this client's headers.
        Subclasses get a copy of their own type; their ``__init__`` is not called again.
        """
        new = object.__new__(type(self))
        headers = {**(default_headers or {}), **(extra_headers or {})}
        options = self._options(api_key, base_url, timeout, max_retries, headers, retry_after_send)
        if not isinstance(max_response_size, NotGiven):
            options["max_response_size"] = max_response_size
        AsyncAPIClient.__init__(new, **options, http_client=self._http.client)
        new._http = self._http
        new._owns_client = False
        new._set_call_headers(self._own_pool)
        new._sleep = self._sleep
        return new

    copy = with_options

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in as ``http_client``)."""
        if self._owns_client:
            self._http.closed = True
            await self._http.client.aclose()

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
        call = self._call(method, path, body, nested=True)
        if call is None:
            sent = await self._send_timed(
                method, path, body, query, options, stream=stream, content=content
            )
            return sent[0]
        token = CURRENT.set(call)
        try:
            sent = await self._send_timed(
                method, path, body, query, options, stream=stream, content=content
            )
        except BaseException as err:
            call.end(error=err)
            raise
        finally:
            CURRENT.reset(token)
        call.end()
        return sent[0]

    async def _send_timed(
        self,
        method: str,
        path: str,
        body: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        options: RequestOptions,
        *,
        stream: bool = False,
        content: tuple[bytes, str] | None = None,
    ) -> tuple[httpx.Response, float | None]:
        """``_send``, also returning the call's deadline (for reading a stream within it)."""
        request, deadline = self._build_request(method, path, body, query, options, content)
        attempt = 0
        while True:
            client = self._http.get()
            failure: httpx.TransportError | None = None
            _tell_server(request, deadline)
            token = DEADLINE.set(deadline)
            try:
                response = await client.send(request, stream=True)
                enforce(client, response, deadline)
                try:
                    if not stream or not response.is_success:
                        await aread_body(response, self.max_response_size)
                except BaseException:
                    await response.aclose()
                    raise
            except httpx.TransportError as err:
                failure = err
            except httpx.TooManyRedirects as err:
                raise self._redirect_loop(request, err) from None
            finally:
                DEADLINE.reset(token)
            delay: float | None
            if failure is not None:
                delay = self._transport_failure(attempt, request, failure, deadline)
            elif (delay := self._answer_failure(attempt, response, deadline)) is None:
                return response, deadline
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
        call = self._call(method, path, body)
        token = None if call is None else CURRENT.set(call)
        try:
            sent = await self._send_timed(method, path, body, query, options, content=content)
            response = sent[0]  # the span (if any) is this call's: no nested one for the send loop
            if _is_raw(options):
                parse = functools.partial(_parse, cast_to, response, self._secrets)
                result = cast(T, APIResponse(response, parse))
            else:
                result = _parse(cast_to, response, self._secrets)
        except BaseException as err:
            if call is not None:
                call.end(error=err)
            raise
        finally:
            if token is not None:
                CURRENT.reset(token)
        if call is not None:
            call.end(result)
        return result

    async def stream(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        body: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        options: RequestOptions,
        flag: str = "",
    ) -> AsyncStream[T]:
        """Send a request asking for server-sent events and stream them as ``cast_to`` chunks.

        The request asks with ``alt=sse``; with ``flag``, with that body field (query parameter
        when there is no body) set to true instead, as the Interactions API wants.
        """
        body, query, options = _sse_request(body, query, options, flag)
        call = self._call(method, path, body)
        token = None if call is None else CURRENT.set(call)
        try:
            response, deadline = await self._send_timed(
                method, path, body, query, options, stream=True
            )
        except BaseException as err:
            if call is not None:
                call.end(error=err)
            raise
        finally:
            if token is not None:
                CURRENT.reset(token)
        stream = AsyncStream(
            cast_to=cast_to,
            response=response,
            secret=self._secrets,
            deadline=deadline,
            limit=self.max_response_size,
        )
        if call is not None:  # the span ends with the stream
            stream._iterator = observe_async_stream(call, stream._iterator)
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
            response = await self._send(method, path, body, page_query, options)
            return _parse(page_cls, response, self._secrets)

        return AsyncPager(fetch, page_cls=page_cls, items=items, next_page_token=next_page_token)


class SyncAPIResource:
    """Base of the generated sync resources."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    """Base of the generated async resources."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
