"""Exceptions raised by the client.

```
GeminiError
└── APIError                        message, status_code, status, details, request, response, body
    ├── APIStatusError              the API answered with an error status (or a stream sent an error)
    │   ├── BadRequestError             400
    │   ├── AuthenticationError         401
    │   ├── PermissionDeniedError       403
    │   ├── NotFoundError               404
    │   ├── ConflictError               409
    │   ├── UnprocessableEntityError    422
    │   ├── RateLimitError              429
    │   └── InternalServerError         5xx
    ├── APIConnectionError          no usable answer: connection refused, reset, stream interrupted,
    │   │                           a redirect loop
    │   └── APITimeoutError             a phase timed out or the call's total deadline passed
    ├── APIResponseValidationError  an answer that cannot be decoded or does not fit its model
    │   └── ResponseTooLargeError       a body past ``max_response_size`` (e.g. a gzip bomb)
    └── LiveSessionError            a Live session closed with an error: WebSocket close code, reason
ArgumentError (also a ValueError)   a bad argument, found before anything is sent
ClientClosedError (also a RuntimeError)  a call on a closed client
```

``str(error)`` is one line, e.g.
``429 RESOURCE_EXHAUSTED: Quota exceeded (POST https://host/v1beta/models/x:generateContent)``.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ArgumentError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "GeminiError",
    "InternalServerError",
    "LiveSessionError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "UnprocessableEntityError",
    "error_body",
    "make_status_error",
]

_KEY_PARAM = re.compile(r"([?&]key=)[^&#\s)]*", re.IGNORECASE)
MAX_MESSAGE = 1000
"""Characters of a server's message kept in ``str(error)``; the whole body stays on ``err.body``."""


