"""The total deadline of a call, enforced on every socket operation.

httpx's timeouts bound each operation (one connect, one read, one write), so a server that trickles
a byte a second never trips them. The client sets the call's deadline (a ``time.monotonic()``
value) in a context variable while it connects, sends and reads, and the network backend of its
httpx pool clamps each operation's timeout to the time left: the call then ends at its deadline
however the server paces its bytes (headers or body, sync or async).
"""

from __future__ import annotations

import functools
import ssl
import time
import typing
from contextvars import ContextVar
from typing import Any

import httpx

__all__ = ["DEADLINE", "install", "time_left"]

DEADLINE: ContextVar[float | None] = ContextVar("gemini_client_deadline", default=None)
"""The ``time.monotonic()`` by which the running call must end, or ``None``."""

_EXPIRED = 1e-3
"""The timeout of an operation after the deadline: it fails unless its bytes are already there."""

_SocketOptions = typing.Iterable[typing.Any] | None


def time_left(deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (negative once passed), or ``None`` without a deadline."""
    return None if deadline is None else deadline - time.monotonic()


def _clamp(timeout: float | None) -> float | None:
    left = time_left(DEADLINE.get())
    if left is None:
        return timeout
    left = max(left, _EXPIRED)
    return left if timeout is None else min(timeout, left)


@functools.cache
def _backends() -> tuple[type[Any], type[Any]]:
    """The wrapping backend classes (sync, async); httpcore is imported on the first client only,
    as httpx itself does, so that ``import gemini_client`` stays fast."""
    import httpcore

    class _Stream(httpcore.NetworkStream):
        def __init__(self, stream: httpcore.NetworkStream) -> None:
            self._stream = stream

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self._stream.read(max_bytes, _clamp(timeout))

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

        async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return await self._stream.read(max_bytes, _clamp(timeout))

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


def install(client: httpx.Client | httpx.AsyncClient) -> bool:
    """Clamp the socket operations of ``client``'s pools to the running call's deadline.

    Works on httpx's own transports (also those mounted for proxies); returns whether the main
    transport was one. Outside a call (no deadline set) the pools behave exactly as before.
    """
    import httpcore

    sync_backend, async_backend = _backends()
    transports = [client._transport, *client._mounts.values()]
    installed = []
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, (sync_backend, async_backend)):
            installed.append(transport)
        elif isinstance(backend, httpcore.NetworkBackend):
            setattr(pool, "_network_backend", sync_backend(backend))  # noqa: B010
            installed.append(transport)
        elif isinstance(backend, httpcore.AsyncNetworkBackend):
            setattr(pool, "_network_backend", async_backend(backend))  # noqa: B010
            installed.append(transport)
    return client._transport in installed
