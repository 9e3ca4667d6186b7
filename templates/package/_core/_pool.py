"""The async connection pool of the client's own transport: each request holds one connection.

httpcore 1.x's ``AsyncConnectionPool`` rescans every connection (and, for each idle one, every
connection again) each time a request enters or leaves it, and hands an idle connection to every
waiting request until the first of them sends on it; the others fail with
``ConnectionNotAvailable`` and go round again. With 200 concurrent calls on 100 connections that
bookkeeping cost about 4 passes and ~5 ms of CPU per call, more than the calls themselves. The
fork httpcore2 fixed both, but would bring a second HTTP stack beside the one httpx uses (its own
request, response and exception types, and truststore for TLS) for the async path alone. This
pool does the same job on httpcore's public connection class in constant time per request:

- at most ``max_connections`` requests hold a connection; the rest wait in FIFO order (anyio, so
  asyncio and trio alike) for at most the request's ``pool`` timeout, then ``PoolTimeout``;
- a request takes the most recently used idle connection to its origin that is still usable
  (``has_expired`` also notices one the server closed, or one with unread bytes) or opens a new
  one; nobody else can take it until its response is closed;
- a closed response gives its connection back when httpcore left it idle (kept at most
  ``max_keepalive_connections``), and closes it otherwise.
"""

from __future__ import annotations

import ssl
import typing
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

__all__ = ["AsyncPool"]


class AsyncPool:
    """An httpcore-compatible async pool (``handle_async_request``, ``aclose``) of HTTP/1.1
    connections, each used by one request at a time."""

    def __init__(
        self,
        *,
        network_backend: Any,
        ssl_context: ssl.SSLContext,
        max_connections: int | None,
        max_keepalive_connections: int | None,
        keepalive_expiry: float | None,
    ) -> None:
        self._backend = network_backend
        self._ssl_context = ssl_context
        self._size = max_connections
        self._keep = max_keepalive_connections
        self._expiry = keepalive_expiry
        self._slots: Any = None  # an anyio.Semaphore, made in the event loop that uses it
        self._idle: dict[tuple[bytes, bytes, int], list[Any]] = {}  # by origin, newest last
        self._idle_count = 0
        self._open: set[Any] = set()  # every connection not yet closed, for aclose()

    async def handle_async_request(self, request: Any) -> Any:
        import httpcore

        if request.url.scheme not in (b"http", b"https"):
            raise httpcore.UnsupportedProtocol(
                f"Request URL has an unsupported protocol '{request.url.scheme.decode()}://'."
            )
        release = await self._admit(request)
        try:
            connection = await self._take(request.url.origin)
            try:
                response = await connection.handle_async_request(request)
            except BaseException:
                await self._give_back(request.url.origin, connection)
                raise
        except BaseException:
            release()
            raise
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_Held(response.stream, self, request.url.origin, connection, release),
            extensions=response.extensions,
        )

    async def _admit(self, request: Any) -> typing.Callable[[], None]:
        """Wait for one of the ``max_connections`` slots; the function that gives it back (once,
        however often it is called)."""
        import anyio

        if self._size is None:
            return _nothing
        slots = self._slots
        if slots is None:
            slots = self._slots = anyio.Semaphore(self._size, max_value=self._size)
        try:
            slots.acquire_nowait()  # no wait and no checkpoint: the common case stays cheap
        except anyio.WouldBlock:
            await self._wait(slots, request)
        held = [slots]

        def release() -> None:
            if held:
                held.pop().release()

        return release

    async def _wait(self, slots: Any, request: Any) -> None:
        import anyio
        import httpcore

        timeouts = request.extensions.get("timeout") or {}
        timeout = timeouts.get("pool")
        with anyio.move_on_after(timeout) as scope:
            await slots.acquire()
        if scope.cancelled_caught:
            raise httpcore.PoolTimeout("no connection of the pool became free within the timeout")

    async def _take(self, origin: Any) -> Any:
        """The most recently used usable idle connection to ``origin``, or a new one."""
        import httpcore

        idle = self._idle.get(_key(origin))
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if connection.is_available() and not connection.has_expired():
                await self._expire_oldest(idle)
                return connection
            await self._close(connection)
        if self._size is not None and len(self._open) >= self._size:
            await self._close_an_idle_one()
        connection = httpcore.AsyncHTTPConnection(
            origin=origin,
            ssl_context=self._ssl_context,
            keepalive_expiry=self._expiry,
            network_backend=self._backend,
        )
        self._open.add(connection)
        return connection

    async def _give_back(self, origin: Any, connection: Any) -> None:
        """Pool ``connection`` if httpcore left it idle and ready for another request."""
        if connection.is_closed() or not connection.is_idle():
            await self._close(connection)
        elif self._keep is not None and self._idle_count >= self._keep:
            await self._close(connection)
        else:
            self._idle.setdefault(_key(origin), []).append(connection)
            self._idle_count += 1

    async def _expire_oldest(self, idle: list[Any]) -> None:
        """Close the longest idle connection of a list if it expired: one look per request keeps
        expired connections from piling up without scanning them all."""
        if idle and idle[0].has_expired():
            self._idle_count -= 1
            await self._close(idle.pop(0))

    async def _close_an_idle_one(self) -> None:
        """Make room for a connection to a new origin: the pool is full of idle ones to others."""
        for idle in self._idle.values():
            if idle:
                self._idle_count -= 1
                await self._close(idle.pop(0))
                return

    async def _close(self, connection: Any) -> None:
        import anyio

        self._open.discard(connection)
        with anyio.CancelScope(shield=True):
            await connection.aclose()

    async def aclose(self) -> None:
        """Close every connection, idle or in use."""
        connections, self._open = self._open, set()
        self._idle.clear()
        self._idle_count = 0
        for connection in connections:
            await self._close(connection)


def _nothing() -> None:
    pass


def _key(origin: Any) -> tuple[bytes, bytes, int]:
    """httpcore's ``Origin`` as a dictionary key (it compares by value but is not hashable)."""
    return origin.scheme, origin.host, origin.port


class _Held:
    """A response body that gives its connection and its slot back when it is closed."""

    def __init__(
        self, stream: Any, pool: AsyncPool, origin: Any, connection: Any, release: Any
    ) -> None:
        self._stream = stream
        self._pool = pool
        self._origin = origin
        self._held = connection
        self._release = release
        self._done = False

    def __aiter__(self) -> AsyncIterator[bytes]:
        stream: AsyncIterable[bytes] = self._stream
        return stream.__aiter__()  # the body's own iterator: no async generator per response

    async def aclose(self) -> None:
        if self._done:
            return
        self._done = True
        try:
            await self._stream.aclose()
        finally:
            try:
                await self._pool._give_back(self._origin, self._held)
            finally:
                self._release()