def secret_forms(secret: str | None) -> tuple[str, ...]:
    """The texts ``secret`` can show up as when a server echoes it: as is, base64-encoded
    (standard and URL-safe alphabets, at each of the three byte alignments inside a longer
    encoded text, padding aside) and hex. ``redact`` also finds them with any of their characters
    escaped (percent-encoded, twice too, JSON ``\\u``, ``\\x``, HTML entities, backslashes)."""
    if not secret:
        return ()
    data = secret.encode("utf-8", errors="backslashreplace")
    forms = {secret, data.hex(), data.hex().upper()}
    for offset in range(3):
        # The characters that encode only the secret's bits when it starts `offset` bytes into
        # a 3-byte group; the first and last, shared with neighbouring bytes, are left out.
        encoded = base64.b64encode(bytes(offset) + data).decode()
        core = encoded[-(-8 * offset // 6) : 8 * (offset + len(data)) // 6]
        if len(core) >= 8:
            forms.add(core)
            forms.add(core.replace("+", "-").replace("/", "_"))
    return tuple(sorted(forms, key=len, reverse=True))


_BACKSLASHED = re.compile(r"\\(?:u00([0-9A-Fa-f]{2})|x([0-9A-Fa-f]{2})|([^0-9A-Za-z]))")


@functools.lru_cache(maxsize=8)
def _run_pattern(shortest: int) -> re.Pattern[str]:
    """Runs of at least ``shortest`` characters that may spell a key, some of them escaped."""
    return re.compile(rf"[0-9A-Za-z+/=_.~%&#;\\-]{{{shortest},}}")


def _unescaped(run: str) -> str:
    """``run`` with percent-encoding (twice too), HTML character references and backslash
    escapes (``\\u00XX``, ``\\xXX``, ``\\/``) decoded."""
    if "%" in run:
        run = unquote(unquote(run))
    if "&#" in run:
        run = html.unescape(run)
    if "\\" in run:
        run = _BACKSLASHED.sub(lambda m: m[3] or chr(int(m[1] or m[2], 16)), run)
    return run


def _redact_escaped(text: str, forms: tuple[str, ...]) -> str:
    """``text`` with each run of (partly) escaped characters that spells one of ``forms``
    replaced whole; runs without an escape are left to plain replacement."""

    def check(match: re.Match[str]) -> str:
        run = match[0]
        if "%" not in run and "\\" not in run and "&" not in run:
            return run
        decoded = _unescaped(run)
        return "REDACTED" if any(form in decoded for form in forms) else run

    return _run_pattern(min(len(form) for form in forms)).sub(check, text)


def redact(text: str, secret: str | Iterable[str] | None = None) -> str:
    """``text`` without a ``key=`` query value or the ``secret`` (a key, in every form that
    ``secret_forms`` lists, or those forms already listed), escaped or not."""
    text = _KEY_PARAM.sub(r"\1REDACTED", text)
    forms = secret_forms(secret) if isinstance(secret, str) else tuple(f for f in secret or () if f)
    if not forms:
        return text
    if "%" in text or "\\" in text or "&#" in text:
        text = _redact_escaped(text, forms)
    for form in forms:
        text = text.replace(form, "REDACTED")
    return text


def redact_json(value: object, secret: str | Iterable[str] | None) -> object:
    """A decoded JSON ``value`` with the ``secret`` (as for ``redact``) removed from every string,
    keys too. Iterative, so a deeply nested body cannot exhaust the stack.
    """
    secrets = secret_forms(secret) if isinstance(secret, str) else tuple(secret or ())
    if not secrets:
        return value
    root: list[object] = [value]
    stack: list[tuple[list[object] | dict[str, object], str | int]] = [(root, 0)]
    while stack:
        holder, slot = stack.pop()
        item = holder[slot]  # type: ignore[index]
        if isinstance(item, str):
            holder[slot] = redact(item, secrets)  # type: ignore[index]
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            cleaned = {redact(k, secrets): v for k, v in item.items()}
            holder[slot] = cleaned  # type: ignore[index]
            stack.extend((cleaned, k) for k in cleaned)
    return root[0]


def sanitized(err: Exception, secrets: str | Iterable[str] | None) -> Exception:
    """A copy of ``err`` with a redacted message and no chained exceptions (they may show the key),
    to serve as the ``__cause__`` of the client's own error."""
    message = redact(str(err), secrets)
    try:
        return type(err)(message)
    except Exception:  # an exception class with another signature
        return GeminiError(f"{type(err).__name__}: {message}")


def bounded(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def describe_validation_error(err: Any) -> str:
    """A pydantic ValidationError in one line, without the input values (which may echo secrets)."""
    errors = err.errors(include_url=False, include_input=False)
    first = errors[0] if errors else {"loc": (), "msg": "invalid"}
    where = ".".join(str(part) for part in first["loc"]) or "(root)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"


class GeminiError(Exception):
    """The root of every exception this client raises."""


class ArgumentError(GeminiError, ValueError):
    """A bad argument, found before anything was sent; the message starts with its path.

    ```py
    client.models.generate_content(model="m", contents=[{"parts": [{"inline_data": {"data": "%%"}}]}])
    # ArgumentError: contents[0].parts[0].inline_data.data: invalid base64 text ...
    ```
    """


class ClientClosedError(GeminiError, RuntimeError):
    """A call on a client (or a ``with_options`` copy of one) whose connection pool is closed."""


class APIError(GeminiError):
    """A request that did not produce the expected result."""

    message: str
    status_code: int | None
    status: str | None
    """The ``google.rpc`` status name, e.g. ``"RESOURCE_EXHAUSTED"``."""
    details: list[Any]
    """The ``google.rpc`` error details, e.g. ``RetryInfo``, as JSON objects."""
    request: httpx.Request | None
    response: httpx.Response | None
    body: object
    """The decoded JSON error body, the raw text when it is not JSON, or ``None``."""
    retry_after: float | None
    """Seconds the server asked to wait before retrying (``Retry-After``, ``RetryInfo``), if any."""

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
        body: object = None,
        status_code: int | None = None,
        status: str | None = None,
        details: list[Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = bounded(redact(message))
        self.retry_after = retry_after
        self.request = request if request is not None or response is None else response.request
        self.response = response
        self.body = body
        self.status_code = status_code
        self.status = status
        self.details = details if details is not None else []
        super().__init__(self.message)

    def __str__(self) -> str:
        head = " ".join(str(part) for part in (self.status_code, self.status) if part is not None)
        text = " ".join(self.message.split()) or type(self).__name__
        line = f"{head}: {text}" if head else text
        if self.request is not None:
            line += f" ({self.request.method} {redact(str(self.request.url))})"
        return line


class APIStatusError(APIError):
    """The API answered with an error status."""

    response: httpx.Response
    status_code: int

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object = None,
        status_code: int | None = None,
        status: str | None = None,
        details: list[Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message,
            response=response,
            body=body,
            status_code=response.status_code if status_code is None else status_code,
            status=status,
            details=details,
            retry_after=retry_after,
        )


class BadRequestError(APIStatusError):
    """400, usually ``INVALID_ARGUMENT`` or ``FAILED_PRECONDITION``."""


class AuthenticationError(APIStatusError):
    """401, ``UNAUTHENTICATED``."""


class PermissionDeniedError(APIStatusError):
    """403, ``PERMISSION_DENIED`` (also an invalid API key)."""


class NotFoundError(APIStatusError):
    """404, ``NOT_FOUND``."""


class ConflictError(APIStatusError):
    """409, ``ALREADY_EXISTS`` or ``ABORTED``."""


class UnprocessableEntityError(APIStatusError):
    """422."""


class RateLimitError(APIStatusError):
    """429, ``RESOURCE_EXHAUSTED``."""


class InternalServerError(APIStatusError):
    """5xx, e.g. ``INTERNAL``, ``UNAVAILABLE`` or ``DEADLINE_EXCEEDED``."""


class APIConnectionError(APIError):
    """No usable answer: the connection failed or broke (also in the middle of a stream)."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """An answer that cannot be used: a body that cannot be decoded (corrupt gzip, bad JSON), does
    not fit the expected model, or a pager whose server repeats a page token."""

    def __init__(
        self, message: str, *, response: httpx.Response | None = None, body: object = None
    ) -> None:
        super().__init__(
            message,
            response=response,
            body=body,
            status_code=None if response is None else response.status_code,
        )


class ResponseTooLargeError(APIResponseValidationError):
    """A body larger than the client's ``max_response_size`` once decoded (e.g. a gzip bomb), or a
    stream event that large; reading stopped there, with memory bounded."""

    limit: int
    """The ``max_response_size`` that was passed, in bytes."""

    def __init__(self, message: str, *, response: httpx.Response | None = None, limit: int) -> None:
        super().__init__(message, response=response)
        self.limit = limit


class LiveSessionError(APIError):
    """A Live session the server closed with an error, or that was lost (``code`` 1006).

    ``code`` is the WebSocket close code, e.g. 1007 (invalid argument), 1008 (policy violation,
    also an invalid API key), 1011 (internal error); ``reason`` the server's close reason.
    """

    code: int
    reason: str

    def __init__(self, message: str, *, code: int, reason: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.reason = redact(reason)


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _error_class(status_code: int) -> type[APIStatusError]:
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)


def decode_json(text: str | bytes) -> object:
    """The JSON value of ``text``; raises ``ValueError`` when it is not JSON or nested too deep."""
    try:
        return json.loads(text)
    except RecursionError as err:
        raise ValueError("JSON nested too deep") from err


_ERROR_START = re.compile(rb'\s*\[?\s*\{\s*"error"\s*:')
_RPC_STATUS = (
    "OK CANCELLED UNKNOWN INVALID_ARGUMENT DEADLINE_EXCEEDED NOT_FOUND ALREADY_EXISTS "
    "PERMISSION_DENIED RESOURCE_EXHAUSTED FAILED_PRECONDITION ABORTED OUT_OF_RANGE UNIMPLEMENTED "
    "INTERNAL UNAVAILABLE DATA_LOSS UNAUTHENTICATED"
).split()
"""The ``google.rpc.Code`` names by number."""
_STATUS_HTTP = {
    "CANCELLED": 499,
    "UNKNOWN": 500,
    "INVALID_ARGUMENT": 400,
    "DEADLINE_EXCEEDED": 504,
    "NOT_FOUND": 404,
    "ALREADY_EXISTS": 409,
    "PERMISSION_DENIED": 403,
    "RESOURCE_EXHAUSTED": 429,
    "FAILED_PRECONDITION": 400,
    "ABORTED": 409,
    "OUT_OF_RANGE": 400,
    "UNIMPLEMENTED": 501,
    "INTERNAL": 500,
    "UNAVAILABLE": 503,
    "DATA_LOSS": 500,
    "UNAUTHENTICATED": 401,
}
"""The HTTP status Google maps each ``google.rpc.Code`` to."""


def error_body(content: bytes) -> object | None:
    """The decoded body when ``content`` (a 2xx answer) is only Google's error object,
    ``{"error": {...}}`` or ``[{"error": {...}}]``; else ``None``. Cheap on a normal answer."""
    if not _ERROR_START.match(content[:64]):
        return None
    try:
        body = decode_json(content)
    except ValueError:
        return None
    return body if _error_object(body) is not None and len(_first(body)) == 1 else None


def _first(body: object) -> dict[str, Any]:
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return body[0]
    return body if isinstance(body, dict) else {}


def _error_object(body: object) -> object:
    """The ``error`` member of an error body (also sent as a one-element array)."""
    return _first(body).get("error")


def _as_int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 6:
        return int(value.strip())
    return None


def _code_and_status(error: dict[str, Any], http_status: int) -> tuple[int, str | None]:
    """The HTTP status and ``google.rpc`` status name an error object means: its ``code`` (an
    HTTP status or a ``google.rpc.Code``, as a number or a string) and ``status`` (a name or a
    number), else the response's status."""
    code, status = error.get("code"), error.get("status")
    number = _as_int(code)
    if isinstance(code, str) and number is None and code.strip():
        status = status if isinstance(status, str) else code.strip()
    if _as_int(status) is not None:
        rpc = _as_int(status)
        status = _RPC_STATUS[rpc] if rpc is not None and 0 < rpc < len(_RPC_STATUS) else None
    name = bounded(status.strip().upper(), 100) if isinstance(status, str) and status else None
    if number is not None and 100 <= number <= 599:
        return number, name
    if number is not None and 0 < number < len(_RPC_STATUS):
        name = name or _RPC_STATUS[number]
    if http_status < 400 and name in _STATUS_HTTP:
        return _STATUS_HTTP[name], name
    return http_status, name


def make_status_error(
    response: httpx.Response,
    *,
    body: object = None,
    secret: str | Iterable[str] | None = None,
    retry_after: float | None = None,
) -> APIStatusError:
    """The typed error for an error ``response``, from Google's ``{"error": {...}}`` body.

    ``body`` is the already decoded JSON (a stream's error event, a 2xx answer that is only an
    error), else the response body is read; a body that is not JSON or has another shape still
    gives an error with the HTTP status. The class follows the error's ``code``, else the
    ``google.rpc`` status it names (``RESOURCE_EXHAUSTED`` -> ``RateLimitError``), else the HTTP
    status. The ``secret`` (the API key, or its forms from ``secret_forms``) is removed from the
    message, the body and the details should the server echo it.
    """
    if body is None:
        try:
            body = decode_json(response.content)
        except ValueError:
            body = response.text or None
    body = redact_json(body, secret)
    error = _error_object(body)
    status_code = response.status_code
    status: str | None = None
    details: list[Any] = []
    message = ""
    if isinstance(error, dict):
        if isinstance(error.get("message"), str):
            message = error["message"]
        status_code, status = _code_and_status(error, status_code)
        details = error["details"] if isinstance(error.get("details"), list) else []
    elif isinstance(error, str):  # {"error": "..."}
        message = error
    elif isinstance(body, str):
        message = body
    return _error_class(status_code)(
        bounded(message) or response.reason_phrase,
        response=response,
        body=body,
        status_code=status_code,
        status=status,
        details=details,
        retry_after=retry_after,
    )
