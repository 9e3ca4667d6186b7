"""The total deadline of a call, on httpx's and httpcore's public interfaces.

httpx's timeouts bound each operation (one connect, one read, one write), so a server that trickles
a byte a second never trips them. The client sets the call's deadline (a ``time.monotonic()``
value) in a context variable while it connects, sends and reads, and enforces it in two layers:

- Its own httpx clients send through ``DeadlineTransport``/``AsyncDeadlineTransport``: an httpx
  transport over this package's connection pools (``_pool``) whose network backend clamps every
  socket operation to the time left. The call then ends at its deadline however the server paces
  its bytes (headers or body, sync or async). Its responses are marked with ``MARK`` in their
  extensions.
- Any other transport (an ``http_client`` of the caller's, an environment proxy): every phase's
  timeout is cut to the time left before each attempt and the body is checked against the
  deadline after every read. A server trickling response headers can then outlast the deadline,
  so the client warns once (``DeadlineWarning``) instead of degrading silently.
"""

from __future__ import annotations

import functools
import os
import ssl
import time
import typing
import warnings
import weakref
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar
from typing import Any

import httpx

from ._pool import AsyncPool, Pool

__all__ = [
    "DEADLINE",
    "MARK",
    "AsyncDeadlineTransport",
    "DeadlineTransport",
    "DeadlineWarning",
    "clamp_phases",
    "enforce",
    "time_left",
    "tls_context",
]

DEADLINE: ContextVar[float | None] = ContextVar("gemini_client_deadline", default=None)
"""The ``time.monotonic()`` by which the running call must end, or ``None``."""

MARK = "gemini_client.deadline"
"""The response extension set by the deadline transports: every socket operation was clamped."""

_EXPIRED = 1e-3
"""The timeout of an operation after the deadline: it fails unless its bytes are already there."""

_SocketOptions = typing.Iterable[typing.Any] | None


class DeadlineWarning(UserWarning):
    """The http client's transport cannot clamp each socket operation to the call's deadline."""


