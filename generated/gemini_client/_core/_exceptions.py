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
    ├── APIConnectionError          no usable answer: connection refused, reset, stream interrupted
    │   └── APITimeoutError
    ├── APIResponseValidationError  a 2xx answer that is not valid JSON for the expected model
    └── LiveSessionError            a Live session closed with an error: WebSocket close code, reason
```

``str(error)`` is one line, e.g.
``429 RESOURCE_EXHAUSTED: Quota exceeded (POST https://host/v1beta/models/x:generateContent)``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "GeminiError",
    "InternalServerError",
    "LiveSessionError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "make_status_error",
]

_KEY_PARAM = re.compile(r"([?&]key=)[^&#\s)]*", re.IGNORECASE)


def redact(text: str, secret: str | None = None) -> str:
    """``text`` without a ``key=`` query value or the ``secret`` itself."""
    text = _KEY_PARAM.sub(r"\1REDACTED", text)
    if secret:
        text = text.replace(secret, "REDACTED")
    return text


def describe_validation_error(err: Any) -> str:
    """A pydantic ValidationError in one line, without the input values (which may echo secrets)."""
    errors = err.errors(include_url=False, include_input=False)
    first = errors[0] if errors else {"loc": (), "msg": "invalid"}
    where = ".".join(str(part) for part in first["loc"]) or "(root)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"


class GeminiError(Exception):
    """The root of every exception this client raises."""


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
    ) -> None:
        self.message = redact(message)
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
    ) -> None:
        super().__init__(
            message,
            response=response,
            body=body,
            status_code=response.status_code if status_code is None else status_code,
            status=status,
            details=details,
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
    """A 2xx answer whose body is not valid JSON for the expected model."""

    def __init__(self, message: str, *, response: httpx.Response, body: object = None) -> None:
        super().__init__(message, response=response, body=body, status_code=response.status_code)


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


def make_status_error(
    response: httpx.Response, *, body: object = None, secret: str | None = None
) -> APIStatusError:
    """The typed error for an error ``response``, from Google's ``{"error": {...}}`` body.

    ``body`` is the already decoded JSON (a stream's error event), else the response body is read;
    a body that is not JSON or has another shape still gives an error with the HTTP status.
    ``secret`` (the API key) is removed from the message should the server echo it.
    """
    if body is None:
        try:
            body = json.loads(response.content)
        except ValueError:
            body = response.text or None
    error = body.get("error") if isinstance(body, dict) else None
    status_code = response.status_code
    status: str | None = None
    details: list[Any] = []
    if isinstance(error, dict):
        message = str(error.get("message") or "")
        code = error.get("code")
        if isinstance(code, int) and not isinstance(code, bool):
            status_code = code
        status = error.get("status") if isinstance(error.get("status"), str) else None
        details = error["details"] if isinstance(error.get("details"), list) else []
    elif isinstance(error, str):  # {"error": "..."}
        message = error
    elif isinstance(body, str):
        message = body[:500]
    else:
        message = ""
    return _error_class(status_code)(
        redact(message or response.reason_phrase, secret),
        response=response,
        body=body,
        status_code=status_code,
        status=status,
        details=details,
    )
