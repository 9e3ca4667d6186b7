"""Live sessions: BidiGenerateContent over a WebSocket, generic over the message types.

The runtime owns the wire: the URL, the API key in the auth header (never in the URL, a log line
or an error), the setup handshake with its timeout, JSON out and typed messages in, and the close
codes as ``LiveSessionError``. The typed binding (``lib/live.py``) picks the message types and
builds the messages. Imported on first use only: ``websockets`` costs import time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any, Generic, TypeVar

import httpx
import pydantic
from websockets.asyncio.client import ClientConnection as _AsyncWebSocket
from websockets.asyncio.client import connect as _AsyncConnect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI, WebSocketException
from websockets.frames import CLOSE_CODE_EXPLANATIONS
from websockets.sync.client import ClientConnection as _SyncWebSocket
from websockets.sync.client import reconnect as _SyncConnect

from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    GeminiError,
    LiveSessionError,
    describe_validation_error,
    make_status_error,
    redact,
)

__all__ = [
    "DEFAULT_SETUP_TIMEOUT",
    "AsyncLiveConnection",
    "LiveConnection",
    "aconnect",
    "connect",
    "live_url",
]

T = TypeVar("T", bound=pydantic.BaseModel)

DEFAULT_SETUP_TIMEOUT = 15.0
"""Seconds to wait for the server's answer to the setup message."""
OPEN_TIMEOUT = 10.0
"""Seconds to open the connection (TCP, TLS and the WebSocket upgrade)."""
CLOSE_TIMEOUT = 5.0
"""Seconds to wait for the server to acknowledge a close."""
MAX_MESSAGE_SIZE = 16 * 2**20
"""Largest server message accepted; a larger one closes the session (1009)."""

_SCHEMES = {"https": "wss", "wss": "wss", "http": "ws", "ws": "ws"}
_VERSION = re.compile(r"^[a-z0-9]+$")
_METHOD = re.compile(r"^[A-Za-z]+$")

log = logging.getLogger("gemini_client.live")
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def live_url(base_url: str, version: str, method: str = "BidiGenerateContent") -> str:
    """The WebSocket URL of ``method`` under ``base_url`` (``https`` -> ``wss``, ``http`` -> ``ws``)."""
    scheme, sep, rest = base_url.partition("://")
    if not sep or scheme.lower() not in _SCHEMES or not rest.strip("/"):
        raise GeminiError(
            f"Live: base_url must be an http(s):// or ws(s):// URL, got {redact(base_url)!r}"
        )
    if not _VERSION.match(version):
        raise GeminiError(f"Live: invalid API version {version!r}")
    if not _METHOD.match(method):
        raise GeminiError(f"Live: invalid method {method!r}")
    return (
        f"{_SCHEMES[scheme.lower()]}://{rest.rstrip('/')}"
        f"/ws/google.ai.generativelanguage.{version}.GenerativeService.{method}"
    )


class _RedactingLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """websockets' logger with the secret removed: at DEBUG it logs every handshake header."""

    def __init__(self, secret: str) -> None:
        super().__init__(logging.getLogger("websockets.client"), {})
        self._secret = secret

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            text = str(msg) % args if args else str(msg)
            self.logger.log(level, "%s", redact(text, self._secret), **kwargs)

    def process(
        self, msg: Any, kwargs: MutableMapping[str, Any]
    ) -> tuple[Any, MutableMapping[str, Any]]:
        return msg, kwargs


class _AsyncOpen(_AsyncConnect):
    """websockets' connect without redirects: it would carry the API key header to another host."""

    def process_redirect(self, exc: Exception) -> Exception | str:
        return exc


class _SyncOpen(_SyncConnect):
    """websockets' sync connect without redirects (see ``_AsyncOpen``)."""

    def process_redirect(self, exc: Exception) -> Exception | str:
        return exc


def _options(headers: Mapping[str, str], secret: str | None) -> dict[str, Any]:
    return {
        "additional_headers": dict(headers),
        "open_timeout": OPEN_TIMEOUT,
        "close_timeout": CLOSE_TIMEOUT,
        "max_size": MAX_MESSAGE_SIZE,
        "logger": _RedactingLogger(secret or ""),
    }


def _closed_error(err: ConnectionClosed, secret: str | None) -> LiveSessionError:
    if err.rcvd is not None and (err.sent is None or err.rcvd_then_sent):
        frame, by = err.rcvd, "the server"
    elif err.sent is not None:
        frame, by = err.sent, "the client"
    else:
        frame, by = None, "the network"
    code, reason = (frame.code, redact(frame.reason, secret)) if frame else (1006, "")
    text = reason or CLOSE_CODE_EXPLANATIONS.get(code, "no reason given")
    return LiveSessionError(f"Live session closed by {by}: {code} {text}", code=code, reason=reason)


def _open_error(err: BaseException, url: str, secret: str | None) -> APIError:
    if isinstance(err, InvalidStatus):
        response = err.response
        http = httpx.Response(
            response.status_code,
            headers=list(response.headers.raw_items()),
            content=bytes(response.body or b""),
            request=httpx.Request("GET", url),
        )
        return make_status_error(http, secret=secret)
    if isinstance(err, TimeoutError):
        return APITimeoutError(f"Live: opening {url} timed out")
    return APIConnectionError(
        redact(f"Live: cannot connect to {url}: {type(err).__name__}: {err}", secret)
    )