def time_left(deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (negative once passed), or ``None`` without a deadline."""
    return None if deadline is None else deadline - time.monotonic()


def _clamp(timeout: float | None) -> float | None:
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = max(deadline - time.monotonic(), _EXPIRED)
    return left if timeout is None or timeout > left else timeout


_PHASES = "gemini_client.phases"
"""The request extension keeping its phase timeouts before any clamping (a retry or an upload
step may run under a later deadline than the attempt before)."""


def clamp_phases(request: httpx.Request, deadline: float | None) -> None:
    """Cut every phase timeout of ``request`` to the time left before ``deadline``."""
    if deadline is None:
        return
    extensions = request.extensions
    phases = extensions.get(_PHASES)
    if phases is None:
        phases = extensions[_PHASES] = extensions.get("timeout") or dict.fromkeys(
            ("connect", "read", "write", "pool")
        )
    left = max(deadline - time.monotonic(), _EXPIRED)
    extensions["timeout"] = {
        phase: left if value is None or value > left else value for phase, value in phases.items()
    }


# --- transports that clamp every socket operation ----------------------------------------------


@functools.cache
def _exception_table() -> dict[type[Exception], type[httpx.TransportError]]:
    """httpcore's exceptions mapped to httpx's (same names). httpcore is imported on the first
    client only, as httpx itself does, so that ``import gemini_client`` stays fast."""
    import httpcore

    names = (
        "ConnectError ConnectTimeout LocalProtocolError NetworkError PoolTimeout ProtocolError "
        "ProxyError ReadError ReadTimeout RemoteProtocolError TimeoutException UnsupportedProtocol "
        "WriteError WriteTimeout"
    ).split()
    return {getattr(httpcore, name): getattr(httpx, name) for name in names}


def _raise_mapped(err: Exception) -> typing.NoReturn:
    """Raise the httpx exception for httpcore's ``err`` (``err`` itself for any other)."""
    table = _exception_table()
    for cls in type(err).__mro__:
        if cls in table:
            raise table[cls](str(err)) from err
    raise err


def _core_request(request: httpx.Request) -> Any:
    import httpcore

    url = httpcore.URL(
        scheme=request.url.raw_scheme,
        host=request.url.raw_host,
        port=request.url.port,
        target=request.url.raw_path,
    )
    return httpcore.Request(
        method=request.method,
        url=url,
        headers=request.headers.raw,
        content=request.stream,
        extensions=request.extensions,
    )


_TLS_ENVIRONMENT = ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE")
"""The environment variables httpx's and Python's default TLS context read when it is built."""


def tls_context(verify: bool = True) -> ssl.SSLContext:
    """httpx's TLS context for ``verify`` (certificates and host names checked unless False), built
    once per process for each setting of the environment variables it reads: loading the CA bundle
    costs ~50 ms, which every client paid when it was built. One context serves any number of
    connections, threads and event loops; the only change httpcore makes to it, the ALPN list, is
    the same (``http/1.1``) for every pool of this package."""
    return _tls_context(verify, *(os.environ.get(name) for name in _TLS_ENVIRONMENT))


@functools.lru_cache(maxsize=8)
def _tls_context(verify: bool, *environment: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context(verify)


def _pool_options(limits: httpx.Limits, verify: ssl.SSLContext | bool) -> dict[str, Any]:
    context = verify if isinstance(verify, ssl.SSLContext) else tls_context(verify)
    return {
        "ssl_context": context,
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


MAX_READ = 1 << 20


def _next_read_size(asked: int, got: int) -> int:
    """The size of a stream's next read: a read that came back full doubles it, up to
    ``MAX_READ`` (a download then costs one pass through httpcore and h11 a MiB, not every
    64 KiB); any other resets it to what httpcore asks (a small answer never grows it)."""
    return min(asked * 2, MAX_READ) if got == asked else 0


@functools.cache
def _backends() -> tuple[type[Any], type[Any]]:
    """The network backends (sync, async) that clamp each operation of the one they wrap."""
    import httpcore

    class _Stream(httpcore.NetworkStream):
        def __init__(self, stream: httpcore.NetworkStream) -> None:
            self._stream = stream
            self._size = 0

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            size = max(max_bytes, self._size)
            data = self._stream.read(size, _clamp(timeout))
            self._size = _next_read_size(size, len(data))
            return data

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._stream.write(buffer, _clamp(timeout))

        def close(self) -> None:
            self._stream.close()

        def start_tls(
            self,
            ssl_context: ssl.SSLContext,
            server_hostname: str | None = None,
            timeout: float | None = None,
        ) -> httpcore.NetworkStream:
            return _Stream(self._stream.start_tls(ssl_context, server_hostname, _clamp(timeout)))

        def get_extra_info(self, info: str) -> typing.Any:
            return self._stream.get_extra_info(info)

    class _Backend(httpcore.NetworkBackend):
        def __init__(self, backend: httpcore.NetworkBackend) -> None:
            self._backend = backend

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: _SocketOptions = None,
        ) -> httpcore.NetworkStream:
            return _Stream(
                self._backend.connect_tcp(
                    host, port, _clamp(timeout), local_address, socket_options
                )
            )

        def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: _SocketOptions = None
        ) -> httpcore.NetworkStream:
            return _Stream(self._backend.connect_unix_socket(path, _clamp(timeout), socket_options))

        def sleep(self, seconds: float) -> None:
            self._backend.sleep(seconds)

    class _AsyncStream(httpcore.AsyncNetworkStream):
        def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
            self._stream = stream
            self._size = 0

        async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            size = max(max_bytes, self._size)
            data = await self._stream.read(size, _clamp(timeout))
            self._size = _next_read_size(size, len(data))
            return data

        async def write(self, buffer: bytes, timeout: float | None = None) -> None:
            await self._stream.write(buffer, _clamp(timeout))

        async def aclose(self) -> None:
            await self._stream.aclose()

        async def start_tls(
            self,
            ssl_context: ssl.SSLContext,
            server_hostname: str | None = None,
            timeout: float | None = None,
        ) -> httpcore.AsyncNetworkStream:
            stream = await self._stream.start_tls(ssl_context, server_hostname, _clamp(timeout))
            return _AsyncStream(stream)

        def get_extra_info(self, info: str) -> typing.Any:
            return self._stream.get_extra_info(info)

    class _AsyncBackend(httpcore.AsyncNetworkBackend):
        def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
            self._backend = backend

        async def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: _SocketOptions = None,
        ) -> httpcore.AsyncNetworkStream:
            stream = await self._backend.connect_tcp(
                host, port, _clamp(timeout), local_address, socket_options
            )
            return _AsyncStream(stream)

        async def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: _SocketOptions = None
        ) -> httpcore.AsyncNetworkStream:
            stream = await self._backend.connect_unix_socket(path, _clamp(timeout), socket_options)
            return _AsyncStream(stream)

        async def sleep(self, seconds: float) -> None:
            await self._backend.sleep(seconds)

    return _Backend, _AsyncBackend


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except Exception as err:
            _raise_mapped(err)

    def close(self) -> None:
        self._stream.close()


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except Exception as err:
            _raise_mapped(err)

    async def aclose(self) -> None:
        await self._stream.aclose()


