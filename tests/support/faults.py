"""A loopback HTTP/1.1 server in raw asyncio that misbehaves at the byte level, for fault tests.

``FaultServer`` accepts connections on 127.0.0.1 in a background thread. Each request is recorded
and answered by the next scripted ``Fault``, an ``async def fault(conn)`` that writes whatever
bytes it likes; the connection is closed after it unless the fault set ``conn.keep_alive`` (see
``kept_alive``), when the next request on it gets the next fault::

    with FaultServer() as server:
        server.add(trickle(response(200, b'{"candidates": []}'), interval=1.0))
        client = Client(api_key=KEY, base_url=server.url, timeout=3)
        ...
        assert server.requests[0].path == "/v1beta/models/m:generateContent"

The fault factories below cover what servers and proxies do wrong: partial writes, resets, a
``Content-Length`` that lies, silence, one byte per interval, corrupt gzip, close-delimited and
truncated SSE. Every wait is bounded, so a client that never gives up cannot hang the suite.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import struct
import threading
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Conn",
    "bomb",
    "Fault",
    "FaultServer",
    "RawRequest",
    "close_after",
    "corrupt_gzip",
    "kept_alive",
    "json_response",
    "reset_after",
    "response",
    "silence",
    "sse_body",
    "sse_stream",
    "trickle",
    "wrong_length",
]

MAX_WAIT = 10.0
"""No fault waits longer than this, whatever a test asks."""


@dataclass
class RawRequest:
    """One request the server read."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    raw_head: bytes = b""
    connection: int = 0
    """The number of the connection it came on (1, 2, ...)."""

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Conn:
    """One client connection, as a fault sees it."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    request: RawRequest
    closed: bool = field(default=False)
    keep_alive: bool = field(default=False)
    """Whether the server reads another request on this connection after the fault."""
    number: int = 0
    """Which connection this is (1, 2, ...), for tests that check reuse."""

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def trickle(self, data: bytes, interval: float) -> None:
        """``data`` one byte at a time, ``interval`` seconds apart."""
        for i in range(len(data)):
            await self.send(data[i : i + 1])
            await asyncio.sleep(min(interval, MAX_WAIT))

    async def wait_for_disconnect(self, seconds: float) -> None:
        """Say nothing until the client hangs up or ``seconds`` pass."""
        try:
            await asyncio.wait_for(self.reader.read(), min(seconds, MAX_WAIT))
        except asyncio.TimeoutError:
            pass

    def reset(self) -> None:
        """End with a TCP reset (RST) instead of an orderly close."""
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()
        self.closed = True


Fault = Callable[[Conn], Awaitable[None]]


def response(
    status: int = 200,
    body: bytes = b"",
    *,
    headers: Iterable[tuple[str, str]] = (),
    content_type: str = "application/json",
    length: int | None = None,
    keep_alive: bool = False,
) -> bytes:
    """The bytes of a whole HTTP/1.1 response; ``length`` overrides the true Content-Length."""
    connection = "keep-alive" if keep_alive else "close"
    lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", f"Connection: {connection}"]
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    lines.extend(f"{k}: {v}" for k, v in headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def json_response(status: int, value: Any, **kwargs: Any) -> Fault:
    return close_after(response(status, json.dumps(value).encode(), **kwargs))


def close_after(data: bytes) -> Fault:
    """Send ``data`` (possibly only part of a response), then close the connection."""

    async def fault(conn: Conn) -> None:
        await conn.send(data)

    return fault


def kept_alive(data: bytes) -> Fault:
    """Send ``data`` and keep the connection open for the next request (and fault)."""

    async def fault(conn: Conn) -> None:
        await conn.send(data)
        conn.keep_alive = True

    return fault


def reset_after(data: bytes, *, pause: float = 0.05) -> Fault:
    """Send ``data``, then reset the connection."""

    async def fault(conn: Conn) -> None:
        await conn.send(data)
        await asyncio.sleep(pause)
        conn.reset()

    return fault


def wrong_length(body: bytes, claimed: int, *, status: int = 200) -> Fault:
    """A Content-Length that promises ``claimed`` bytes; ``body`` is sent, then the close."""
    return close_after(response(status, body, length=claimed))


def silence(seconds: float = MAX_WAIT) -> Fault:
    """Read the request and never answer (until the client hangs up or ``seconds`` pass)."""

    async def fault(conn: Conn) -> None:
        await conn.wait_for_disconnect(seconds)

    return fault


def trickle(data: bytes, *, interval: float = 1.0, head: int = 0) -> Fault:
    """Send the first ``head`` bytes at once, then the rest one byte per ``interval``."""

    async def fault(conn: Conn) -> None:
        await conn.send(data[:head])
        await conn.trickle(data[head:], interval)

    return fault


def corrupt_gzip(status: int = 200, *, content_type: str = "application/json") -> Fault:
    """A body labelled gzip whose bytes are not (a valid gzip header, then garbage)."""
    body = gzip.compress(b'{"candidates": []}')[:12] + b"\x00garbage\xff" * 8
    return close_after(
        response(status, body, headers=[("Content-Encoding", "gzip")], content_type=content_type)
    )


def bomb(size: int, encoding: str = "gzip") -> bytes:
    """A ``gzip`` or ``deflate`` body inflating to ``size`` zero bytes (a multiple of 1 MiB) from
    about ``size / 1000`` bytes: one compressed MiB of zeros repeated. The trailer's checksum is
    right only up to 64 MiB (computing it for more takes seconds); a reader should stop long
    before it anyway."""
    unit = 1 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = bytes(unit)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = first + repeat * (size // unit - 1) + compressor.flush()
    crc, adler = 0, 1
    for _ in range(size // unit if size <= 64 * unit else 0):
        crc, adler = zlib.crc32(block, crc), zlib.adler32(block, adler)
    if encoding == "gzip":
        head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
        return head + body + struct.pack("<II", crc, size & 0xFFFFFFFF)
    return b"\x78\xda" + body + struct.pack(">I", adler)


def sse_body(*events: Any, bom: bool = False, crlf: bool = True) -> bytes:
    """``data:`` events (JSON-encoded unless str) as an event stream; ``(name, data)`` pairs
    send an ``event:`` line too."""
    nl = "\r\n" if crlf else "\n"
    out = []
    for event in events:
        name = None
        if isinstance(event, tuple):
            name, event = event
        data = event if isinstance(event, str) else json.dumps(event)
        out.append((f"event: {name}{nl}" if name else "") + f"data: {data}{nl}{nl}")
    return (b"\xef\xbb\xbf" if bom else b"") + "".join(out).encode()


def sse_stream(body: bytes, *, cut: int | None = None, reset: bool = False) -> Fault:
    """A close-delimited event stream (no Content-Length): ``body``, or its first ``cut`` bytes,
    then a close (or a reset)."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
    data = head + (body if cut is None else body[:cut])
    return reset_after(data) if reset else close_after(data)


class FaultServer:
    """The server: ``add`` faults, point a client at ``url``, read ``requests`` back."""

    def __init__(self) -> None:
        self.requests: list[RawRequest] = []
        self.connections = 0
        """Connections accepted so far."""
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self.url = ""

    def start(self) -> FaultServer:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self._loop
        ).result(timeout=5)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            assert self._server is not None
            self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add(self, *faults: Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.connections = 0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn: Conn | None = None
        with self._lock:
            self.connections += 1
            number = self.connections
        try:
            while conn is None or (conn.keep_alive and not conn.closed):
                request = await asyncio.wait_for(_read_request(reader), MAX_WAIT)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    request.connection = number
                    fault = self._faults.popleft() if self._faults else None
                conn = Conn(reader, writer, request, number=number)
                if fault is None:
                    await conn.send(response(599, b'{"error": {"message": "no fault scripted"}}'))
                else:
                    await fault(conn)
        except (ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            if conn is None or not conn.closed:
                writer.close()


async def _read_request(reader: asyncio.StreamReader) -> RawRequest | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return RawRequest(method, target, headers, body, head)