class _Connection(Generic[T]):
    """What the sync and async connections share: decoding (no I/O)."""

    def __init__(self, *, cast_to: type[T], secret: str | None) -> None:
        self._cast_to = cast_to
        self._secret = secret
        # The model's own validator, called per message: exactly ``model_validate_json``'s
        # validation (its defaults), one Python call less on the hot path.
        self._validate_json: Callable[[bytes | str], T] = (
            cast_to.__pydantic_validator__.validate_json
        )
        self.received = 0
        """How many server messages were received."""

    def _decode(self, raw: bytes | str) -> T:
        self.received += 1
        try:
            return self._validate_json(raw)
        except pydantic.ValidationError as err:
            raise APIError(
                f"Live: server message {self.received} is not a valid {self._cast_to.__name__}: "
                f"{describe_validation_error(err)}"
            ) from None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(received={self.received})"


class AsyncLiveConnection(_Connection[T]):
    """An open Live WebSocket: ``send`` a JSON message, ``recv`` the next typed server message."""

    def __init__(self, ws: _AsyncWebSocket, *, cast_to: type[T], secret: str | None) -> None:
        super().__init__(cast_to=cast_to, secret=secret)
        self._ws = ws

    async def send(self, message: Mapping[str, object]) -> None:
        try:
            await self._ws.send(_ENCODER.encode(message))
        except ConnectionClosed as err:
            raise _closed_error(err, self._secret) from None

    async def recv(self, timeout: float | None = None) -> T:
        """The next server message; ``TimeoutError`` after ``timeout`` seconds,
        ``LiveSessionError`` once the session is closed."""
        try:
            if timeout is None:  # the common case: no timer, one coroutine less per message
                raw = await self._ws.recv(decode=False)
            else:
                raw = await asyncio.wait_for(self._ws.recv(decode=False), timeout)
        except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
            raise TimeoutError(f"no Live message within {timeout:g}s") from None
        except ConnectionClosed as err:
            raise _closed_error(err, self._secret) from None
        return self._decode(raw)

    async def close(self) -> None:
        await self._ws.close()


class LiveConnection(_Connection[T]):
    """The blocking twin of ``AsyncLiveConnection``, for scripts."""

    def __init__(self, ws: _SyncWebSocket, *, cast_to: type[T], secret: str | None) -> None:
        super().__init__(cast_to=cast_to, secret=secret)
        self._ws = ws

    def send(self, message: Mapping[str, object]) -> None:
        try:
            self._ws.send(_ENCODER.encode(message))
        except ConnectionClosed as err:
            raise _closed_error(err, self._secret) from None

    def recv(self, timeout: float | None = None) -> T:
        """The next server message; ``LiveSessionError`` once the session is closed."""
        try:
            raw = self._ws.recv(timeout, decode=False)
        except ConnectionClosed as err:
            raise _closed_error(err, self._secret) from None
        return self._decode(raw)

    def close(self) -> None:
        self._ws.close()


def _setup_timeout_error(timeout: float) -> APITimeoutError:
    return APITimeoutError(f"Live: the server did not answer the setup message within {timeout:g}s")


def _not_ready(first: T, ready: Callable[[T], bool]) -> str | None:
    """Why ``first`` is not the answer to the setup message, or ``None`` when it is."""
    if ready(first):
        return None
    kinds = (
        ", ".join(sorted(first.model_dump(by_alias=True, exclude_none=True))) or "an empty message"
    )
    # A close reason is at most 123 bytes; the kinds are the server's words, so ASCII-escaped.
    return f"expected setupComplete, got {kinds}".encode("ascii", "backslashreplace").decode()[:120]


async def aconnect(
    url: str,
    *,
    headers: Mapping[str, str],
    setup: Mapping[str, object],
    cast_to: type[T],
    ready: Callable[[T], bool],
    secret: str | None,
    setup_timeout: float = DEFAULT_SETUP_TIMEOUT,
) -> tuple[AsyncLiveConnection[T], T]:
    """Open ``url``, send ``setup`` and wait for the first server message, which must be ``ready``."""
    try:
        ws = await _AsyncOpen(url, **_options(headers, secret))
    except (OSError, TimeoutError, InvalidURI, WebSocketException) as err:
        raise _open_error(err, url, secret) from None
    try:
        conn = AsyncLiveConnection(ws, cast_to=cast_to, secret=secret)
        await conn.send(setup)
        try:
            first = await asyncio.wait_for(conn.recv(), setup_timeout)
        except asyncio.TimeoutError:
            raise _setup_timeout_error(setup_timeout) from None
        if (problem := _not_ready(first, ready)) is not None:
            await ws.close(1002, problem)
            raise LiveSessionError(
                f"Live: the server answered setup wrongly: {problem}", code=1002, reason=problem
            )
    except BaseException:
        await ws.close()
        raise
    log.debug("Live session open: %s", url)
    return conn, first


def connect(
    url: str,
    *,
    headers: Mapping[str, str],
    setup: Mapping[str, object],
    cast_to: type[T],
    ready: Callable[[T], bool],
    secret: str | None,
    setup_timeout: float = DEFAULT_SETUP_TIMEOUT,
) -> tuple[LiveConnection[T], T]:
    """The blocking twin of ``aconnect``."""
    try:
        # Entering the connector opens the connection (and marks it as not legacy); the
        # connection is closed by the session, not by leaving a `with` block here.
        ws = _SyncOpen(url, **_options(headers, secret)).__enter__()
    except (OSError, TimeoutError, InvalidURI, WebSocketException) as err:
        raise _open_error(err, url, secret) from None
    try:
        conn = LiveConnection(ws, cast_to=cast_to, secret=secret)
        conn.send(setup)
        try:
            first = conn.recv(timeout=setup_timeout)
        except TimeoutError:
            raise _setup_timeout_error(setup_timeout) from None
        if (problem := _not_ready(first, ready)) is not None:
            ws.close(1002, problem)
            raise LiveSessionError(
                f"Live: the server answered setup wrongly: {problem}", code=1002, reason=problem
            )
    except BaseException:
        ws.close()
        raise
    log.debug("Live session open: %s", url)
    return conn, first