class DeadlineTransport(httpx.BaseTransport):
    """An httpx transport (HTTP/1.1, httpx's default limits and TLS) that ends every socket
    operation at the running call's deadline: ``httpx.Client(transport=DeadlineTransport())``. It
    sends on this package's own ``Pool``: constant work per request however many threads wait."""

    def __init__(
        self, *, limits: httpx.Limits = httpx.Limits(), verify: ssl.SSLContext | bool = True
    ) -> None:
        import httpcore

        backend = _backends()[0](httpcore.SyncBackend())
        self._pool = Pool(network_backend=backend, **_pool_options(limits, verify))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._pool.handle_request(_core_request(request))
        except Exception as err:
            _raise_mapped(err)
        response.extensions[MARK] = True
        return httpx.Response(
            response.status,
            headers=response.headers,
            stream=_Body(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class AsyncDeadlineTransport(httpx.AsyncBaseTransport):
    """The async twin of ``DeadlineTransport`` (asyncio or trio, through anyio), on this package's
    own ``AsyncPool`` (see ``_pool``)."""

    def __init__(
        self, *, limits: httpx.Limits = httpx.Limits(), verify: ssl.SSLContext | bool = True
    ) -> None:
        import httpcore

        backend = _backends()[1](httpcore.AnyIOBackend())
        self._pool = AsyncPool(network_backend=backend, **_pool_options(limits, verify))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._pool.handle_async_request(_core_request(request))
        except Exception as err:
            _raise_mapped(err)
        response.extensions[MARK] = True
        return httpx.Response(
            response.status,
            headers=response.headers,
            stream=_AsyncBody(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


# --- any other transport: the deadline checked between reads -----------------------------------


class _Checked(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        for part in self._stream:
            if time.monotonic() >= self._deadline:
                raise httpx.ReadTimeout("the call's deadline passed while reading the body")
            yield part

    def close(self) -> None:
        self._stream.close()


class _AsyncChecked(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self._stream:
            if time.monotonic() >= self._deadline:
                raise httpx.ReadTimeout("the call's deadline passed while reading the body")
            yield part

    async def aclose(self) -> None:
        await self._stream.aclose()


_warned: weakref.WeakSet[Any] = weakref.WeakSet()


def enforce(
    client: httpx.Client | httpx.AsyncClient, response: httpx.Response, deadline: float | None
) -> None:
    """Hold ``response``'s body to ``deadline`` when the transport of ``client`` did not clamp
    every socket operation, and warn once per client that it could not."""
    if deadline is None or MARK in response.extensions:
        return
    stream = response.stream
    if isinstance(stream, httpx.AsyncByteStream):
        response.stream = _AsyncChecked(stream, deadline)
    elif isinstance(stream, httpx.SyncByteStream):
        response.stream = _Checked(stream, deadline)
    if client not in _warned:
        _warned.add(client)
        warnings.warn(
            "gemini_client: this http client's transport does not clamp each socket operation to "
            "the call's deadline; the timeout is enforced per phase and between body reads, so a "
            "server trickling response headers can outlast it. Send through "
            "gemini_client's DeadlineTransport (or omit http_client) for a strict deadline; a "
            "proxy set in the environment (HTTP(S)_PROXY) also needs httpx's own transport.",
            DeadlineWarning,
            stacklevel=2,
        )
