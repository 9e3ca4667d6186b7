"""The connection pools of the client's own transports: each request holds one connection.

httpcore 1.x's pools (``ConnectionPool`` and ``AsyncConnectionPool`` alike) rescan every
connection (and, for each idle one, every connection again) each time a request enters or leaves,
and for every queued request every connection once more; the async one also hands an idle
connection to every waiting request until the first of them sends on it, the others failing with
``ConnectionNotAvailable`` and going round again. With 200 concurrent calls on 100 connections
that bookkeeping cost ~5 ms of CPU a call on tasks, more than the calls themselves, and on threads
half of the client's CPU time. The fork httpcore2 fixed this, but would bring a second HTTP stack
beside the one httpx uses (its own request, response and exception types, and truststore for
TLS). These pools do the same job on httpcore's public connection classes in constant time per
request:

- at most ``max_connections`` requests hold a connection; the rest wait in FIFO order (threads on
  ``_Slots``, tasks on anyio's semaphore, so asyncio and trio alike) for at most the request's
  ``pool`` timeout, then ``PoolTimeout``;
- a request takes the most recently used idle connection to its origin that is still usable
  (``has_expired`` also notices one the server closed, or one with unread bytes) or opens a new
  one; nobody else can take it until its response is closed;
- a closed response gives its connection back when httpcore left it idle (kept at most
  ``max_keepalive_connections``), and closes it otherwise.

Which connection to take, keep or close is decided once, by ``_Book`` (no I/O, no waiting);
``Pool`` and ``AsyncPool`` only wait for a slot and close what it hands them, each its own way.
"""

from __future__ import annotations

import ssl
import threading
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import Any

__all__ = ["AsyncPool", "Pool"]


class _Book:
    """The connections of one pool, the idle ones by origin (newest last). Its methods never wait
    and do no I/O: they say which connection to use and which to close."""

    def __init__(self, size: int | None, keep: int | None) -> None:
        self._size = size
        self._keep = keep
        self._idle: dict[tuple[bytes, bytes, int], list[Any]] = {}
        self._idle_count = 0
        self.open: set[Any] = set()  # every connection not yet closed, for close()

    def take(self, origin: Any, new: Callable[[Any], Any]) -> tuple[Any, list[Any]]:
        """The most recently used usable idle connection to ``origin``, else ``new(origin)``
        (counted as open at once); and the connections to close."""
        closing = []
        idle = self._idle.get(_key(origin))
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if connection.is_available() and not connection.has_expired():
                # One look at the longest idle one per request keeps expired connections from
                # piling up without scanning them all.
                if idle and idle[0].has_expired():
                    self._idle_count -= 1
                    closing.append(idle.pop(0))
                return connection, self._forget(closing)
            closing.append(connection)
        self._forget(closing)
        if self._size is not None and len(self.open) >= self._size:
            closing.extend(self._forget(self._an_idle_one()))  # room for another origin's
        connection = new(origin)
        self.open.add(connection)
        return connection, closing

    def give_back(self, origin: Any, connection: Any) -> list[Any]:
        """Pool ``connection`` if httpcore left it idle and ready for another request (and fewer
        than ``max_keepalive_connections`` are); else it is to be closed."""
        if connection.is_closed() or not connection.is_idle():
            return self._forget([connection])
        if self._keep is not None and self._idle_count >= self._keep:
            return self._forget([connection])
        self._idle.setdefault(_key(origin), []).append(connection)
        self._idle_count += 1
        return []

    def drain(self) -> list[Any]:
        """Every connection, idle or in use: the pool is closing."""
        connections, self.open = list(self.open), set()
        self._idle.clear()
        self._idle_count = 0
        return connections

    def _an_idle_one(self) -> list[Any]:
        for idle in self._idle.values():
            if idle:
                self._idle_count -= 1
                return [idle.pop(0)]
        return []

    def _forget(self, connections: list[Any]) -> list[Any]:
        for connection in connections:
            self.open.discard(connection)
        return connections


def _key(origin: Any) -> tuple[bytes, bytes, int]:
    """httpcore's ``Origin`` as a dictionary key (it compares by value but is not hashable)."""
    return origin.scheme, origin.host, origin.port


def _check_scheme(request: Any) -> None:
    import httpcore

    if request.url.scheme not in (b"http", b"https"):
        raise httpcore.UnsupportedProtocol(
            f"Request URL has an unsupported protocol '{request.url.scheme.decode()}://'."
        )


def _pool_timeout() -> Exception:
    import httpcore

    return httpcore.PoolTimeout("no connection of the pool became free within the timeout")


def _timeout(request: Any) -> float | None:
    timeouts = request.extensions.get("timeout") or {}
    timeout: float | None = timeouts.get("pool")
    return timeout


def _nothing() -> None:
    pass


class _Pool:
    """What both pools keep: how to open a connection, and the book of those they hold."""

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
        self._expiry = keepalive_expiry
        self._book = _Book(max_connections, max_keepalive_connections)

    def _options(self, origin: Any) -> dict[str, Any]:
        return {
            "origin": origin,
            "ssl_context": self._ssl_context,
            "keepalive_expiry": self._expiry,
            "network_backend": self._backend,
        }


class Pool(_Pool):
    """An httpcore-compatible sync pool (``handle_request``, ``close``) of HTTP/1.1 connections,
    each used by one request at a time; any number of threads may share it."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._lock = threading.Lock()
        self._slots = None if self._size is None else _Slots(self._size)

    def handle_request(self, request: Any) -> Any:
        import httpcore

        _check_scheme(request)
        slots = self._slots
        if slots is not None and not slots.acquire(_timeout(request)):
            raise _pool_timeout()
        release = _nothing if slots is None else slots.release
        origin = request.url.origin
        try:
            with self._lock:
                connection, closing = self._book.take(origin, self._new)
            try:
                _close(closing)
                response = connection.handle_request(request)
            except BaseException:
                self._give_back(origin, connection)
                raise
        except BaseException:
            release()
            raise
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_Held(response.stream, self, origin, connection, release),
            extensions=response.extensions,
        )

    def _new(self, origin: Any) -> Any:
        import httpcore

        return httpcore.HTTPConnection(**self._options(origin))

    def _give_back(self, origin: Any, connection: Any) -> None:
        with self._lock:
            closing = self._book.give_back(origin, connection)
        _close(closing)

    def close(self) -> None:
        """Close every connection, idle or in use."""
        with self._lock:
            connections = self._book.drain()
        _close(connections)


def _close(connections: list[Any]) -> None:
    for connection in connections:
        connection.close()


class _Slots:
    """A semaphore for threads that hands a freed slot to the longest waiting thread (unlike
    ``threading.Semaphore``, where a thread arriving as it is freed may take it first), and lets
    a waiter give up."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._lock = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self, timeout: float | None) -> bool:
        """Take a slot, waiting at most ``timeout`` seconds (``None``: as long as it takes)."""
        with self._lock:
            if self._free:
                self._free -= 1
                return True
            waiter = threading.Lock()
            waiter.acquire()
            self._waiters.append(waiter)
        try:
            wait = -1 if timeout is None else min(max(timeout, 0), threading.TIMEOUT_MAX)
            if waiter.acquire(timeout=wait):
                return True
        except BaseException:  # KeyboardInterrupt: a slot handed over meanwhile goes on
            if not self._leave(waiter):
                self.release()
            raise
        return not self._leave(waiter)  # handed over just as the wait ended: it is ours

    def _leave(self, waiter: threading.Lock) -> bool:
        """Leave the queue; False when a slot was handed to ``waiter`` first."""
        with self._lock:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
                return True
        return False

    def release(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._free += 1


class AsyncPool(_Pool):
    """An httpcore-compatible async pool (``handle_async_request``, ``aclose``) of HTTP/1.1
    connections, each used by one request at a time."""

    _slots: Any = None  # an anyio.Semaphore, made in the event loop that uses it

    async def handle_async_request(self, request: Any) -> Any:
        import httpcore

        _check_scheme(request)
        release = await self._admit(request)
        origin = request.url.origin
        try:
            connection, closing = self._book.take(origin, self._new)
            try:
                await _aclose(closing)
                response = await connection.handle_async_request(request)
            except BaseException:
                await _aclose(self._book.give_back(origin, connection))
                raise
        except BaseException:
            release()
            raise
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_AsyncHeld(response.stream, self, origin, connection, release),
            extensions=response.extensions,
        )

    async def _admit(self, request: Any) -> Callable[[], None]:
        """Wait for one of the ``max_connections`` slots; the function that gives it back."""
        import anyio

        if self._size is None:
            return _nothing
        slots = self._slots
        if slots is None:
            slots = self._slots = anyio.Semaphore(self._size, max_value=self._size)
        try:
            slots.acquire_nowait()  # no wait and no checkpoint: the common case stays cheap
        except anyio.WouldBlock:
            with anyio.move_on_after(_timeout(request)) as scope:
                await slots.acquire()
            if scope.cancelled_caught:
                raise _pool_timeout() from None
        return slots.release  # type: ignore[no-any-return]

    def _new(self, origin: Any) -> Any:
        import httpcore

        return httpcore.AsyncHTTPConnection(**self._options(origin))

    async def aclose(self) -> None:
        """Close every connection, idle or in use."""
        await _aclose(self._book.drain())


async def _aclose(connections: list[Any]) -> None:
    import anyio

    for connection in connections:
        with anyio.CancelScope(shield=True):
            await connection.aclose()


class _Holding:
    """A response body that gives its connection and its slot back when it is closed."""

    def __init__(
        self, stream: Any, pool: Any, origin: Any, connection: Any, release: Callable[[], None]
    ) -> None:
        self._stream = stream
        self._pool = pool
        self._origin = origin
        self._held = connection
        self._release = release
        self._done = False

    def _first_close(self) -> bool:
        done, self._done = self._done, True
        return not done


class _Held(_Holding):
    """The body of a response of ``Pool``."""

    def __iter__(self) -> Iterator[bytes]:
        stream: Iterable[bytes] = self._stream
        return stream.__iter__()  # the body's own iterator: no generator per response

    def close(self) -> None:
        if not self._first_close():
            return
        try:
            self._stream.close()
        finally:
            try:
                self._pool._give_back(self._origin, self._held)
            finally:
                self._release()


class _AsyncHeld(_Holding):
    """The body of a response of ``AsyncPool``."""

    def __aiter__(self) -> AsyncIterator[bytes]:
        stream: AsyncIterable[bytes] = self._stream
        return stream.__aiter__()  # the body's own iterator: no async generator per response

    async def aclose(self) -> None:
        if not self._first_close():
            return
        try:
            await self._stream.aclose()
        finally:
            try:
                await _aclose(self._pool._book.give_back(self._origin, self._held))
            finally:
                self._release()
